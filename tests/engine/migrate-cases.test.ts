// The migration planner (docs/decisions/038): moving open cases to a newer config version, on the
// shipped east-lake config. Same state ids map by themselves; a state the new version lacks needs
// the admin's choice; a category, grade or form the new version lacks is an issue; a deadline whose
// policy changed is recomputed from its start under the new policy, and others are kept.
import { describe, expect, it } from "vitest";
import type { Deadline } from "#engine/case-state";
import type { CompiledConfig } from "#engine/config/compile";
import { planMigration, type MigratingCase, type StateChoices } from "#engine/config/migrate-cases";
import { startDeadline } from "#engine/supervision";
import { compileWithCalendars, local, resolvedJson } from "./workflow-helpers";
import { issueMessage } from "#app/locales/issues/index";

const endOf = (date: string) => new Date(`${date}T23:59:59.999+08:00`).toISOString();

function eastLakeWith(edit?: (config: any) => void): CompiledConfig {
  const config = resolvedJson("townships/east-lake.json");
  edit?.(config);
  return compileWithCalendars(config);
}

/** The case-loop's `handling` state renamed `processing` everywhere (its only id in the config). */
const renameHandling = (config: any) => {
  const renamed = JSON.parse(JSON.stringify(config).replaceAll('"handling"', '"processing"'));
  for (const key of Object.keys(config)) delete config[key];
  Object.assign(config, renamed);
};

const v1 = eastLakeWith();
// Dispatched Monday 2 March 2026 10:00: a standard (5 working days) deadline due Monday 9 March.
const START = local("2026-03-02 10:00");
const NOW = local("2026-03-03 12:00");
const handle = (over: Partial<Deadline> = {}): Deadline => ({
  ...startDeadline(v1, { id: "handle@3", kind: "handle", policyId: "standard", mode: "peacetime", start: START }),
  ...over,
});

const openCase = (over: Partial<MigratingCase> = {}): MigratingCase => ({
  id: "c1",
  number: "2026-000001",
  version: 4,
  configVersion: 1,
  workflowId: "case-loop",
  state: "handling",
  categoryId: "dispute",
  gradeId: "general",
  orgUnitId: "grid-qiaotou-1",
  assignment: { leadUnitId: "platform-safety", assistUnitIds: [], assigneeUserIds: ["u-1"] },
  deadlines: [handle()],
  ...over,
});

const plan = (target: CompiledConfig, cases: MigratingCase[], choices: StateChoices = {}) =>
  planMigration({ target: { version: 2, compiled: target }, sources: new Map([[1, v1]]), cases, choices, now: NOW });

const codes = (p: ReturnType<typeof plan>) => p.issues.map((i) => i.code);

describe("the state mapping", () => {
  it.each([
    { state: "dispatched", to: "dispatched" },
    { state: "handling", to: "handling" },
    { state: "feedback", to: "feedback" },
  ])("same ids map: $state → $to, ready to apply", ({ state, to }) => {
    const p = plan(eastLakeWith(), [openCase({ state })]);
    expect(p.mapping).toEqual([expect.objectContaining({ from: state, to, how: "same-id", cases: 1 })]);
    expect(p.ready).toBe(true);
    expect(p.cases[0]?.next?.state).toBe(to);
  });

  it("a state the new version lacks needs the admin's choice, and the choices offer only live states", () => {
    const p = plan(eastLakeWith(renameHandling), [openCase(), openCase({ id: "c2", number: "2026-000002" })]);
    expect(p.mapping).toEqual([
      expect.objectContaining({ key: "case-loop/handling", to: null, how: "needs-choice", cases: 2 }),
    ]);
    expect(codes(p)).toEqual(["migrate.state-unmapped"]);
    expect(issueMessage(p.issues[0]!).zh).toContain("处置中");
    expect(p.ready).toBe(false);
    const offered = p.mapping[0]!.choices.map((c) => c.id);
    expect(offered).toContain("processing");
    expect(offered).not.toContain("archived");
  });

  it("with the choice made, every case moves to the chosen state", () => {
    const p = plan(eastLakeWith(renameHandling), [openCase()], { "case-loop/handling": "processing" });
    expect(p.mapping[0]).toMatchObject({ to: "processing", how: "chosen" });
    expect(p.ready).toBe(true);
    expect(p.cases[0]).toMatchObject({ toState: "processing", toStateName: { zh: "处置中" } });
  });

  it.each([
    { what: "a final state", to: "archived", code: "migrate.state-final" },
    { what: "a state that does not exist", to: "nowhere", code: "migrate.state-unknown" },
    { what: "a state no action leads to", to: "orphan", code: "migrate.state-unreachable" },
  ])("choosing $what is an issue", ({ to, code }) => {
    // Validation refuses a state nothing leads to; the planner checks it anyway (the version may be old).
    const renamed = eastLakeWith(renameHandling);
    const loop = structuredClone(renamed.workflows.get("case-loop")!);
    loop.states.orphan = { name: { zh: "孤立", en: "Orphan" } };
    const target = { ...renamed, workflows: new Map([...renamed.workflows, ["case-loop", loop]]) };
    const p = plan(target, [openCase()], { "case-loop/handling": to });
    expect(codes(p)).toEqual([code]);
    expect(p.cases[0]?.next).toBeUndefined();
  });
});

describe("what the new version lacks", () => {
  const without = (compiled: CompiledConfig, part: "categories" | "grades" | "forms", id: string): CompiledConfig => ({
    ...compiled,
    [part]: new Map([...(compiled[part] as ReadonlyMap<string, unknown>)].filter(([k]) => k !== id)),
  });
  it.each([
    { what: "the case's category", target: without(v1, "categories", "dispute"), code: "migrate.category-missing" },
    { what: "the case's grade", target: without(v1, "grades", "general"), code: "migrate.grade-missing" },
    {
      what: "the form it was reported with",
      target: without(v1, "forms", "intake-dispute"),
      code: "migrate.form-missing",
    },
  ])("$what is an issue and the case does not move", ({ target, code }) => {
    const p = plan(target, [openCase()]);
    expect(codes(p)).toContain(code);
    expect(p.ready).toBe(false);
    expect(p.cases[0]?.next).toBeUndefined();
    expect(issueMessage(p.cases[0]!.issues.find((i) => i.code === code)!).en).toMatch(/new version (has no|lacks)/);
  });
});

describe("deadlines", () => {
  const longer = eastLakeWith((c) => {
    c.deadlinePolicies.standard.handle = { amount: 10, unit: "working-days" };
  });

  it.each([
    {
      what: "an unchanged policy keeps the deadline",
      target: v1,
      deadline: handle(),
      change: "kept",
      reason: "same-policy",
      due: endOf("2026-03-09"),
    },
    {
      what: "a changed policy recomputes it from its start under the new policy",
      target: longer,
      deadline: handle(),
      change: "recomputed",
      reason: "policy-changed",
      due: endOf("2026-03-16"),
    },
    {
      what: "an overdue deadline is kept under a changed policy",
      target: longer,
      deadline: handle({ dueAt: endOf("2026-03-02") }),
      change: "kept",
      reason: "overdue",
      due: endOf("2026-03-02"),
    },
    {
      what: "a paused deadline is kept under a changed policy",
      target: longer,
      deadline: handle({ pausedAt: local("2026-03-03 09:00").toISOString() }),
      change: "kept",
      reason: "paused",
      due: endOf("2026-03-09"),
    },
    {
      what: "a due date a dispatcher chose is kept under a changed policy",
      target: longer,
      deadline: handle({ unit: "calendar-days", dueAt: endOf("2026-03-20") }),
      change: "kept",
      reason: "date-chosen",
      due: endOf("2026-03-20"),
    },
  ])("$what", ({ target, deadline, change, reason, due }) => {
    const p = plan(target, [openCase({ deadlines: [deadline] })]);
    expect(p.cases[0]?.deadlines).toEqual([expect.objectContaining({ change, reason, toDueAt: due })]);
    expect(p.cases[0]?.next?.deadlines[0]?.dueAt).toBe(due);
    expect(issueMessage(p.cases[0]!.deadlines[0]!.message).zh).not.toBe("");
  });

  it("a recomputed deadline gets a new id, so its ladder's steps are sent afresh, and none whose time passed", () => {
    const p = plan(longer, [openCase()]);
    const next = p.cases[0]!.next!.deadlines[0]!;
    expect(next.id).toBe("handle@5");
    expect(issueMessage(p.cases[0]!.deadlines[0]!.message)).toEqual({
      zh: "新版本的时限由 5 个工作日改为 10 个工作日，自原起始时间重新计算",
      en: "The new version gives 10 working days instead of 5 working days; recomputed from the deadline's start",
    });
    expect(next.ladderStep).toBe(0);
  });

  it("a recomputed deadline that would already be over is due at the end of today instead", () => {
    const shorter = eastLakeWith((c) => {
      c.deadlinePolicies.standard.handle = { amount: 1, unit: "working-days" };
    });
    const p = plan(shorter, [openCase()], {});
    expect(p.cases[0]?.deadlines[0]).toMatchObject({ change: "recomputed", toDueAt: endOf("2026-03-03") });
  });

  it("a deadline kind the new workflow no longer starts is cleared", () => {
    const p = plan(v1, [openCase({ deadlines: [handle({ id: "inspect@2", kind: "inspect" })] })]);
    expect(p.cases[0]?.deadlines[0]).toMatchObject({ change: "cleared", reason: "kind-gone", toDueAt: null });
    expect(p.cases[0]?.next?.deadlines).toEqual([]);
  });
});

describe("assignees", () => {
  it("units the new org lacks are cleared; units it has and named people are kept", () => {
    const target = eastLakeWith((c) => {
      c.org.units = c.org.units.filter(
        (u: { id: string; parent?: string }) => u.id !== "village-shanxia" && u.parent !== "village-shanxia",
      );
    });
    const p = plan(target, [
      openCase({
        assignment: { leadUnitId: "platform-safety", assistUnitIds: ["village-shanxia"], assigneeUserIds: ["u-1"] },
      }),
    ]);
    expect(p.cases[0]?.units).toEqual([
      expect.objectContaining({ unitId: "platform-safety", role: "lead", kept: true }),
      expect.objectContaining({
        unitId: "village-shanxia",
        role: "assist",
        kept: false,
        name: { zh: "山下村", en: "Shanxia Village" },
      }),
    ]);
    expect(p.cases[0]?.assigneesKept).toBe(1);
    expect(p.cases[0]?.next?.assignment).toEqual({
      leadUnitId: "platform-safety",
      assistUnitIds: [],
      assigneeUserIds: ["u-1"],
    });
  });
});

it("counts the open cases per old version", () => {
  const p = plan(v1, [openCase(), openCase({ id: "c2", number: "2", configVersion: 1 })]);
  expect(p.byVersion).toEqual([{ version: 1, cases: 2 }]);
});
