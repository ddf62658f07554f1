import { describe, expect, it } from "vitest";
import { SYSTEM_ACTOR, type ActorContext, type CaseState } from "#engine/case-state";
import { workflowIssues } from "#engine/config/checks-workflow";
import { validateTownshipConfig } from "#engine/config/validate";
import type { Outcome } from "#engine/outcomes";
import { isDutyLeader } from "#engine/rota";
import { availableTransitions, decide, type Decision } from "#engine/workflow";
import { atPointer, hasCjk, type MutableConfig } from "./helpers";
import {
  compileWithCalendars,
  east,
  eastLake,
  expectDistinctKeys,
  expectOk,
  expectRefusal,
  fire,
  local,
  newCase,
  ofType,
  person,
  resolvedJson,
  types,
  zhoushan,
} from "./workflow-helpers";
import { issueMessage } from "#app/locales/issues/index";

const compiled = eastLake();
const t0 = local("2025-03-03 10:00"); // a Monday; no holiday in sight
const later = (hours: number) => new Date(t0.getTime() + hours * 3_600_000);

/** Runs a list of steps from a fresh case and keeps every decision. */
function scenario(start: CaseState, steps: Array<{ id: string; actor: ActorContext; at: Date; input?: unknown }>) {
  const trace: Array<{ step: (typeof steps)[number]; before: CaseState; decision: Extract<Decision, { ok: true }> }> =
    [];
  let state = start;
  for (const step of steps) {
    const decision = fire(compiled, state, step.id, step.actor, step.at, step.input);
    trace.push({ step, before: state, decision });
    state = decision.next;
  }
  return trace;
}

describe("the bottom-up case loop, step by step", () => {
  const trace = scenario(newCase(compiled, { id: "case-loop-1" }), [
    { id: "triage", actor: east.routing, at: t0, input: { gradeId: "general", note: "邻里纠纷，一般事件" } },
    {
      id: "dispatch",
      actor: east.routing,
      at: later(1),
      input: { leadUnitId: "village-qiaotou", assistUnitIds: ["grid-qiaotou-1"], instructions: "请于5个工作日内调解" },
    },
    { id: "accept", actor: east.village, at: later(2) },
    {
      id: "report-back",
      actor: east.village,
      at: later(50),
      input: { result: "双方达成调解协议", measures: "上门调解两次" },
    },
    { id: "review", actor: east.inspector, at: later(60), input: { opinion: "处置到位" } },
    { id: "close", actor: east.routing, at: later(70), input: { satisfaction: "satisfied", method: "phone" } },
    { id: "archive", actor: east.inspector, at: later(80) },
  ]);

  it.each([
    { id: "triage", to: "triage", effects: ["audit", "notify"] },
    { id: "dispatch", to: "dispatched", effects: ["audit", "deadline-set", "notify"] },
    { id: "accept", to: "handling", effects: ["audit"] },
    { id: "report-back", to: "feedback", effects: ["audit", "deadline-paused", "deadline-set", "notify"] },
    { id: "review", to: "revisit", effects: ["audit", "deadline-cleared", "deadline-cleared"] },
    { id: "close", to: "closed", effects: ["audit", "supervision-closed"] },
    { id: "archive", to: "archived", effects: ["audit"] },
  ])("$id → $to with effects $effects", ({ id, to, effects }) => {
    const { before, decision } = trace.find((t) => t.step.id === id)!;
    expect(decision.next.state).toBe(to);
    expect(decision.next.version).toBe(before.version + 1);
    expect(decision.changed).toBe(true);
    expect(types(decision.outcomes)).toEqual(effects);
    expect(decision.outcomes[0]).toMatchObject({
      type: "audit",
      event: "case.transition",
      data: { transitionId: id, from: before.state, to, version: before.version + 1 },
    });
    expectDistinctKeys(decision.outcomes);
  });

  it("triage of a general case tells the routing post (the grade's analyst)", () => {
    const { decision } = trace[0]!;
    expect(ofType(decision.outcomes, "notify")).toEqual([
      {
        type: "notify",
        posts: ["routing"],
        kind: "case.triage",
        urgency: "normal",
        caseId: "case-loop-1",
        dedupeKey: "case:case-loop-1:v2:triage:1",
      },
    ]);
  });

  it("dispatch assigns lead and assisting units from the form and starts the handling deadline (5 working days)", () => {
    const { decision } = trace[1]!;
    expect(decision.next.assignment).toEqual({
      leadUnitId: "village-qiaotou",
      assistUnitIds: ["grid-qiaotou-1"],
      assignedBy: "u-routing",
      assignedAt: later(1).toISOString(),
    });
    expect(decision.next.deadlines).toEqual([
      {
        id: "handle@3",
        kind: "handle",
        policyId: "standard",
        mode: "peacetime",
        unit: "working-days",
        startedAt: later(1).toISOString(),
        dueAt: "2025-03-10T15:59:59.999Z",
        ladderStep: 0,
      },
    ]);
    expect(decision.nextCheckAt).toBe("2025-03-07T15:59:59.999Z"); // the first reminder: 3 days before
    expect(ofType(decision.outcomes, "notify")[0]).toMatchObject({
      units: ["village-qiaotou", "grid-qiaotou-1"],
      kind: "case.dispatched",
    });
  });

  it("report-back stops the handling clock and starts the review clock", () => {
    const { decision } = trace[3]!;
    const [handle, review] = decision.next.deadlines;
    expect(handle).toMatchObject({ kind: "handle", pausedAt: later(50).toISOString() });
    expect(review).toMatchObject({ id: "review@5", kind: "review", policyId: "review" });
    expect(decision.nextCheckAt).toBe(new Date(new Date(review!.dueAt).getTime() - 86_400_000).toISOString());
  });

  it("review clears both clocks; the audit entry records them met, for the scoring rules (no points of its own)", () => {
    const { decision } = trace[4]!;
    expect(ofType(decision.outcomes, "audit")[0]!.data.cleared).toMatchObject([
      { kind: "review", met: true, reason: "done" },
      { kind: "handle", met: true, reason: "done" },
    ]);
    expect(ofType(decision.outcomes, "deadline-cleared").map((e) => [e.kind, e.met, e.reason])).toEqual([
      ["review", true, "done"],
      ["handle", true, "done"],
    ]);
    expect(decision.next.deadlines).toEqual([]);
    expect(decision.nextCheckAt).toBeNull();
  });

  it("close records the satisfaction in the audit entry (the scoring rules score it) and closes supervision", () => {
    const { decision } = trace[5]!;
    expect(ofType(decision.outcomes, "audit")[0]!.data.input).toMatchObject({ satisfaction: "satisfied" });
    expect(ofType(decision.outcomes, "supervision-closed")).toEqual([
      { type: "supervision-closed", caseId: "case-loop-1", at: later(70).toISOString() },
    ]);
  });

  it("dedupe keys never repeat over the whole life of the case", () => {
    expectDistinctKeys(trace.flatMap((t) => t.decision.outcomes));
  });
});

describe("the other transitions", () => {
  function dispatched(categoryId = "dispute") {
    let s = newCase(compiled, { categoryId });
    s = fire(compiled, s, "triage", east.routing, t0, { gradeId: "general" }).next;
    return fire(compiled, s, "dispatch", east.routing, t0, { leadUnitId: "village-qiaotou" }).next;
  }

  it("return (退回) goes back to triage with the reason, to whoever dispatched, and stops the clock", () => {
    const d = fire(compiled, dispatched(), "return", east.village, later(3), { reason: "不属于本村管辖" });
    expect(d.next.state).toBe("triage");
    expect(d.next.assignment).toEqual({ assistUnitIds: [] });
    expect(d.next.deadlines).toEqual([]);
    expect(ofType(d.outcomes, "notify")).toMatchObject([
      { users: ["u-routing"], kind: "case.returned", data: { reason: "不属于本村管辖" } },
    ]);
    expect(ofType(d.outcomes, "deadline-cleared")).toMatchObject([{ kind: "handle", reason: "returned", met: true }]);
    expect(d.outcomes[0]).toMatchObject({ data: { input: { reason: "不属于本村管辖" } } });
  });

  it("dispatch without a lead unit falls back to the category's routing (lead and assisting units)", () => {
    let s = newCase(compiled, { categoryId: "safety-hazard", gradeId: "general" });
    s = fire(compiled, s, "triage", east.routing, t0, { gradeId: "general" }).next;
    const d = fire(compiled, s, "dispatch", east.routing, t0, {});
    expect(d.next.assignment).toMatchObject({ leadUnitId: "platform-safety", assistUnitIds: ["fire-station"] });
  });

  it("suspend pauses the handling deadline; resume gives the paused working days back", () => {
    let s = fire(compiled, dispatched(), "accept", east.village, t0).next;
    const due = s.deadlines[0]!.dueAt;
    s = fire(compiled, s, "suspend", east.routing, local("2025-03-05 09:00"), { reason: "等待鉴定结果" }).next;
    expect(s.state).toBe("suspended");
    expect(s.deadlines[0]!.pausedAt).toBe(local("2025-03-05 09:00").toISOString());
    const d = fire(compiled, s, "resume", east.routing, local("2025-03-07 09:00"));
    expect(d.next.state).toBe("handling");
    expect(d.next.deadlines[0]!.pausedAt).toBeUndefined();
    // Paused Wed, resumed Fri: Thu and Fri were consumed, so the due moves two working days.
    expect(due).toBe("2025-03-10T15:59:59.999Z");
    expect(d.next.deadlines[0]!.dueAt).toBe("2025-03-12T15:59:59.999Z");
    expect(ofType(d.outcomes, "deadline-resumed")).toMatchObject([
      { previousDueAt: due, dueAt: "2025-03-12T15:59:59.999Z" },
    ]);
  });

  it("rework (审核退回重办) resumes the handling clock where report-back paused it", () => {
    let s = fire(compiled, dispatched(), "accept", east.village, t0).next;
    s = fire(compiled, s, "report-back", east.village, local("2025-03-04 10:00"), { result: "已处理" }).next;
    const d = fire(compiled, s, "redo", east.inspector, local("2025-03-04 16:00"), { reason: "未附现场照片" });
    expect(d.next.state).toBe("handling");
    expect(d.next.deadlines.map((x) => x.kind)).toEqual(["handle"]);
    expect(d.next.deadlines[0]!.dueAt).toBe("2025-03-10T15:59:59.999Z"); // same local day: nothing consumed
    expect(ofType(d.outcomes, "notify")).toMatchObject([{ units: ["village-qiaotou"], kind: "case.rework" }]);
  });

  it("reopen starts a new handling deadline with its own id, so its reminders get fresh dedupe keys", () => {
    let s = fire(compiled, dispatched(), "accept", east.village, t0).next;
    s = fire(compiled, s, "report-back", east.village, later(5), { result: "已处理" }).next;
    s = fire(compiled, s, "review", east.routing, later(6), {}).next;
    s = fire(compiled, s, "close", east.routing, later(7), { satisfaction: "unsatisfied" }).next;
    const d = fire(compiled, s, "reopen", east.routing, later(8), { reason: "群众反映问题复发" });
    expect(d.next.state).toBe("handling");
    expect(d.next.deadlines.map((x) => x.id)).toEqual([`handle@${d.next.version}`]);
    expect(d.next.deadlines[0]!.id).not.toBe("handle@3");
  });

  it("an unsatisfied revisit is recorded for the scoring rules, with the lead unit still assigned", () => {
    let s = fire(compiled, dispatched(), "accept", east.village, t0).next;
    s = fire(compiled, s, "report-back", east.village, later(5), { result: "已处理" }).next;
    s = fire(compiled, s, "review", east.routing, later(6), {}).next;
    const d = fire(compiled, s, "close", east.reporter, later(7), { satisfaction: "unsatisfied" });
    expect(ofType(d.outcomes, "audit")[0]!.data).toMatchObject({
      input: { satisfaction: "unsatisfied" },
      assignment: { leadUnitId: "village-qiaotou" },
    });
  });

  it("supervise (督办) issues a numbered supervision sheet to the lead unit by hand", () => {
    const s = fire(compiled, dispatched(), "accept", east.village, t0).next;
    const d = fire(compiled, s, "supervise", east.director, later(30));
    expect(d.next.state).toBe("handling");
    expect(ofType(d.outcomes, "supervision-sheet")).toEqual([
      {
        type: "supervision-sheet",
        caseId: s.id,
        tenantId: "east-lake",
        sequence: "supervision-sheet",
        trigger: "manual",
        deadlineId: "handle@3",
        deadlineKind: "handle",
        dueAt: "2025-03-10T15:59:59.999Z",
        issuedAt: later(30).toISOString(),
        respondBy: "2025-03-11T15:59:59.999Z", // 5 working days after Tue 4 March
        toUnitIds: ["village-qiaotou"],
        toUserIds: [],
        copyPosts: ["routing"],
        urgency: "normal",
        dedupeKey: `case:${s.id}:v${s.version + 1}:supervise:0`,
      },
    ]);
    expect(ofType(d.outcomes, "notify")).toMatchObject([
      { posts: ["routing"], units: ["village-qiaotou"], kind: "supervision.sheet" },
    ]);
  });
});

describe("triage by grade: who may dispatch", () => {
  const inTriage = (gradeId: string) => ({
    ...newCase(compiled, { categoryId: "safety-hazard", gradeId }),
    state: "triage",
  });
  const input = { leadUnitId: "platform-safety" };
  const rota = { rotation: { start: "2025-03-01", holders: ["u-deputy", "u-other-deputy"] } };

  it.each([
    { grade: "general", actor: "routing", ok: true },
    { grade: "general", actor: "director", ok: false },
    { grade: "difficult", actor: "routing", ok: false },
    { grade: "difficult", actor: "director", ok: false },
    { grade: "difficult", actor: "deputy", ok: false },
    { grade: "difficult", actor: "deputyOnDuty", ok: true },
    { grade: "major", actor: "director", ok: true },
    { grade: "major", actor: "deputyOnDuty", ok: false },
    { grade: "major", actor: "routing", ok: false },
  ] as const)("$grade case: $actor may dispatch → $ok", ({ grade, actor, ok }) => {
    const decision = decide(
      compiled,
      inTriage(grade),
      { type: "transition", transitionId: "dispatch", input, expectedVersion: 1 },
      east[actor],
      t0,
    );
    expect(decision.ok).toBe(ok);
    if (!decision.ok)
      expect(decision.refusal).toMatchObject({ kind: "not-allowed", issues: [{ code: "actor.not-allowed" }] });
  });

  it("a difficult case goes to today's duty leader from the rota (the caller asks the rota helper)", () => {
    // 2025-03-03 is day 2 of the rotation: u-deputy (day 0), u-other-deputy (day 1), u-deputy (day 2).
    const onDuty = isDutyLeader(compiled, rota, east.deputy, t0);
    const nextDay = isDutyLeader(compiled, rota, east.deputy, local("2025-03-04 10:00"));
    expect([onDuty, nextDay]).toEqual([true, false]);
    const actor = { ...east.deputy, isDutyLeaderToday: onDuty };
    expect(
      decide(
        compiled,
        inTriage("difficult"),
        { type: "transition", transitionId: "dispatch", input, expectedVersion: 1 },
        actor,
        t0,
      ).ok,
    ).toBe(true);
    const tomorrow = { ...east.deputy, isDutyLeaderToday: nextDay };
    expect(
      decide(
        compiled,
        inTriage("difficult"),
        { type: "transition", transitionId: "dispatch", input, expectedVersion: 1 },
        tomorrow,
        local("2025-03-04 10:00"),
      ).ok,
    ).toBe(false);
  });

  it.each([
    { grade: "general", expected: { posts: ["routing"] } },
    { grade: "difficult", expected: { posts: [], dutyLeaderOn: "2025-03-03" } },
    { grade: "major", expected: { posts: ["director"] } },
  ])("triage to $grade notifies the $grade analyst", ({ grade, expected }) => {
    const d = fire(compiled, newCase(compiled), "triage", east.routing, t0, { gradeId: grade });
    expect(d.next.gradeId).toBe(grade);
    expect(ofType(d.outcomes, "notify")[0]).toMatchObject(expected);
  });

  it("before the 08:30 handover the duty leader is still yesterday's", () => {
    const d = fire(compiled, newCase(compiled), "triage", east.routing, local("2025-03-04 07:59"), {
      gradeId: "difficult",
    });
    expect(ofType(d.outcomes, "notify")[0]).toMatchObject({ dutyLeaderOn: "2025-03-03" });
  });
});

describe("escalation to the county and dispatch back down", () => {
  const difficult = () => {
    const s = fire(compiled, newCase(compiled, { categoryId: "safety-hazard" }), "triage", east.analyst, t0, {
      gradeId: "difficult",
    }).next;
    return fire(compiled, s, "escalate", east.deputyOnDuty, later(1), { reason: "涉及多个部门，超出乡镇权限" });
  };

  it("the duty leader escalates a difficult case; the county sees it as handed over", () => {
    const d = difficult();
    expect(d.next).toMatchObject({ state: "escalated", escalatedTo: "county", escalatedBy: "u-deputy" });
    expect(ofType(d.outcomes, "escalate")).toEqual([
      {
        type: "escalate",
        caseId: d.next.id,
        tenantId: "east-lake",
        to: "county",
        handover: true,
        reason: "涉及多个部门，超出乡镇权限",
        dedupeKey: `case:${d.next.id}:v3:escalate:0`,
      },
    ]);
  });

  it("a general case cannot be escalated (grade guard)", () => {
    const s = fire(compiled, newCase(compiled), "triage", east.routing, t0, { gradeId: "general" }).next;
    const refusal = expectRefusal(
      decide(
        compiled,
        s,
        { type: "transition", transitionId: "escalate", input: { reason: "试试看" }, expectedVersion: s.version },
        east.routing,
        t0,
      ),
    );
    expect(refusal).toMatchObject({ kind: "not-allowed", issues: [{ code: "guard.grade-in" }] });
  });

  it("escalating from handling stops the township's clock", () => {
    let s = fire(compiled, newCase(compiled, { categoryId: "safety-hazard" }), "triage", east.analyst, t0, {
      gradeId: "difficult",
    }).next;
    s = fire(compiled, s, "dispatch", east.deputyOnDuty, t0, {}).next;
    s = fire(compiled, s, "accept", person("east-lake", "u-safety", "platform-safety", []), t0).next;
    const d = fire(compiled, s, "escalate", east.deputyOnDuty, later(5), { reason: "需县级部门牵头" });
    expect(d.next.deadlines).toEqual([]);
    expect(ofType(d.outcomes, "deadline-cleared")).toMatchObject([{ kind: "handle", reason: "escalated", met: true }]);
  });

  it("the county dispatches to a department as lead with the village assisting (部门主导、属地协助)", () => {
    const d = fire(compiled, difficult().next, "county-dispatch", east.county, later(3), {
      leadUnitId: "police-station",
      assistUnitIds: ["village-qiaotou"],
      instructions: "派出所牵头",
    });
    expect(d.next).toMatchObject({
      state: "dispatched",
      escalatedTo: "county",
      assignment: { leadUnitId: "police-station", assistUnitIds: ["village-qiaotou"], assignedBy: "u-county" },
    });
    expect(d.next.deadlines.map((x) => x.kind)).toEqual(["handle"]);
    expect(ofType(d.outcomes, "notify")[0]).toMatchObject({
      units: ["police-station", "village-qiaotou"],
      dutyLeaderOn: "2025-03-03",
    });
    // The lead department accepts in the township's loop.
    expect(fire(compiled, d.next, "accept", east.police, later(4)).next.state).toBe("handling");
  });

  it("the county must name the lead unit: routing defaults are the township's, not the county's", () => {
    const s = difficult().next;
    const refusal = expectRefusal(
      decide(
        compiled,
        s,
        { type: "transition", transitionId: "county-dispatch", input: {}, expectedVersion: s.version },
        east.county,
        later(3),
      ),
    );
    expect(refusal).toMatchObject({
      kind: "invalid-input",
      issues: [{ path: "/input/leadUnitId", code: "assignment.lead-missing" }],
    });
  });

  it("the county sends it back down to the township, to whoever escalated, with the reason", () => {
    const d = fire(compiled, difficult().next, "county-return", east.county, later(3), { reason: "属地可自行处置" });
    expect(d.next.state).toBe("triage");
    expect(d.next.escalatedTo).toBeUndefined();
    expect(d.next.escalatedBy).toBeUndefined();
    expect(ofType(d.outcomes, "notify")).toMatchObject([
      { users: ["u-deputy"], kind: "case.returned", data: { reason: "属地可自行处置" } },
      { dutyLeaderOn: "2025-03-03", kind: "case.returned" },
    ]);
  });

  it("township staff cannot act as the county", () => {
    const s = difficult().next;
    expect(
      expectRefusal(
        decide(
          compiled,
          s,
          {
            type: "transition",
            transitionId: "county-dispatch",
            input: { leadUnitId: "police-station" },
            expectedVersion: s.version,
          },
          east.director,
          later(3),
        ),
      ).kind,
    ).toBe("not-allowed");
    expect(availableTransitions(compiled, s, east.county, later(3)).map((t) => t.id)).toEqual([
      "county-dispatch",
      "county-return",
      "county-report-back",
    ]);
    expect(availableTransitions(compiled, s, east.director, later(3))).toEqual([]);
  });
});

describe("refusals", () => {
  const reported = newCase(compiled, { id: "case-refused" });
  const triaged = fire(compiled, reported, "triage", east.routing, t0, { gradeId: "general" }).next;
  const publicService = fire(
    compiled,
    newCase(compiled, { categoryId: "public-service" }),
    "triage",
    east.routing,
    t0,
    { gradeId: "general" },
  ).next;

  type Row = {
    name: string;
    state: CaseState;
    transitionId: string;
    actor: ActorContext;
    input?: unknown;
    expectedVersion?: number;
    kind: string;
    issues: Array<{ path: string; code: string }>;
  };
  const rows: Row[] = [
    {
      name: "stale version",
      state: reported,
      transitionId: "triage",
      actor: east.routing,
      input: { gradeId: "general" },
      expectedVersion: 0,
      kind: "stale-version",
      issues: [{ path: "/expectedVersion", code: "version.stale" }],
    },
    {
      name: "stale version wins over wrong state",
      state: reported,
      transitionId: "archive",
      actor: east.grid,
      expectedVersion: 7,
      kind: "stale-version",
      issues: [{ path: "/expectedVersion", code: "version.stale" }],
    },
    {
      name: "wrong state",
      state: reported,
      transitionId: "accept",
      actor: east.village,
      kind: "wrong-state",
      issues: [{ path: "/transitionId", code: "state.wrong" }],
    },
    {
      name: "unknown transition",
      state: reported,
      transitionId: "teleport",
      actor: east.routing,
      kind: "invalid-input",
      issues: [{ path: "/transitionId", code: "transition.unknown" }],
    },
    {
      name: "a grid worker may not triage",
      state: reported,
      transitionId: "triage",
      actor: east.grid,
      input: { gradeId: "general" },
      kind: "not-allowed",
      issues: [{ path: "", code: "actor.not-allowed" }],
    },
    {
      name: "another township's routing post",
      state: reported,
      transitionId: "triage",
      actor: east.otherTownship,
      input: { gradeId: "general" },
      kind: "not-allowed",
      issues: [{ path: "", code: "tenant.mismatch" }],
    },
    {
      name: "the sweep may not fire transitions",
      state: reported,
      transitionId: "triage",
      actor: { ...SYSTEM_ACTOR, tenantId: "east-lake" },
      input: { gradeId: "general" },
      kind: "not-allowed",
      issues: [{ path: "", code: "tenant.mismatch" }],
    },
    {
      name: "only the lead unit accepts, not an assisting unit",
      state: {
        ...triaged,
        state: "dispatched",
        assignment: { leadUnitId: "village-qiaotou", assistUnitIds: ["village-shanxia"] },
      },
      transitionId: "accept",
      actor: person("east-lake", "u-shanxia", "village-shanxia", ["village-station"]),
      kind: "not-allowed",
      issues: [{ path: "", code: "actor.not-allowed" }],
    },
    {
      name: "input against the form: every error, with JSON pointers",
      state: reported,
      transitionId: "triage",
      actor: east.routing,
      input: { gradeId: "urgent", note: 7 },
      kind: "invalid-input",
      issues: [
        { path: "/input/gradeId", code: "schema.enum" },
        { path: "/input/note", code: "schema.type" },
      ],
    },
    {
      name: "missing required input",
      state: triaged,
      transitionId: "dispatch",
      actor: east.routing,
      input: { assistUnitIds: ["grid-qiaotou-1", 3] },
      kind: "invalid-input",
      issues: [{ path: "/input/assistUnitIds/1", code: "schema.type" }],
    },
    {
      name: "no input at all for a form",
      state: reported,
      transitionId: "triage",
      actor: east.routing,
      kind: "invalid-input",
      issues: [{ path: "/input", code: "schema.type" }],
    },
    {
      name: "no lead unit and no routing default",
      state: publicService,
      transitionId: "dispatch",
      actor: east.routing,
      input: {},
      kind: "invalid-input",
      issues: [{ path: "/input/leadUnitId", code: "assignment.lead-missing" }],
    },
    {
      name: "units that do not exist",
      state: triaged,
      transitionId: "dispatch",
      actor: east.routing,
      input: { leadUnitId: "tax-office", assistUnitIds: ["grid-qiaotou-1", "moon-base"] },
      kind: "invalid-input",
      issues: [
        { path: "/input/leadUnitId", code: "unit.unknown" },
        { path: "/input/assistUnitIds/1", code: "unit.unknown" },
      ],
    },
  ];

  it.each(rows)("$name → $kind", ({ state, transitionId, actor, input, expectedVersion, kind, issues }) => {
    const before = structuredClone(state);
    const refusal = expectRefusal(
      decide(
        compiled,
        state,
        { type: "transition", transitionId, input, expectedVersion: expectedVersion ?? state.version },
        actor,
        t0,
      ),
    );
    expect(refusal.kind).toBe(kind);
    expect(refusal.issues.map((i) => ({ path: i.path, code: i.code }))).toEqual(issues);
    for (const i of refusal.issues) {
      expect(hasCjk(issueMessage(i).zh)).toBe(true);
      expect(issueMessage(i).en.length).toBeGreaterThan(0);
    }
    expect(state).toEqual(before); // nothing was changed in place
  });

  it("an input-dependent guard refuses with a pointer at the field", () => {
    const config = resolvedJson("townships/east-lake.json");
    const close = config.workflows["case-loop"].transitions.find((t: { id: string }) => t.id === "close");
    close.guard = {
      type: "not",
      params: { guard: { type: "input-in", params: { field: "satisfaction", values: ["unsatisfied"] } } },
    };
    const variant = compileWithCalendars(config);
    const s = { ...reported, state: "revisit" };
    const refusal = expectRefusal(
      decide(
        variant,
        s,
        { type: "transition", transitionId: "close", input: { satisfaction: "unsatisfied" }, expectedVersion: 1 },
        east.routing,
        t0,
      ),
    );
    expect(refusal).toMatchObject({
      kind: "invalid-input",
      issues: [{ path: "/input/satisfaction", code: "guard.input" }],
    });
    expect(
      decide(
        variant,
        s,
        { type: "transition", transitionId: "close", input: { satisfaction: "satisfied" }, expectedVersion: 1 },
        east.routing,
        t0,
      ).ok,
    ).toBe(true);
    // The screen cannot know the input yet, so it offers the transition.
    expect(availableTransitions(variant, s, east.routing, t0).map((t) => t.id)).toContain("close");
  });
});

describe("availableTransitions: what this person may do now", () => {
  const handling = {
    ...newCase(compiled),
    state: "handling",
    version: 4,
    assignment: { leadUnitId: "village-qiaotou", assistUnitIds: ["grid-qiaotou-1"] },
  };
  it.each([
    { state: newCase(compiled), actor: "routing", expected: ["triage"] },
    { state: newCase(compiled), actor: "analyst", expected: ["triage"] },
    { state: newCase(compiled), actor: "grid", expected: [] },
    { state: newCase(compiled), actor: "deputyOnDuty", expected: [] }, // fast-dispatch is for wartime only
    { state: handling, actor: "village", expected: ["report-back"] },
    { state: handling, actor: "grid", expected: [] }, // assisting unit: helps, does not report back
    { state: handling, actor: "routing", expected: ["suspend", "supervise"] },
    { state: handling, actor: "director", expected: ["supervise"] },
    { state: { ...handling, gradeId: "difficult" }, actor: "deputyOnDuty", expected: ["suspend", "escalate"] },
    { state: { ...handling, state: "archived" }, actor: "routing", expected: [] },
  ] as const)("$actor in state $state.state ($state.gradeId) → $expected", ({ state, actor, expected }) => {
    expect(availableTransitions(compiled, state as CaseState, east[actor], t0).map((t) => t.id)).toEqual(expected);
  });

  it("names the form each transition needs", () => {
    expect(availableTransitions(compiled, newCase(compiled), east.routing, t0)).toEqual([
      { id: "triage", name: { zh: "分级研判", en: "Triage" }, to: "triage", form: "triage" },
    ]);
  });
});

describe("determinism", () => {
  const steps: Array<[string, ActorContext, unknown]> = [
    ["triage", east.routing, { gradeId: "difficult" }],
    ["dispatch", east.deputyOnDuty, { leadUnitId: "village-qiaotou", assistUnitIds: ["village-shanxia"] }],
    ["accept", east.village, undefined],
  ];

  it("the same inputs give deep-equal decisions, and inputs are not mutated", () => {
    let s = newCase(compiled, { id: "case-det" });
    for (const [id, actor, input] of steps) {
      const frozenInput = structuredClone(input);
      const snapshot = structuredClone(s);
      const a = decide(
        compiled,
        s,
        { type: "transition", transitionId: id, input, expectedVersion: s.version },
        actor,
        t0,
      );
      const b = decide(
        compiled,
        structuredClone(s),
        { type: "transition", transitionId: id, input: structuredClone(input), expectedVersion: s.version },
        structuredClone(actor),
        new Date(t0.getTime()),
      );
      const c = decide(
        eastLake(),
        structuredClone(s),
        { type: "transition", transitionId: id, input: structuredClone(input), expectedVersion: s.version },
        actor,
        new Date(t0.getTime()),
      );
      expect(b).toEqual(a);
      expect(c).toEqual(a);
      expect(JSON.stringify(b)).toBe(JSON.stringify(a));
      expect(s).toEqual(snapshot);
      expect(input).toEqual(frozenInput);
      s = expectOk(a).next;
    }
    const tickA = decide(compiled, s, { type: "tick" }, SYSTEM_ACTOR, local("2025-03-20 09:00"));
    const tickB = decide(compiled, structuredClone(s), { type: "tick" }, SYSTEM_ACTOR, local("2025-03-20 09:00"));
    expect(tickB).toEqual(tickA);
  });

  it("decisions survive a JSON round trip unchanged (they are stored and queued as JSON)", () => {
    let s = newCase(compiled);
    for (const [id, actor, input] of steps) {
      const d = expectOk(
        decide(compiled, s, { type: "transition", transitionId: id, input, expectedVersion: s.version }, actor, t0),
      );
      expect(JSON.parse(JSON.stringify(d))).toEqual(d);
      s = d.next;
    }
  });

  it("a redelivered command (same version, same input) yields the same dedupe keys", () => {
    const s = fire(compiled, newCase(compiled, { id: "case-redo" }), "triage", east.routing, t0, {
      gradeId: "general",
    }).next;
    const keys = (d: Decision) =>
      d.ok ? d.outcomes.flatMap((e: Outcome) => ("dedupeKey" in e ? [e.dedupeKey] : [])) : [];
    const first = decide(
      compiled,
      s,
      {
        type: "transition",
        transitionId: "dispatch",
        input: { leadUnitId: "village-qiaotou" },
        expectedVersion: s.version,
      },
      east.routing,
      t0,
    );
    const again = decide(
      compiled,
      s,
      {
        type: "transition",
        transitionId: "dispatch",
        input: { leadUnitId: "village-qiaotou" },
        expectedVersion: s.version,
      },
      east.routing,
      later(0.01),
    );
    expect(keys(again)).toEqual(keys(first));
    expect(keys(first)).toEqual(["case:case-redo:v3:dispatch:2"]);
  });
});

describe("the top-down task loop (Zhoushan template)", () => {
  const zs = zhoushan();
  const tenant = "zhoushan-141";
  const analyst = person(tenant, "u-analyst", "command-room", ["analysis"]);
  const routing = person(tenant, "u-routing", "command-room", ["routing"]);
  const assessor = person(tenant, "u-assess", "command-room", ["assessment"]);
  const lead = person(tenant, "u-econ", "platform-economy", ["platform-lead"]);
  const task = (): CaseState => ({
    ...newCase(zs, { categoryId: "assigned-task", reporterId: "u-county" }),
    orgUnitId: "command-room",
  });
  const t = local("2025-09-22 09:00"); // Monday

  it("arrival → analysis and distribution → handling → tracking → feedback → evaluation → archive", () => {
    const arrived = task();
    expect(arrived.state).toBe("arrived");
    const distributed = expectOk(
      decide(
        zs,
        arrived,
        {
          type: "transition",
          transitionId: "distribute",
          input: { leadUnitId: "platform-economy", assistUnitIds: ["platform-service"], dueDate: "2025-10-10" },
          expectedVersion: 1,
        },
        analyst,
        t,
      ),
    );
    expect(distributed.next.state).toBe("distributed");
    // A due date set by whoever distributes: the end of that day, Asia/Shanghai.
    expect(distributed.next.deadlines).toMatchObject([
      { kind: "handle", policyId: "task", dueAt: "2025-10-10T15:59:59.999Z", unit: "calendar-days" },
    ]);
    const handling = expectOk(
      decide(zs, distributed.next, { type: "transition", transitionId: "start", expectedVersion: 2 }, lead, t),
    ).next;
    const tracked = expectOk(
      decide(
        zs,
        handling,
        { type: "transition", transitionId: "track", input: { reason: "请加快进度" }, expectedVersion: 3 },
        routing,
        local("2025-09-30 09:00"),
      ),
    );
    expect(ofType(tracked.outcomes, "supervision-sheet")).toMatchObject([
      { trigger: "manual", toUnitIds: ["platform-economy"], respondBy: "2025-10-14T15:59:59.999Z" },
    ]); // 9 10 11(Sat, make-up) 13 14 October
    const reported = expectOk(
      decide(
        zs,
        tracked.next,
        {
          type: "transition",
          transitionId: "report",
          input: { completion: "done", result: "已完成企业走访" },
          expectedVersion: 4,
        },
        lead,
        local("2025-10-09 15:00"),
      ),
    );
    expect(reported.next.deadlines.map((d) => [d.kind, Boolean(d.pausedAt)])).toEqual([
      ["handle", true],
      ["review", false],
    ]);
    const evaluated = expectOk(
      decide(
        zs,
        reported.next,
        {
          type: "transition",
          transitionId: "evaluate",
          input: { rating: "excellent", comment: "按期高质量完成" },
          expectedVersion: 5,
        },
        assessor,
        local("2025-10-10 10:00"),
      ),
    );
    expect(ofType(evaluated.outcomes, "audit")[0]!.data).toMatchObject({
      input: { rating: "excellent" },
      cleared: [{ kind: "review" }, { kind: "handle", met: true, reason: "done" }],
    });
    expect(evaluated.next.deadlines).toEqual([]);
    const archived = expectOk(
      decide(
        zs,
        evaluated.next,
        { type: "transition", transitionId: "archive", expectedVersion: 6 },
        routing,
        local("2025-10-11 10:00"),
      ),
    );
    expect(archived.next.state).toBe("archived");
    expect(types(archived.outcomes)).toEqual(["audit", "supervision-closed"]);
  });

  it("without a due date the task policy applies (10 working days, across the National Day holiday)", () => {
    const d = expectOk(
      decide(
        zs,
        task(),
        {
          type: "transition",
          transitionId: "distribute",
          input: { leadUnitId: "platform-economy" },
          expectedVersion: 1,
        },
        analyst,
        t,
      ),
    );
    // After Mon 22 Sep: 23 24 25 26 (4), 28 Sun make-up (5), 29 30 (7), 9 10 11 Sat make-up (10).
    expect(d.next.deadlines[0]!.dueAt).toBe("2025-10-11T15:59:59.999Z");
  });

  it.each([
    { dueDate: "2025-09-01", code: "deadline.past" },
    { dueDate: "2025-13-01", code: "schema.format" },
  ])("a due date of $dueDate is refused ($code)", ({ dueDate, code }) => {
    const refusal = expectRefusal(
      decide(
        zs,
        task(),
        {
          type: "transition",
          transitionId: "distribute",
          input: { leadUnitId: "platform-economy", dueDate },
          expectedVersion: 1,
        },
        analyst,
        t,
      ),
    );
    expect(refusal).toMatchObject({ kind: "invalid-input", issues: [{ path: "/input/dueDate", code }] });
  });

  it("a task that is not the township's goes back to the county", () => {
    const d = expectOk(
      decide(
        zs,
        task(),
        { type: "transition", transitionId: "decline", input: { reason: "不属于本镇职责" }, expectedVersion: 1 },
        analyst,
        t,
      ),
    );
    expect(d.next.state).toBe("returned");
    expect(ofType(d.outcomes, "notify")).toMatchObject([
      { users: ["u-county"], kind: "case.returned" },
      { county: true, kind: "task.returned" },
    ]);
  });

  it("an overdue task climbs its ladder to the county", () => {
    const d = expectOk(
      decide(
        zs,
        task(),
        {
          type: "transition",
          transitionId: "distribute",
          input: { leadUnitId: "platform-economy" },
          expectedVersion: 1,
        },
        analyst,
        t,
      ),
    );
    const s = expectOk(
      decide(zs, d.next, { type: "transition", transitionId: "start", expectedVersion: 2 }, lead, t),
    ).next;
    const tick = expectOk(decide(zs, s, { type: "tick" }, SYSTEM_ACTOR, local("2025-11-30 09:00")));
    expect(types(tick.outcomes).filter((x) => x !== "audit")).toEqual([
      "supervision-sheet",
      "notify",
      "principal-talk",
      "notify",
      "escalate",
    ]);
    expect(ofType(tick.outcomes, "escalate")).toMatchObject([{ handover: false, reason: "超期报县级社会治理中心" }]);
    expect(tick.next.state).toBe("handling");
  });
});

describe("config checks for workflows, ladders, rota and modes (workflowIssues)", () => {
  it.each([
    "townships/east-lake.json",
    "townships/west-hill.json",
    "templates/command-room-guideline@1.0.0.json",
    "templates/zhoushan-141@1.0.0.json",
  ])("%s has no issues", (file) => {
    expect(workflowIssues(resolvedJson(file) as never)).toEqual([]);
  });

  type Row = { name: string; mutate: (c: MutableConfig) => unknown; expected: Array<{ path: string; code: string }> };
  const loop = (c: MutableConfig) => c.workflows["case-loop"];
  const tr = (c: MutableConfig, id: string) => loop(c).transitions.find((t: { id: string }) => t.id === id);
  const at = (c: MutableConfig, id: string) =>
    `/workflows/case-loop/transitions/${loop(c).transitions.findIndex((t: { id: string }) => t.id === id)}`;
  const rows: Array<Row & { path?: (c: MutableConfig) => string[] }> = [
    {
      name: "unknown special actor in by",
      mutate: (c) => (tr(c, "accept").by = ["$assigne"]),
      expected: [{ path: "@accept/by/0", code: "actor.unknown" }],
    },
    {
      name: "unknown guard",
      mutate: (c) => (tr(c, "escalate").guard = { type: "moon-phase" }),
      expected: [{ path: "@escalate/guard/type", code: "guard.unknown" }],
    },
    {
      name: "guard with bad params",
      mutate: (c) => (tr(c, "escalate").guard = { type: "grade-in", params: { grades: [] } }),
      expected: [{ path: "@escalate/guard/params/grades", code: "params.minItems" }],
    },
    {
      name: "guard on an unknown grade",
      mutate: (c) => (tr(c, "escalate").guard.params.grades = ["difficult", "urgent"]),
      expected: [{ path: "@escalate/guard/params/grades/1", code: "reference.missing" }],
    },
    {
      name: "mode guard on an unknown mode",
      mutate: (c) => (tr(c, "fast-dispatch").guard.params.mode = "holiday"),
      expected: [{ path: "@fast-dispatch/guard/params/mode", code: "params.enum" }],
    },
    {
      name: "input guard on a field the form lacks",
      mutate: (c) => (tr(c, "close").guard = { type: "input-in", params: { field: "mood", values: ["ok"] } }),
      expected: [{ path: "@close/guard/params/field", code: "reference.missing" }],
    },
    {
      name: "input guard without a form",
      mutate: (c) => (tr(c, "accept").guard = { type: "input-in", params: { field: "x", values: [1] } }),
      expected: [{ path: "@accept/guard/params/field", code: "effect.needs-form" }],
    },
    {
      name: "nested guard errors are found",
      mutate: (c) =>
        (tr(c, "escalate").guard = {
          type: "all",
          params: {
            guards: [
              { type: "mode", params: { mode: "wartime" } },
              { type: "grade-in", params: { grades: ["x"] } },
            ],
          },
        }),
      expected: [{ path: "@escalate/guard/params/guards/1/params/grades/0", code: "reference.missing" }],
    },
    {
      name: "effect with unknown params",
      mutate: (c) => (tr(c, "dispatch").effects[1].params.days = 3),
      expected: [{ path: "@dispatch/effects/1/params/days", code: "params.additionalProperties" }],
    },
    {
      name: "clearing a deadline kind no workflow sets",
      mutate: (c) => (tr(c, "review").effects[1].params.kind = "resolution"),
      expected: [{ path: "@review/effects/1/params/kind", code: "deadline.kind-unknown" }],
    },
    {
      name: "a main deadline no workflow sets",
      mutate: (c) => (c.mainDeadline = "resolution"),
      expected: [{ path: "/mainDeadline", code: "deadline.main-unset" }],
    },
    {
      name: "deadline on an unknown policy",
      mutate: (c) => (tr(c, "dispatch").effects[1].params.policy = "lenient"),
      expected: [{ path: "@dispatch/effects/1/params/policy", code: "reference.missing" }],
    },
    {
      name: "deadline with no policy anywhere",
      mutate: (c) => delete c.categories[0].deadlinePolicy,
      expected: ["dispatch", "reopen", "county-dispatch", "fast-dispatch"].map((id) => ({
        path: `@${id}/effects/${id === "reopen" ? 0 : 1}`,
        code: "deadline.no-policy",
      })),
    },
    {
      name: "notify an unknown post",
      mutate: (c) => (tr(c, "triage").effects[1].params.to = ["$grade-analyst", "mayor"]),
      expected: [{ path: "@triage/effects/1/params/to/1", code: "reference.missing" }],
    },
    {
      name: "notify anyone",
      mutate: (c) => (tr(c, "triage").effects[1].params.to = ["$anyone"]),
      expected: [{ path: "@triage/effects/1/params/to/0", code: "actor.not-notifiable" }],
    },
    {
      name: "notify nobody",
      mutate: (c) => (tr(c, "triage").effects[1] = { type: "notify" }),
      expected: [{ path: "@triage/effects/1", code: "effect.no-recipients" }],
    },
    {
      name: "set the grade from a form without the field",
      mutate: (c) => (tr(c, "triage").form = "reason"),
      expected: [{ path: "@triage/effects/0", code: "reference.missing" }],
    },
    {
      name: "set the grade without a form",
      mutate: (c) => delete tr(c, "triage").form,
      expected: [{ path: "@triage/effects/0", code: "effect.needs-form" }],
    },
    {
      name: "a transition-only effect in a ladder",
      mutate: (c) => (c.deadlinePolicies.standard.overdueLadder[1] = { type: "assign" }),
      expected: [{ path: "/deadlinePolicies/standard/overdueLadder/1/type", code: "effect.place" }],
    },
    {
      name: "a ladder going backwards",
      mutate: (c) => (c.deadlinePolicies.standard.overdueLadder[1].after = { amount: 10, unit: "working-days" }),
      expected: [{ path: "/deadlinePolicies/standard/overdueLadder/2", code: "deadline.ladder-order" }],
    },
    {
      name: "a repeat that is not last",
      mutate: (c) => (c.deadlinePolicies.standard.overdueLadder[0].repeat = { amount: 1, unit: "working-days" }),
      expected: [{ path: "/deadlinePolicies/standard/overdueLadder/0/repeat", code: "deadline.repeat-not-last" }],
    },
    {
      name: "wartime reminders nearest-first",
      mutate: (c) => c.deadlinePolicies.standard.wartimeReminders.reverse(),
      expected: [{ path: "/deadlinePolicies/standard/wartimeReminders/1", code: "deadline.ladder-order" }],
    },
    {
      name: "working days without a calendar",
      mutate: (c) => delete c.deadlinePolicies.review.calendar,
      expected: [{ path: "/deadlinePolicies/review", code: "deadline.no-calendar" }],
    },
    {
      name: "half a working day",
      mutate: (c) => (c.deadlinePolicies.review.handle.amount = 1.5),
      expected: [{ path: "/deadlinePolicies/review", code: "deadline.fractional-days" }],
    },
    {
      name: "talk with an unknown principal",
      mutate: (c) => (c.deadlinePolicies.standard.overdueLadder[1].params.principal = "mayor"),
      expected: [{ path: "/deadlinePolicies/standard/overdueLadder/1/params/principal", code: "reference.missing" }],
    },
    {
      name: "reminder notifying an unknown post",
      mutate: (c) => (c.deadlinePolicies.review.reminders[0].notify = ["routing", "mayor"]),
      expected: [{ path: "/deadlinePolicies/review/reminders/0/notify/1", code: "reference.missing" }],
    },
    {
      name: "duty rota on a working post",
      mutate: (c) => (c.dutyRota.post = "routing"),
      expected: [{ path: "/dutyRota/post", code: "rota.not-leadership" }],
    },
    {
      name: "a date twice in the rota kept in config",
      mutate: (c) =>
        (c.dutyRota.schedule = {
          dates: [
            { date: "2025-10-01", holders: ["a"] },
            { date: "2025-10-01", holders: ["b"] },
          ],
        }),
      expected: [{ path: "/dutyRota/schedule/dates/1/date", code: "rota.duplicate-date" }],
    },
    {
      name: "mode switch by an unknown post",
      mutate: (c) => c.modes.switchBy.push("mayor"),
      expected: [{ path: "/modes/switchBy/2", code: "reference.missing" }],
    },
    {
      name: "wartime override of an unknown grade",
      mutate: (c) => (c.modes.wartime.grades.urgent = { analysis: { by: "leadership" } }),
      expected: [{ path: "/modes/wartime/grades/urgent", code: "reference.missing" }],
    },
    {
      name: "wartime override on an unknown post",
      mutate: (c) => (c.modes.wartime.grades.major = { analysis: { by: "post", post: "mayor" } }),
      expected: [{ path: "/modes/wartime/grades/major/analysis/post", code: "reference.missing" }],
    },
    {
      name: "routing to an unknown assisting unit",
      mutate: (c) => c.categories[1].routing.assistUnits.push("moon-base"),
      expected: [{ path: "/categories/1/routing/assistUnits/1", code: "reference.missing" }],
    },
  ];

  it.each(rows)("$name", ({ mutate, expected }) => {
    const config = resolvedJson("townships/east-lake.json");
    mutate(config);
    const resolvePath = (p: string) =>
      p.startsWith("@") ? at(config, p.slice(1).split("/")[0]!) + p.slice(p.indexOf("/")) : p;
    const result = validateTownshipConfig(config);
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((i) => ({ path: i.path, code: i.code }))).toEqual(
      expected.map((e) => ({ path: resolvePath(e.path), code: e.code })),
    );
    for (const i of issues) {
      expect(hasCjk(issueMessage(i).zh)).toBe(true);
      expect(hasCjk(issueMessage(i).en)).toBe(false);
      // The admin screen highlights the field at the path; it exists unless the issue is about a missing key.
      if (!i.code.endsWith(".required")) expect(atPointer(config, i.path), i.path).not.toBeUndefined();
    }
  });
});
