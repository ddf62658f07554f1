import { describe, expect, it } from "vitest";
import { SYSTEM_ACTOR, type ActorContext, type CaseState, type Mode } from "#engine/case-state";
import { decideModeSwitch, gradeAnalysis, modeUrgency, type TenantModeState } from "#engine/modes";
import { nextCheckAt } from "#engine/supervision";
import { availableTransitions, decide } from "#engine/workflow";
import {
  compileWithCalendars,
  east,
  eastLake,
  expectOk,
  expectRefusal,
  fire,
  local,
  newCase,
  ofType,
  person,
  SimulatedClock,
  withMode,
} from "./workflow-helpers";
import { issueMessage } from "#app/locales/issues/index";

const compiled = eastLake();
const peace: TenantModeState = { tenantId: "east-lake", mode: "peacetime", version: 1 };
const t0 = local("2025-03-03 10:00");

describe("switching modes (平战转换) is one command on the township", () => {
  it("the director switches to wartime: the mode is persisted, audited, and the leadership is told urgently", () => {
    const d = decideModeSwitch(
      compiled,
      peace,
      { type: "switch-mode", to: "wartime", reason: "防台风应急响应", expectedVersion: 1 },
      east.director,
      t0,
    );
    expect(d).toEqual({
      ok: true,
      next: { tenantId: "east-lake", mode: "wartime", version: 2 },
      outcomes: [
        {
          type: "mode-changed",
          tenantId: "east-lake",
          from: "peacetime",
          to: "wartime",
          at: t0.toISOString(),
          version: 2,
        },
        {
          type: "audit",
          event: "tenant.mode-switched",
          data: { from: "peacetime", to: "wartime", reason: "防台风应急响应", by: "u-director", at: t0.toISOString() },
        },
        {
          type: "notify",
          posts: ["director", "executive-deputy", "full-time-deputy", "routing", "analysis", "coordination"],
          kind: "tenant.mode-switched",
          urgency: "urgent",
          data: { from: "peacetime", to: "wartime" },
          dedupeKey: "tenant:east-lake:mode:v2:wartime",
        },
      ],
    });
  });

  it("switching back restores peacetime and tells the leadership and routing, at normal urgency", () => {
    const d = decideModeSwitch(
      compiled,
      { ...peace, mode: "wartime", version: 2 },
      { type: "switch-mode", to: "peacetime", expectedVersion: 2 },
      east.deputy,
      t0,
    );
    expect(d.ok && d.next).toEqual({ tenantId: "east-lake", mode: "peacetime", version: 3 });
    expect(d.ok && d.outcomes[2]).toMatchObject({
      posts: ["director", "executive-deputy", "full-time-deputy", "routing"],
      urgency: "normal",
      dedupeKey: "tenant:east-lake:mode:v3:peacetime",
    });
  });

  it.each([
    { name: "routing staff may not switch", actor: east.routing, to: "wartime", version: 1, kind: "not-allowed" },
    {
      name: "the full-time deputy is not on the switch list",
      actor: person("east-lake", "u-ft", "command-room", ["full-time-deputy"]),
      to: "wartime",
      version: 1,
      kind: "not-allowed",
    },
    {
      name: "another township's director",
      actor: person("west-hill", "u-wd", "command-room", ["director"]),
      to: "wartime",
      version: 1,
      kind: "not-allowed",
    },
    { name: "the county", actor: east.county, to: "wartime", version: 1, kind: "not-allowed" },
    { name: "already in peacetime", actor: east.director, to: "peacetime", version: 1, kind: "wrong-state" },
    { name: "someone switched first", actor: east.director, to: "wartime", version: 0, kind: "stale-version" },
  ] as Array<{ name: string; actor: ActorContext; to: Mode; version: number; kind: string }>)(
    "$name → $kind",
    ({ actor, to, version, kind }) => {
      const d = decideModeSwitch(compiled, peace, { type: "switch-mode", to, expectedVersion: version }, actor, t0);
      expect(d.ok).toBe(false);
      if (!d.ok) {
        expect(d.refusal.kind).toBe(kind);
        expect(issueMessage(d.refusal.issues[0]!).zh.length).toBeGreaterThan(0);
      }
    },
  );

  it("urgency follows the mode", () => {
    expect([modeUrgency(compiled, "peacetime"), modeUrgency(compiled, "wartime")]).toEqual(["normal", "urgent"]);
  });
});

describe("new work gets wartime deadlines until the township switches back", () => {
  /** A dispute triaged and dispatched by routing in `mode`. */
  function dispatch(mode: Mode, at: Date, id: string): CaseState {
    let s = newCase(compiled, { id, mode });
    s = fire(compiled, s, "triage", east.routing, at, { gradeId: "general" }).next;
    return fire(compiled, s, "dispatch", east.routing, at, { leadUnitId: "village-qiaotou" }).next;
  }

  it("peacetime → wartime → peacetime on one simulated clock", () => {
    const clock = new SimulatedClock(local("2025-03-03 10:00"));
    let tenant = peace;
    const a = dispatch(tenant.mode, clock.now(), "case-a");

    clock.advance(3_600_000);
    tenant = expectOkMode(
      decideModeSwitch(
        compiled,
        tenant,
        { type: "switch-mode", to: "wartime", expectedVersion: tenant.version },
        east.director,
        clock.now(),
      ),
    );
    clock.advance(3_600_000);
    const b = dispatch(tenant.mode, clock.now(), "case-b");

    clock.advance(3_600_000);
    tenant = expectOkMode(
      decideModeSwitch(
        compiled,
        tenant,
        { type: "switch-mode", to: "peacetime", expectedVersion: tenant.version },
        east.director,
        clock.now(),
      ),
    );
    clock.advance(3_600_000);
    const c = dispatch(tenant.mode, clock.now(), "case-c");

    expect(a.deadlines[0]).toMatchObject({
      mode: "peacetime",
      unit: "working-days",
      dueAt: "2025-03-10T15:59:59.999Z",
    });
    expect(b.deadlines[0]).toMatchObject({
      mode: "wartime",
      unit: "hours",
      startedAt: local("2025-03-03 12:00").toISOString(),
      dueAt: local("2025-03-04 12:00").toISOString(),
    });
    expect(c.deadlines[0]).toMatchObject({
      mode: "peacetime",
      unit: "working-days",
      dueAt: "2025-03-10T15:59:59.999Z",
    });
    // Switching back does not re-time work already running: case B keeps its 24 hours.
    const bLater = withMode(b, "peacetime");
    expect(nextCheckAt(compiled, bLater)).toBe(local("2025-03-04 08:00").toISOString()); // 4 hours before
  });

  it("a wartime deadline uses the wartime reminders (4 hours, 1 hour) and skips none of them", () => {
    const b = dispatch("wartime", t0, "case-w");
    expect(b.deadlines[0]!.ladderStep).toBe(0);
    const r1 = expectOk(decide(compiled, b, { type: "tick" }, SYSTEM_ACTOR, local("2025-03-04 06:00")));
    expect(ofType(r1.outcomes, "notify")).toMatchObject([
      { units: ["village-qiaotou"], urgency: "urgent", data: { label: { zh: "不到4小时" } } },
    ]);
    const r2 = expectOk(decide(compiled, r1.next, { type: "tick" }, SYSTEM_ACTOR, local("2025-03-04 09:00")));
    // "$duty-leader" in wartime is the whole leadership.
    expect(ofType(r2.outcomes, "notify")).toMatchObject([
      {
        posts: ["director", "executive-deputy", "full-time-deputy"],
        units: ["village-qiaotou"],
        urgency: "urgent",
        data: { label: { zh: "不到1小时" } },
      },
    ]);
    const atDue = expectOk(decide(compiled, r2.next, { type: "tick" }, SYSTEM_ACTOR, local("2025-03-04 10:00")));
    expect(atDue.changed).toBe(false); // at the due instant itself it is not yet overdue
    const late = expectOk(
      decide(compiled, r2.next, { type: "tick" }, SYSTEM_ACTOR, new Date(local("2025-03-04 10:00").getTime() + 1)),
    );
    expect(ofType(late.outcomes, "supervision-sheet")).toMatchObject([{ urgency: "urgent", trigger: "ladder" }]);
  });

  it("peacetime reminders that would fall before a short deadline's start are done from the outset", () => {
    // A policy without wartime reminders: the 3/2/1-day reminders of a 24-hour deadline are all in the past.
    const config = structuredClone(compiled.config) as Record<string, any>;
    delete config.deadlinePolicies.standard.wartimeReminders;
    const variant = compileWithCalendars(config);
    let s = newCase(variant, { mode: "wartime" });
    s = fire(variant, s, "triage", east.routing, t0, { gradeId: "general" }).next;
    s = fire(variant, s, "dispatch", east.routing, t0, { leadUnitId: "village-qiaotou" }).next;
    expect(s.deadlines[0]!.ladderStep).toBe(3);
    expect(nextCheckAt(variant, s)).toBe(new Date(local("2025-03-04 10:00").getTime() + 1).toISOString());
  });
});

describe("wartime routing", () => {
  const inTriage = (gradeId: string, mode: Mode): CaseState => ({
    ...newCase(compiled, { categoryId: "safety-hazard", gradeId, mode }),
    state: "triage",
  });
  const dispatchBy = (state: CaseState, actor: ActorContext) =>
    decide(
      compiled,
      state,
      { type: "transition", transitionId: "dispatch", input: { leadUnitId: "platform-safety" }, expectedVersion: 1 },
      actor,
      t0,
    ).ok;

  it.each([
    { grade: "difficult", actor: "director", peacetime: false, wartime: true },
    { grade: "difficult", actor: "deputy", peacetime: false, wartime: true },
    { grade: "difficult", actor: "routing", peacetime: false, wartime: false },
    { grade: "major", actor: "director", peacetime: true, wartime: true },
    { grade: "major", actor: "deputy", peacetime: false, wartime: true },
    { grade: "general", actor: "routing", peacetime: true, wartime: true },
  ] as const)("$grade case, $actor: peacetime $peacetime, wartime $wartime", ({ grade, actor, peacetime, wartime }) => {
    expect(dispatchBy(inTriage(grade, "peacetime"), east[actor])).toBe(peacetime);
    expect(dispatchBy(inTriage(grade, "wartime"), east[actor])).toBe(wartime);
  });

  it("the mode's grade overrides come from config", () => {
    expect(gradeAnalysis(compiled, "difficult", "peacetime")).toEqual({ by: "duty-leader" });
    expect(gradeAnalysis(compiled, "difficult", "wartime")).toEqual({ by: "leadership" });
    expect(gradeAnalysis(compiled, "general", "wartime")).toEqual({ by: "post", post: "routing" });
  });

  it("triage of a difficult case goes to the duty leader in peacetime and to the whole leadership in wartime", () => {
    const peaceNote = ofType(
      fire(compiled, newCase(compiled), "triage", east.routing, t0, { gradeId: "difficult" }).outcomes,
      "notify",
    )[0];
    const warNote = ofType(
      fire(compiled, newCase(compiled, { mode: "wartime" }), "triage", east.routing, t0, { gradeId: "difficult" })
        .outcomes,
      "notify",
    )[0];
    expect(peaceNote).toMatchObject({ posts: [], dutyLeaderOn: "2025-03-03", urgency: "normal" });
    expect(warNote).toMatchObject({ posts: ["director", "executive-deputy", "full-time-deputy"], urgency: "urgent" });
    expect(warNote).not.toHaveProperty("dutyLeaderOn");
  });

  it("wartime direct dispatch: any leader on duty skips triage; refused in peacetime", () => {
    const input = { leadUnitId: "village-qiaotou", instructions: "立即处置" };
    const war = fire(compiled, newCase(compiled, { mode: "wartime" }), "fast-dispatch", east.director, t0, input);
    expect(war.next).toMatchObject({ state: "dispatched", assignment: { leadUnitId: "village-qiaotou" } });
    expect(war.next.deadlines[0]).toMatchObject({ mode: "wartime", dueAt: local("2025-03-04 10:00").toISOString() });
    expect(ofType(war.outcomes, "notify")[0]).toMatchObject({ urgency: "urgent", kind: "case.dispatched" });

    const refusal = expectRefusal(
      decide(
        compiled,
        newCase(compiled),
        { type: "transition", transitionId: "fast-dispatch", input, expectedVersion: 1 },
        east.deputyOnDuty,
        t0,
      ),
    );
    expect(refusal).toMatchObject({ kind: "not-allowed", issues: [{ code: "guard.mode" }] });
    expect(issueMessage((refusal as { issues: Parameters<typeof issueMessage>[0][] }).issues[0]!)).toEqual({
      zh: "此操作只在战时可用",
      en: "Only available in wartime",
    });

    expect(
      availableTransitions(compiled, newCase(compiled, { mode: "wartime" }), east.director, t0).map((t) => t.id),
    ).toEqual(["fast-dispatch"]);
    expect(availableTransitions(compiled, newCase(compiled), east.director, t0)).toEqual([]);
  });
});

function expectOkMode(d: ReturnType<typeof decideModeSwitch>): TenantModeState {
  if (!d.ok) throw new Error(JSON.stringify(d.refusal));
  return d.next;
}
