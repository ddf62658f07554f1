import { describe, expect, it } from "vitest";
import { SYSTEM_ACTOR, type ActorContext, type CaseState } from "#engine/case-state";
import { validateTownshipConfig } from "#engine/config/validate";
import { decideAppeal, type AppealContext } from "#engine/appeal";
import type { Outcome } from "#engine/outcomes";
import { decideIntake } from "#engine/intake";
import {
  countyReport,
  evaluateScores,
  factsFromTrail,
  FACT_NAMES,
  FACTS,
  ledgerCorrections,
  periodFromKey,
  periodOf,
  periodReport,
  rank,
  rateGrids,
  rollup,
  scoringTargets,
  type AuditEventLike,
  type CaseFactsLike,
  type Fact,
  type MemberLike,
  type PeriodKind,
  type ScoreLine,
  type ScoringConfig,
  type ScoringRule,
  type Total,
} from "#engine/scoring";
import { decide } from "#engine/workflow";
import type { TownshipConfig } from "#schemas/township-config";
import { demoConfig, hasCjk, readTenantJson, type MutableConfig } from "./helpers";
import { east, eastLake, expectOk, fire, local, person } from "./workflow-helpers";
import { issueMessage } from "#app/locales/issues/index";

const ZONE = "Asia/Shanghai";

const compiled = eastLake();
const config: TownshipConfig = compiled.config;
const at = (text: string) => local(text).toISOString();

/** The east-lake config with only these rules (other scoring settings from the template). */
const withRules = (rules: ScoringRule[], over: Partial<ScoringConfig> = {}): TownshipConfig => ({
  ...config,
  scoring: { ...config.scoring, ...over, rules },
});

const members: MemberLike[] = [
  { userId: "u-inspector", unitId: "command-room", posts: ["inspection"] },
  { userId: "u-inspector-b", unitId: "command-room", posts: ["inspection", "routing"] },
  { userId: "u-grid", unitId: "grid-qiaotou-1", posts: ["grid-worker"] },
  { userId: "u-grid-2", unitId: "grid-qiaotou-2", posts: ["grid-worker"] },
  { userId: "u-village", unitId: "village-qiaotou", posts: ["village-station"] },
  { userId: "u-shanxia", unitId: "village-shanxia", posts: ["village-station"] },
  { userId: "u-safety-lead", unitId: "platform-safety", posts: ["platform-lead"] },
  { userId: "u-party-lead", unitId: "platform-party", posts: ["platform-lead"] },
];

// ---------------------------------------------------------------------------------------------
// A hand-written trail of one case, as the server stores it (AuditEvent rows)

const CASE: CaseFactsLike = {
  id: "c1",
  tenantId: "east-lake",
  workflowId: "case-loop",
  categoryId: "dispute",
  platformId: "platform-safety",
  orgUnitId: "grid-qiaotou-1",
  reporterId: "u-reporter",
  gradeId: "general",
};
const HANDLE_DUE = "2025-03-10T15:59:59.999Z"; // 2025-03-10 23:59:59.999 Shanghai
const toSafety = { leadUnitId: "platform-safety", assistUnitIds: ["fire-station"] };
const toVillage = { leadUnitId: "village-qiaotou", assistUnitIds: ["grid-qiaotou-1"], assigneeUserIds: ["u-grid"] };

function handTrail(): AuditEventLike[] {
  let seq = 0;
  const event = (
    type: string,
    when: string,
    data: Record<string, unknown>,
    actorId: string | null = null,
  ): AuditEventLike => ({ seq: ++seq, caseId: "c1", actorId, type, data: { ...data, at: at(when) }, at: at(when) });
  const transition = (transitionId: string, when: string, by: string, data: Record<string, unknown>) =>
    event(
      "case.transition",
      when,
      {
        transitionId,
        by,
        gradeId: "difficult",
        assignment: { assistUnitIds: [] },
        input: {},
        effects: [],
        cleared: [],
        ...data,
      },
      by,
    );
  const step = (when: string, data: Record<string, unknown>) =>
    event("case.deadline-step", when, {
      deadlineId: "handle@5",
      kind: "handle",
      dueAt: HANDLE_DUE,
      superseded: false,
      ...data,
    });
  return [
    event(
      "case.reported",
      "2025-03-03 09:00",
      { categoryId: "dispute", gradeId: "general", state: "reported" },
      "u-reporter",
    ), // 1
    transition("triage", "2025-03-03 10:00", "u-routing", {
      effects: ["set-grade", "notify"],
      input: { gradeId: "difficult" },
    }), // 2
    transition("dispatch", "2025-03-03 11:00", "u-deputy", {
      assignment: toSafety,
      effects: ["assign", "set-deadline", "notify"],
    }), // 3
    transition("return", "2025-03-03 12:00", "u-safety", {
      effects: ["return-to-sender"],
      input: { reason: "不属于本平台" },
      cleared: [{ id: "handle@3", kind: "handle", dueAt: HANDLE_DUE, met: true, reason: "returned" }],
    }), // 4
    transition("dispatch", "2025-03-03 14:00", "u-deputy", {
      assignment: toVillage,
      effects: ["assign", "set-deadline", "notify"],
    }), // 5
    transition("accept", "2025-03-03 15:00", "u-village", { assignment: toVillage }), // 6
    step("2025-03-07 23:59", { index: 0, phase: "reminder", type: "reminder" }), // 7
    step("2025-03-11 00:00", { index: 3, phase: "overdue", type: "supervision-sheet" }), // 8
    step("2025-03-11 00:00", { index: 4, phase: "overdue", type: "score" }), // 9
    transition("supervise", "2025-03-12 09:00", "u-inspector", {
      assignment: toVillage,
      effects: ["supervision-sheet"],
    }), // 10
    step("2025-03-14 00:00", { index: 5, phase: "overdue", type: "principal-talk" }), // 11
    transition("report-back", "2025-03-14 10:00", "u-village", {
      assignment: toVillage,
      effects: ["pause-deadline", "set-deadline", "notify"],
    }), // 12
    transition("review", "2025-03-17 10:00", "u-inspector", {
      assignment: toVillage,
      effects: ["clear-deadline", "clear-deadline"],
      cleared: [
        { id: "review@12", kind: "review", dueAt: at("2025-03-21 23:59"), met: true, reason: "done" },
        {
          id: "handle@5",
          kind: "handle",
          dueAt: HANDLE_DUE,
          pausedAt: at("2025-03-14 10:00"),
          met: false,
          reason: "done",
        },
      ],
    }), // 13
    transition("close", "2025-03-18 10:00", "u-routing", {
      assignment: toVillage,
      effects: ["close-supervision"],
      input: { satisfaction: "unsatisfied" },
    }), // 14
  ];
}

describe("facts from the audit trail", () => {
  const facts = factsFromTrail(config, handTrail(), [CASE]);
  const named = facts.filter((f) => f.name !== "case.transition");

  it.each([
    {
      key: "1",
      name: "case.reported",
      has: { actorId: "u-reporter", gradeId: "general", assignment: { assistUnitIds: [] } },
    },
    { key: "4", name: "case.returned", has: { transitionId: "return", actorId: "u-safety", assignment: toSafety } },
    { key: "8", name: "case.overdue", has: { deadlineKind: "handle", assignment: toVillage } },
    { key: "8", name: "supervision.sheet-issued", has: { trigger: "ladder", assignment: toVillage } },
    {
      key: "10",
      name: "supervision.sheet-issued",
      has: { trigger: "manual", actorId: "u-inspector", transitionId: "supervise" },
    },
    { key: "11", name: "supervision.talk-ordered", has: { trigger: "ladder" } },
    { key: "13", name: "feedback.within-window", has: { deadlineKind: "review", actorId: "u-inspector" } },
    {
      key: "13",
      name: "case.closed-late",
      has: { deadlineKind: "handle", overdueDays: 4, gradeId: "difficult", assignment: toVillage },
    },
    { key: "14", name: "revisit.recorded", has: { satisfaction: "unsatisfied" } },
    { key: "14", name: "revisit.dissatisfied", has: { satisfaction: "unsatisfied", at: at("2025-03-18 10:00") } },
  ])("event $key gives $name", ({ key, name, has }) => {
    expect(named.filter((f) => f.key === key && f.name === name)).toEqual([
      expect.objectContaining({ caseId: "c1", tenantId: "east-lake", eventSeq: Number(key), ...has }),
    ]);
  });

  it("gives exactly those facts, in trail order, plus one case.transition per transition", () => {
    expect(named.map((f) => `${f.key} ${f.name}`)).toEqual([
      "1 case.reported",
      "4 case.returned",
      "8 case.overdue",
      "8 supervision.sheet-issued",
      "10 supervision.sheet-issued",
      "11 supervision.talk-ordered",
      "13 feedback.within-window",
      "13 case.closed-late",
      "14 revisit.recorded",
      "14 revisit.dissatisfied",
    ]);
    expect(facts.filter((f) => f.name === "case.transition").map((f) => f.transitionId)).toEqual([
      "triage",
      "dispatch",
      "return",
      "dispatch",
      "accept",
      "supervise",
      "report-back",
      "review",
      "close",
    ]);
  });

  it("a clock stopped by a return, a reminder and a ladder score step are not facts; a late review is", () => {
    expect(named.some((f) => ["7", "9"].includes(f.key))).toBe(false);
    const events = handTrail();
    const review = events[12]!.data as { cleared: Array<{ met: boolean }> };
    review.cleared[0]!.met = false;
    expect(
      factsFromTrail(config, events, [CASE])
        .filter((f) => f.eventSeq === 13 && f.name.startsWith("feedback"))
        .map((f) => [f.name, f.overdueDays]),
    ).toEqual([["feedback.late", 1]]);
  });

  it("the same closure in a task workflow is task.completed-*, and an unknown case's events are skipped", () => {
    const zhoushanLike: TownshipConfig = {
      ...config,
      workflows: { ...config.workflows, "case-loop": { ...config.workflows!["case-loop"]!, kind: "task" } },
    };
    const names = factsFromTrail(zhoushanLike, handTrail(), [CASE]).map((f) => f.name);
    expect(names).toContain("task.completed-late");
    expect(names).not.toContain("case.closed-late");
    expect(factsFromTrail(config, handTrail(), [])).toEqual([]);
  });

  it("the trail's order, not the array's, decides assignments and keys", () => {
    expect(factsFromTrail(config, [...handTrail()].reverse(), [CASE])).toEqual(facts);
  });

  it.each(FACT_NAMES)("%s is named in both languages and says where it comes from", (name) => {
    expect(hasCjk(FACTS[name].name.zh)).toBe(true);
    expect(hasCjk(FACTS[name].name.en)).toBe(false);
    expect(FACTS[name].from.length).toBeGreaterThan(10);
  });
});

// ---------------------------------------------------------------------------------------------
// Rules

let factSeq = 100;
function fact(over: Partial<Fact> = {}): Fact {
  const seq = over.eventSeq ?? ++factSeq;
  return {
    name: "case.closed-on-time",
    key: String(seq),
    tenantId: "east-lake",
    caseId: "c1",
    eventSeq: seq,
    at: at("2025-03-17 10:00"),
    workflowId: "case-loop",
    categoryId: "dispute",
    platformId: "platform-safety",
    orgUnitId: "grid-qiaotou-1",
    reporterId: "u-reporter",
    gradeId: "general",
    assignment: toVillage,
    actorId: "u-inspector",
    transitionId: "review",
    ...over,
  };
}
const rule = (over: Partial<ScoringRule> = {}): ScoringRule => ({
  id: "r",
  name: { zh: "测试规则" },
  on: "case.closed-on-time",
  target: "lead-unit",
  points: 1,
  ...over,
});
const pointsOf = (r: ScoringRule, f: Fact) => evaluateScores(withRules([r]), [f]).map((l) => l.points);

describe("rules", () => {
  it.each<{ name: string; rule: ScoringRule; fact: Fact; points: number[] }>([
    { name: "fixed points on a named fact", rule: rule({ points: 2 }), fact: fact(), points: [2] },
    {
      name: "another fact does not match",
      rule: rule(),
      fact: fact({ name: "case.closed-late", overdueDays: 2 }),
      points: [],
    },
    {
      name: "on a transition",
      rule: rule({ on: { transition: "redo" }, points: -1 }),
      fact: fact({ name: "case.transition", transitionId: "redo" }),
      points: [-1],
    },
    {
      name: "on a transition of another workflow",
      rule: rule({ on: { transition: "redo", workflow: "score-appeal" } }),
      fact: fact({ name: "case.transition", transitionId: "redo" }),
      points: [],
    },
    {
      name: "on a transition: other transitions do not match",
      rule: rule({ on: { transition: "redo" } }),
      fact: fact({ name: "case.transition", transitionId: "review" }),
      points: [],
    },
    {
      name: "grade-in holds",
      rule: rule({ when: { type: "grade-in", params: { grades: ["difficult", "major"] } }, points: 2 }),
      fact: fact({ gradeId: "major" }),
      points: [2],
    },
    {
      name: "grade-in fails",
      rule: rule({ when: { type: "grade-in", params: { grades: ["difficult", "major"] } } }),
      fact: fact(),
      points: [],
    },
    {
      name: "category-in",
      rule: rule({ when: { type: "category-in", params: { categories: ["dispute"] } } }),
      fact: fact(),
      points: [1],
    },
    {
      name: "platform-in fails",
      rule: rule({ when: { type: "platform-in", params: { platforms: ["platform-party"] } } }),
      fact: fact(),
      points: [],
    },
    {
      name: "workflow-in",
      rule: rule({ when: { type: "workflow-in", params: { workflows: ["case-loop"] } } }),
      fact: fact(),
      points: [1],
    },
    {
      name: "overdue-days >= 3 holds at 4",
      rule: rule({ on: "case.closed-late", when: { type: "overdue-days", params: { min: 3 } }, points: -5 }),
      fact: fact({ name: "case.closed-late", overdueDays: 4 }),
      points: [-5],
    },
    {
      name: "overdue-days >= 3 fails at 2",
      rule: rule({ on: "case.closed-late", when: { type: "overdue-days", params: { min: 3 } } }),
      fact: fact({ name: "case.closed-late", overdueDays: 2 }),
      points: [],
    },
    {
      name: "overdue-days within 1..2",
      rule: rule({ on: "case.closed-late", when: { type: "overdue-days", params: { min: 1, max: 2 } } }),
      fact: fact({ name: "case.closed-late", overdueDays: 2 }),
      points: [1],
    },
    {
      name: "satisfaction-in",
      rule: rule({
        on: "revisit.recorded",
        when: { type: "satisfaction-in", params: { values: ["basically-satisfied"] } },
        points: 0.5,
      }),
      fact: fact({ name: "revisit.recorded", satisfaction: "basically-satisfied" }),
      points: [0.5],
    },
    {
      name: "trigger-in",
      rule: rule({
        on: "supervision.sheet-issued",
        when: { type: "trigger-in", params: { triggers: ["ladder"] } },
        points: -2,
      }),
      fact: fact({ name: "supervision.sheet-issued", trigger: "manual" }),
      points: [],
    },
    {
      name: "transition-in",
      rule: rule({
        on: "case.returned",
        when: { type: "transition-in", params: { transitions: ["return"] } },
        points: -1,
      }),
      fact: fact({ name: "case.returned", transitionId: "return" }),
      points: [-1],
    },
    {
      name: "not and any",
      rule: rule({
        when: {
          type: "not",
          params: {
            condition: {
              type: "any",
              params: {
                conditions: [
                  { type: "grade-in", params: { grades: ["major"] } },
                  { type: "category-in", params: { categories: ["safety-hazard"] } },
                ],
              },
            },
          },
        },
      }),
      fact: fact(),
      points: [1],
    },
    {
      name: "all",
      rule: rule({
        when: {
          type: "all",
          params: {
            conditions: [
              { type: "grade-in", params: { grades: ["general"] } },
              { type: "platform-in", params: { platforms: ["platform-party"] } },
            ],
          },
        },
      }),
      fact: fact(),
      points: [],
    },
    {
      name: "per day",
      rule: rule({ on: "case.closed-late", points: { perDay: -1 } }),
      fact: fact({ name: "case.closed-late", overdueDays: 4 }),
      points: [-4],
    },
    {
      name: "per day, capped",
      rule: rule({ on: "case.closed-late", points: { perDay: -1, max: 10 } }),
      fact: fact({ name: "case.closed-late", overdueDays: 15 }),
      points: [-10],
    },
    {
      name: "per day, under the cap",
      rule: rule({ on: "case.closed-late", points: { perDay: -1, max: 10 } }),
      fact: fact({ name: "case.closed-late", overdueDays: 9 }),
      points: [-9],
    },
    {
      name: "half a point per day",
      rule: rule({ on: "case.closed-late", points: { perDay: 0.5, max: 1 } }),
      fact: fact({ name: "case.closed-late", overdueDays: 1 }),
      points: [0.5],
    },
    { name: "per day without days makes no line", rule: rule({ points: { perDay: -1 } }), fact: fact(), points: [] },
    { name: "zero points make no line", rule: rule({ points: 0 }), fact: fact(), points: [] },
  ])("$name → $points", ({ rule: r, fact: f, points }) => {
    expect(pointsOf(r, f)).toEqual(points);
  });
});

describe("targets", () => {
  const microConfig: TownshipConfig = {
    ...config,
    org: {
      units: [
        ...config.org!.units!,
        { id: "micro-qiaotou-1-a", kind: "micro-grid", parent: "grid-qiaotou-1", name: { zh: "桥头一网格第一微网格" } },
      ],
    },
  };
  it.each<{ target: string; fact?: Partial<Fact>; config?: TownshipConfig; expected: string[] }>([
    { target: "lead-unit", expected: ["unit:village-qiaotou"] },
    {
      target: "assist-units",
      fact: { assignment: { assistUnitIds: ["grid-qiaotou-1", "fire-station", "grid-qiaotou-1"] } },
      expected: ["unit:fire-station", "unit:grid-qiaotou-1"],
    },
    { target: "lead-unit", fact: { assignment: { assistUnitIds: [] } }, expected: [] },
    { target: "platform", expected: ["unit:platform-safety"] },
    { target: "village", expected: ["unit:village-qiaotou"] },
    { target: "grid", expected: ["unit:grid-qiaotou-1"] },
    {
      target: "grid",
      fact: { orgUnitId: "micro-qiaotou-1-a" },
      config: microConfig,
      expected: ["unit:grid-qiaotou-1"],
    },
    {
      target: "village",
      fact: { orgUnitId: "micro-qiaotou-1-a" },
      config: microConfig,
      expected: ["unit:village-qiaotou"],
    },
    { target: "grid", fact: { orgUnitId: "village-shanxia" }, expected: [] },
    { target: "village", fact: { orgUnitId: "command-room" }, expected: [] },
    { target: "reporting-unit", expected: ["unit:grid-qiaotou-1"] },
    { target: "reporter", expected: ["user:u-reporter"] },
    { target: "actor", expected: ["user:u-inspector"] },
    { target: "actor", fact: { actorId: "system" }, expected: [] },
    { target: "assignee-users", expected: ["user:u-grid"] },
    { target: "post:inspection", expected: ["user:u-inspector", "user:u-inspector-b"] },
    { target: "post:grid-worker", expected: ["user:u-grid"] },
    { target: "post:grid-worker", fact: { orgUnitId: "grid-qiaotou-2" }, expected: ["user:u-grid-2"] },
    { target: "post:village-station", expected: ["user:u-village"] },
    { target: "post:platform-lead", expected: ["user:u-safety-lead"] },
    { target: "post:director", expected: [] },
  ])("$target → $expected", ({ target, fact: over, config: cfg, expected }) => {
    const lines = evaluateScores({ ...(cfg ?? config), scoring: { rules: [rule({ target })] } }, [fact(over)], {
      members,
    });
    expect(lines.map((l) => `${l.target.kind}:${l.target.id}`)).toEqual(expected);
  });
});

// ---------------------------------------------------------------------------------------------
// Periods, determinism, publication

describe("periods in Asia/Shanghai time", () => {
  it.each<{ kind: PeriodKind; at: string; key: string; start: string; end: string }>([
    {
      kind: "month",
      at: "2025-03-31T15:59:59.999Z",
      key: "2025-03",
      start: "2025-02-28T16:00:00.000Z",
      end: "2025-03-31T16:00:00.000Z",
    },
    {
      kind: "month",
      at: "2025-03-31T16:00:00.000Z",
      key: "2025-04",
      start: "2025-03-31T16:00:00.000Z",
      end: "2025-04-30T16:00:00.000Z",
    },
    {
      kind: "month",
      at: "2025-12-31T16:30:00.000Z",
      key: "2026-01",
      start: "2025-12-31T16:00:00.000Z",
      end: "2026-01-31T16:00:00.000Z",
    },
    {
      kind: "quarter",
      at: "2025-03-31T16:00:00.000Z",
      key: "2025-Q2",
      start: "2025-03-31T16:00:00.000Z",
      end: "2025-06-30T16:00:00.000Z",
    },
    {
      kind: "quarter",
      at: "2025-12-31T15:00:00.000Z",
      key: "2025-Q4",
      start: "2025-09-30T16:00:00.000Z",
      end: "2025-12-31T16:00:00.000Z",
    },
    {
      kind: "year",
      at: "2024-12-31T16:00:00.000Z",
      key: "2025",
      start: "2024-12-31T16:00:00.000Z",
      end: "2025-12-31T16:00:00.000Z",
    },
  ])("$kind of $at is $key", ({ kind, at: instant, key, start, end }) => {
    const period = periodOf(ZONE, kind, instant);
    expect(period).toEqual({ kind, key, start, end });
    expect(periodFromKey(ZONE, key)).toEqual(period);
  });

  it.each(["2025-13", "2025-Q5", "25", "2025-3", ""])("%s is not a period key", (key) => {
    expect(periodFromKey(ZONE, key)).toBeUndefined();
  });

  it("a fact at 00:30 on 1 April (Shanghai) counts in April, not March", () => {
    const f = fact({ at: "2025-03-31T16:30:00.000Z" });
    const cfg = withRules([rule()]);
    expect(evaluateScores(cfg, [f], { period: periodFromKey(ZONE, "2025-03")! })).toEqual([]);
    expect(evaluateScores(cfg, [f], { period: periodFromKey(ZONE, "2025-04")! })).toHaveLength(1);
    expect(evaluateScores(cfg, [f], { period: periodFromKey(ZONE, "2025-Q2")! })).toHaveLength(1);
  });
});

/** The hand trail's late closure, as its ledger line. */
const CLOSED_LATE: ScoreLine = {
  origin: "rule",
  tenantId: "east-lake",
  rule: "closed-late",
  target: { kind: "unit", id: "village-qiaotou" },
  points: -4,
  at: at("2025-03-17 10:00"),
  caseId: "c1",
  eventSeq: 13,
  fact: "case.closed-late",
  factKey: "13",
  dedupeKey: "score:east-lake:closed-late:13:unit:village-qiaotou",
};

describe("the ledger: explainable, deterministic, recomputable", () => {
  const facts = factsFromTrail(config, handTrail(), [CASE]);
  const lines = evaluateScores(config, facts, { members, period: periodFromKey(ZONE, "2025-03")! });

  it("every line names its rule, fact, case event and target, with the key score:<tenant>:<rule>:<event>:<target>", () => {
    expect(lines.find((l) => l.rule === "closed-late")).toEqual(CLOSED_LATE);
    for (const l of lines)
      expect(l.dedupeKey).toBe(`score:${l.tenantId}:${l.rule}:${l.factKey}:${l.target.kind}:${l.target.id}`);
    expect(new Set(lines.map((l) => l.dedupeKey)).size).toBe(lines.length);
  });

  it("the template's rules score the hand-written case", () => {
    expect(lines.map((l) => `${l.eventSeq} ${l.rule} ${l.target.id} ${l.points}`)).toEqual([
      "1 grid-reported grid-qiaotou-1 0.5",
      "4 returned platform-safety -1",
      "8 supervision-sheet village-qiaotou -2",
      "10 supervision-sheet village-qiaotou -2",
      "11 principal-talk village-qiaotou -5",
      "13 closed-late village-qiaotou -4",
      "13 platform-late platform-safety -2",
      "14 dissatisfied village-qiaotou -3",
      "14 grid-dissatisfied grid-qiaotou-1 -2",
    ]);
  });

  it("recomputing from the same trail gives identical lines, whatever order the rows come in", () => {
    const again = evaluateScores(
      config,
      factsFromTrail(
        config,
        [...handTrail()].sort((x, y) => ((x.seq * 7) % 15) - ((y.seq * 7) % 15)),
        [CASE],
      ),
      { members, period: periodFromKey(ZONE, "2025-03")! },
    );
    expect(again).toEqual(lines);
    expect(JSON.stringify(again)).toBe(JSON.stringify(lines));
  });
});

describe("rule publication and explicit recompute", () => {
  const late = (perDay: number): ScoringRule => rule({ id: "late", on: "case.closed-late", points: { perDay } });
  const sheet = rule({ id: "sheet", on: "supervision.sheet-issued", points: -2 });
  const versions = [
    { version: 2, publishedAt: local("2025-03-15 00:00"), scoring: { rules: [late(-2), sheet] } },
    { version: 1, publishedAt: local("2025-03-01 00:00"), scoring: { rules: [late(-1)] } },
  ];
  const facts = [
    fact({ name: "case.closed-late", overdueDays: 4, at: at("2025-02-27 10:00"), eventSeq: 1 }),
    fact({ name: "case.closed-late", overdueDays: 4, at: at("2025-03-10 10:00"), eventSeq: 2 }),
    fact({ name: "supervision.sheet-issued", trigger: "ladder", at: at("2025-03-10 10:00"), eventSeq: 3 }),
    fact({ name: "case.closed-late", overdueDays: 4, at: at("2025-03-15 00:00"), eventSeq: 4 }),
    fact({ name: "supervision.sheet-issued", trigger: "ladder", at: at("2025-03-20 10:00"), eventSeq: 5 }),
  ];
  const current = withRules([late(-2), sheet]);
  const march = periodFromKey(ZONE, "2025-03")!;
  const summary = (ls: ScoreLine[]) =>
    ls.map((l) => `${l.eventSeq} ${l.rule} ${l.points}${l.configVersion === undefined ? "" : ` v${l.configVersion}`}`);

  it("each fact is scored by the version in force at its instant; nothing before the first publication", () => {
    expect(summary(evaluateScores(current, facts, { versions }))).toEqual([
      "2 late -4 v1",
      "4 late -8 v2",
      "5 sheet -2 v2",
    ]);
  });

  it("a recompute applies the current rules to the whole period, on purpose", () => {
    expect(summary(evaluateScores(current, facts, { versions, recompute: true, period: march }))).toEqual([
      "2 late -8",
      "3 sheet -2",
      "4 late -8",
      "5 sheet -2",
    ]);
  });

  it("a recompute is persisted as corrections appended to the ledger; appending them twice changes nothing", () => {
    const ledger: Array<
      | ScoreLine
      | {
          origin: "effect";
          rule: string;
          target: { kind: "unit"; id: string };
          points: number;
          at: string;
          dedupeKey: string;
        }
    > = [
      ...evaluateScores(current, facts, { versions, period: march }),
      // A line the retired workflow `score` action wrote: in the ledger, never counted.
      {
        origin: "effect",
        rule: "on-time",
        target: { kind: "unit", id: "village-qiaotou" },
        points: 1,
        at: at("2025-03-10 10:00"),
        dedupeKey: "case:c1:v6:review:0:unit:village-qiaotou",
      },
    ];
    const recomputed = evaluateScores(current, facts, { versions, recompute: true, period: march });
    const corrections = ledgerCorrections(ledger, recomputed, { tag: "r1" });
    expect(corrections.map((c) => [c.dedupeKey, c.points, c.at])).toEqual([
      ["score:east-lake:late:2:unit:village-qiaotou:recompute:r1", -4, at("2025-03-10 10:00")],
      ["score:east-lake:sheet:3:unit:village-qiaotou:recompute:r1", -2, at("2025-03-10 10:00")],
    ]);
    const after = [...ledger, ...corrections];
    const scoreOnly = (ls: typeof after) => ls.filter((l) => l.origin !== "effect");
    const scores = (ls: Parameters<typeof rollup>[0]) =>
      rollup(ls, { period: march }).map((t) => [t.target.id, t.score, t.additions, t.deductions]);
    expect(scores(scoreOnly(after))).toEqual(scores(recomputed));
    expect(ledgerCorrections(after, recomputed, { tag: "r1" })).toEqual([]);
  });

  it("a rule dropped by the recompute is cancelled", () => {
    const ledger = evaluateScores(current, facts, { versions, period: march });
    const recomputed = evaluateScores(withRules([late(-2)]), facts, { recompute: true, period: march });
    expect(ledgerCorrections(ledger, recomputed, { tag: "r2" }).map((c) => [c.corrects, c.points])).toEqual([
      ["score:east-lake:late:2:unit:village-qiaotou", -4],
      ["score:east-lake:sheet:5:unit:village-qiaotou", 2],
    ]);
  });
});

describe("appeals (申诉)", () => {
  const deduction: ScoreLine = evaluateScores(
    withRules([rule({ id: "late", on: "case.closed-late", points: { perDay: -1 } })]),
    [fact({ name: "case.closed-late", overdueDays: 3, eventSeq: 40 })],
  )[0]!;
  const appealCase: CaseFactsLike = {
    ...CASE,
    id: "a1",
    workflowId: "score-appeal",
    data: { scoreKey: deduction.dedupeKey, reason: "超期因台风停工" },
  };
  const appealTrail = (to: string, seq: number): AuditEventLike => ({
    seq,
    caseId: "a1",
    actorId: "u-inspector",
    type: "case.transition",
    at: at("2025-04-02 10:00"),
    data: {
      transitionId: to === "upheld" ? "uphold" : "reject",
      from: "submitted",
      to,
      by: "u-inspector",
      assignment: { assistUnitIds: [] },
      input: { reason: "情况属实" },
      effects: ["notify"],
      cleared: [],
    },
  });

  it("the appeal workflow's outcome is a fact naming the disputed entry", () => {
    expect(
      factsFromTrail(config, [appealTrail("upheld", 50)], [appealCase]).map((f) => [f.name, f.disputedKey]),
    ).toEqual([
      ["case.transition", undefined],
      ["appeal.upheld", deduction.dedupeKey],
    ]);
    expect(factsFromTrail(config, [appealTrail("rejected", 50)], [appealCase]).map((f) => f.name)).toEqual([
      "case.transition",
      "appeal.rejected",
    ]);
  });

  it("an upheld appeal reverses the deduction in the period it was decided; twice is once", () => {
    const facts = factsFromTrail(config, [appealTrail("upheld", 50), appealTrail("upheld", 51)], [appealCase]);
    const lines = evaluateScores(config, facts, { priorLines: [deduction], period: periodFromKey(ZONE, "2025-04")! });
    expect(lines).toEqual([
      {
        origin: "reversal",
        tenantId: "east-lake",
        rule: "late",
        target: deduction.target,
        points: 3,
        at: at("2025-04-02 10:00"),
        caseId: "a1",
        eventSeq: 50,
        fact: "appeal.upheld",
        factKey: "50",
        reverses: deduction.dedupeKey,
        dedupeKey: `${deduction.dedupeKey}:reversed`,
      },
    ]);
    expect(rollup([deduction, ...lines]).map((t) => t.points)).toEqual([0]);
  });

  it("a rejected appeal, an unknown entry or an addition reverses nothing", () => {
    expect(
      evaluateScores(config, factsFromTrail(config, [appealTrail("rejected", 50)], [appealCase]), {
        priorLines: [deduction],
      }),
    ).toEqual([]);
    expect(
      evaluateScores(config, factsFromTrail(config, [appealTrail("upheld", 50)], [appealCase]), { priorLines: [] }),
    ).toEqual([]);
    const addition = { ...deduction, points: 3 };
    expect(
      evaluateScores(config, factsFromTrail(config, [appealTrail("upheld", 50)], [appealCase]), {
        priorLines: [addition],
      }),
    ).toEqual([]);
  });
});

describe("filing an appeal", () => {
  const deduction = CLOSED_LATE;
  const form = { scoreKey: deduction.dedupeKey, reason: "超期系台风停工所致" };
  const ctx = (over: Partial<AppealContext> = {}): AppealContext => ({
    compiled,
    configVersion: 1,
    actor: east.village,
    now: local("2025-04-01 09:00"),
    caseId: "appeal-1",
    disputed: deduction,
    disputedCase: { categoryId: "dispute", platformId: "platform-safety" },
    alreadyAppealed: false,
    ...over,
  });

  it("a member of the deducted unit opens a case on the appeal workflow, and the inspection post is told", () => {
    const decision = decideAppeal(ctx(), form);
    expect(decision).toMatchObject({
      ok: true,
      case: {
        id: "appeal-1",
        workflowId: "score-appeal",
        state: "submitted",
        categoryId: "dispute",
        platformId: "platform-safety",
        reporterId: "u-village",
        orgUnitId: "village-qiaotou",
        title: "申诉：超期系台风停工所致",
      },
    });
    expect(
      decision.ok &&
        decision.outcomes.map((e) => [e.type, e.type === "notify" ? e.posts : e.type === "audit" ? e.event : ""]),
    ).toEqual([
      ["audit", "case.reported"],
      ["notify", ["inspection"]],
    ]);
  });

  it.each<{ name: string; over?: Partial<AppealContext>; data?: unknown; kind: string; path: string; code: string }>([
    {
      name: "someone else's deduction",
      over: { actor: east.routing },
      kind: "not-allowed",
      path: "",
      code: "appeal.not-yours",
    },
    {
      name: "an addition",
      over: { disputed: { ...deduction, points: 2 } },
      kind: "invalid-input",
      path: "/data/scoreKey",
      code: "appeal.not-a-deduction",
    },
    {
      name: "an entry the ledger does not have",
      over: { disputed: undefined },
      kind: "invalid-input",
      path: "/data/scoreKey",
      code: "appeal.entry-unknown",
    },
    {
      name: "an entry other than the one named",
      data: { ...form, scoreKey: "score:east-lake:x:1:unit:y" },
      kind: "invalid-input",
      path: "/data/scoreKey",
      code: "appeal.entry-unknown",
    },
    {
      name: "a second appeal",
      over: { alreadyAppealed: true },
      kind: "invalid-input",
      path: "/data/scoreKey",
      code: "appeal.duplicate",
    },
    {
      name: "grounds too short",
      data: { ...form, reason: "冤" },
      kind: "invalid-input",
      path: "/data/reason",
      code: "schema.minLength",
    },
    {
      name: "a township without appeals",
      over: { compiled: { ...compiled, config: { ...config, scoring: { rules: [] } } } },
      kind: "not-allowed",
      path: "",
      code: "appeal.not-configured",
    },
  ])("refuses $name", ({ over, data, kind, path, code }) => {
    const decision = decideAppeal(ctx(over), data ?? form);
    expect(
      decision.ok
        ? null
        : { kind: decision.refusal.kind, issues: decision.refusal.issues.map((i) => ({ path: i.path, code: i.code })) },
    ).toEqual({ kind, issues: [{ path, code }] });
  });

  it("filed, upheld by the inspection post, and the deduction is reversed in April", () => {
    const opened = decideAppeal(ctx(), form);
    if (!opened.ok) throw new Error("not opened");
    const state: CaseState = {
      ...opened.case,
      version: 1,
      assignment: { assistUnitIds: [] },
      deadlines: [],
      mode: "peacetime",
    };
    const upheld = fire(compiled, state, "uphold", east.inspector, local("2025-04-03 10:00"), {
      reason: "情况属实，予以撤销",
    });
    const events: AuditEventLike[] = [...opened.outcomes, ...upheld.outcomes]
      .filter((e): e is Extract<Outcome, { type: "audit" }> => e.type === "audit")
      .map((e, i) => ({
        seq: 200 + i,
        caseId: "appeal-1",
        actorId: i ? "u-inspector" : "u-village",
        type: e.event,
        data: e.data,
        at: String(e.data.at),
      }));
    const c = opened.case;
    const facts = factsFromTrail(config, events, [
      {
        id: c.id,
        tenantId: c.tenantId,
        workflowId: c.workflowId,
        categoryId: c.categoryId,
        platformId: c.platformId,
        orgUnitId: c.orgUnitId,
        reporterId: c.reporterId,
        data: c.data,
      },
    ]);
    expect(
      evaluateScores(config, facts, { priorLines: [deduction], period: periodFromKey(ZONE, "2025-04")! }).map((l) => [
        l.rule,
        l.target.id,
        l.points,
        l.reverses,
      ]),
    ).toEqual([["closed-late", "village-qiaotou", 4, deduction.dedupeKey]]);
  });
});

// ---------------------------------------------------------------------------------------------
// Totals, ranks, ratings

describe("rollup, ranking and the three-colour grid rating", () => {
  const line = (id: string, points: number, when = "2025-03-10 10:00"): ScoreLine => ({
    origin: "rule",
    tenantId: "east-lake",
    rule: "r",
    target: { kind: "unit", id },
    points,
    at: at(when),
    caseId: "c",
    eventSeq: 1,
    fact: "case.reported",
    factKey: "1",
    dedupeKey: `k:${id}:${points}:${when}`,
  });
  const targets = scoringTargets(config);

  it("rollup adds the base, keeps targets without lines, and counts additions and deductions apart", () => {
    const totals = rollup(
      [line("grid-qiaotou-1", 2), line("grid-qiaotou-1", -0.5), line("grid-qiaotou-1", 5, "2025-04-01 00:00")],
      { base: 1000, targets, period: periodFromKey(ZONE, "2025-03")! },
    );
    expect(totals.filter((t) => t.group === "grid")).toEqual([
      {
        target: { kind: "unit", id: "grid-qiaotou-1" },
        group: "grid",
        period: "2025-03",
        score: 1001.5,
        points: 1.5,
        additions: 2,
        deductions: -0.5,
        lines: 2,
      },
      {
        target: { kind: "unit", id: "grid-qiaotou-2" },
        group: "grid",
        period: "2025-03",
        score: 1000,
        points: 0,
        additions: 0,
        deductions: 0,
        lines: 0,
      },
      {
        target: { kind: "unit", id: "grid-shanxia-1" },
        group: "grid",
        period: "2025-03",
        score: 1000,
        points: 0,
        additions: 0,
        deductions: 0,
        lines: 0,
      },
    ]);
    expect(new Set(totals.map((t) => t.group))).toEqual(new Set(["unit", "platform", "village", "grid"]));
  });

  it("rollup sums without float noise", () => {
    expect(rollup([line("a", 0.1), line("a", 0.2)])[0]!.points).toBe(0.3);
  });

  it.each<{ scores: Record<string, number>; ranks: string[] }>([
    { scores: { a: 1002, b: 1000, c: 1000, d: 998, e: 1000 }, ranks: ["1 a", "2 b", "2 c", "2 e", "5 d"] },
    { scores: { a: 1000, b: 1000 }, ranks: ["1 a", "1 b"] },
    { scores: { z: 990, y: 995, x: 990 }, ranks: ["1 y", "2 x", "2 z"] },
    { scores: {}, ranks: [] },
  ])("rank $scores", ({ scores, ranks }) => {
    const totals: Total[] = Object.entries(scores).map(([id, score]) => ({
      target: { kind: "unit", id },
      group: "grid",
      score,
      points: score - 1000,
      additions: 0,
      deductions: 0,
      lines: 0,
    }));
    expect(rank(totals).map((r) => `${r.rank} ${r.target.id}`)).toEqual(ranks);
  });

  it.each([
    { points: 3, level: "green" },
    { points: 0, level: "green" },
    { points: -0.5, level: "yellow" },
    { points: -5, level: "yellow" },
    { points: -5.5, level: "red" },
    { points: -40, level: "red" },
  ])("a grid at 1000 + $points is $level", ({ points, level }) => {
    const totals = rollup([line("grid-qiaotou-2", points)], { base: config.scoring!.base!, targets });
    const rated = rateGrids(totals, config.scoring!.ratings);
    expect(rated.map((r) => r.target.id)).toEqual(["grid-qiaotou-1", "grid-qiaotou-2", "grid-shanxia-1"]);
    expect(rated.find((r) => r.target.id === "grid-qiaotou-2")).toMatchObject({ level, score: 1000 + points });
  });

  it("without grid levels nothing is rated", () => {
    expect(rateGrids(rollup([], { targets }), undefined)).toEqual([]);
  });
});

// ---------------------------------------------------------------------------------------------
// A month of cases through the real engine

type Trail = { events: AuditEventLike[]; cases: CaseFactsLike[] };

function month(): Trail {
  const trail: Trail = { events: [], cases: [] };
  let seq = 0;
  const record = (caseId: string, actorId: string | null, when: Date, effects: Outcome[]) => {
    for (const e of effects)
      if (e.type === "audit")
        trail.events.push({ seq: ++seq, caseId, actorId, type: e.event, data: e.data, at: when.toISOString() });
  };
  const open = (
    id: string,
    categoryId: string,
    reporter: ActorContext,
    when: string,
    data: Record<string, unknown>,
  ): CaseState => {
    const decision = decideIntake(
      { compiled, configVersion: 1, actor: reporter, now: local(when), caseId: id },
      { categoryId, data },
    );
    if (!decision.ok) throw new Error(JSON.stringify(decision.refusal));
    const c = decision.case;
    trail.cases.push({
      id,
      tenantId: c.tenantId,
      workflowId: c.workflowId,
      categoryId,
      platformId: c.platformId,
      orgUnitId: c.orgUnitId,
      reporterId: c.reporterId,
      gradeId: c.gradeId,
      data: c.data,
    });
    record(id, reporter.userId, local(when), decision.outcomes);
    return { ...c, version: 1, assignment: { assistUnitIds: [] }, deadlines: [], mode: "peacetime" };
  };
  const step = (state: CaseState, id: string, actor: ActorContext, when: string, input?: unknown) => {
    const decision = fire(compiled, state, id, actor, local(when), input);
    record(state.id, actor.userId, local(when), decision.outcomes);
    return decision.next;
  };
  const tick = (state: CaseState, when: string) => {
    const decision = expectOk(decide(compiled, state, { type: "tick" }, SYSTEM_ACTOR, local(when)));
    record(state.id, null, local(when), decision.outcomes);
    return decision.next;
  };

  const grid1 = person("east-lake", "u-grid", "grid-qiaotou-1", ["grid-worker"]);
  const grid2 = person("east-lake", "u-grid-2", "grid-qiaotou-2", ["grid-worker"]);
  const grid3 = person("east-lake", "u-grid-3", "grid-shanxia-1", ["grid-worker"]);
  const shanxia = person("east-lake", "u-shanxia", "village-shanxia", ["village-station"]);
  const service = person("east-lake", "u-service", "platform-service", ["platform-lead"]);
  const safety = person("east-lake", "u-safety", "platform-safety", ["platform-lead"]);
  const dispute = { summary: "邻里噪音纠纷", parties: 2, location: "桥头村" };

  // A: on time, satisfied.
  let a = open("case-a", "dispute", grid1, "2025-03-03 09:00", dispute);
  a = step(a, "triage", east.routing, "2025-03-03 10:00", { gradeId: "general" });
  a = step(a, "dispatch", east.routing, "2025-03-03 11:00", { leadUnitId: "village-qiaotou" });
  a = step(a, "accept", east.village, "2025-03-03 12:00");
  a = step(a, "report-back", east.village, "2025-03-05 10:00", { result: "调解成功" });
  a = step(a, "review", east.inspector, "2025-03-06 10:00", {});
  step(a, "close", east.routing, "2025-03-07 10:00", { satisfaction: "satisfied" });

  // B: overdue (a supervision sheet from the ladder), closed two days late, unsatisfied.
  let b = open("case-b", "dispute", grid2, "2025-03-03 09:30", dispute);
  b = step(b, "triage", east.routing, "2025-03-03 10:00", { gradeId: "general" });
  b = step(b, "dispatch", east.routing, "2025-03-03 11:00", { leadUnitId: "village-qiaotou" });
  b = step(b, "accept", east.village, "2025-03-03 12:00");
  b = tick(b, "2025-03-11 09:00");
  b = step(b, "report-back", east.village, "2025-03-12 10:00", { result: "已处理" });
  b = step(b, "review", east.inspector, "2025-03-13 10:00", {});
  step(b, "close", east.routing, "2025-03-14 10:00", { satisfaction: "unsatisfied" });

  // C: public service, on time, satisfied.
  let c = open("case-c", "public-service", grid3, "2025-03-04 09:00", { summary: "路灯不亮需维修" });
  c = step(c, "triage", east.routing, "2025-03-04 10:00", { gradeId: "general" });
  c = step(c, "dispatch", east.routing, "2025-03-04 11:00", { leadUnitId: "platform-service" });
  c = step(c, "accept", service, "2025-03-04 12:00");
  c = step(c, "report-back", service, "2025-03-06 10:00", { result: "已修复" });
  c = step(c, "review", east.inspector, "2025-03-06 15:00", {});
  step(c, "close", east.routing, "2025-03-07 10:00", { satisfaction: "satisfied" });

  // D: a difficult hazard: returned once by the safety platform, then done on time, satisfied.
  let d = open("case-d", "safety-hazard", grid1, "2025-03-05 09:00", {
    summary: "楼道堆放杂物",
    hazardType: "消防",
    location: "桥头村3组",
  });
  d = step(d, "triage", east.routing, "2025-03-05 10:00", { gradeId: "difficult" });
  d = step(d, "dispatch", east.deputyOnDuty, "2025-03-05 11:00", {
    leadUnitId: "platform-safety",
    assistUnitIds: ["fire-station"],
  });
  d = step(d, "return", safety, "2025-03-05 12:00", { reason: "请补充现场照片" });
  d = step(d, "dispatch", east.deputyOnDuty, "2025-03-05 14:00", {
    leadUnitId: "platform-safety",
    assistUnitIds: ["fire-station"],
  });
  d = step(d, "accept", safety, "2025-03-05 15:00");
  d = step(d, "report-back", safety, "2025-03-07 10:00", { result: "已清理" });
  d = step(d, "review", east.inspector, "2025-03-07 15:00", {});
  step(d, "close", east.routing, "2025-03-10 10:00", { satisfaction: "satisfied" });

  // E: sent back for rework once, then on time; basically satisfied (no points either way).
  let e = open("case-e", "dispute", grid3, "2025-03-10 09:00", dispute);
  e = step(e, "triage", east.routing, "2025-03-10 10:00", { gradeId: "general" });
  e = step(e, "dispatch", east.routing, "2025-03-10 11:00", { leadUnitId: "village-shanxia" });
  e = step(e, "accept", shanxia, "2025-03-10 12:00");
  e = step(e, "report-back", shanxia, "2025-03-11 10:00", { result: "初步调解" });
  e = step(e, "redo", east.inspector, "2025-03-11 15:00", { reason: "未附调解协议" });
  e = step(e, "report-back", shanxia, "2025-03-12 10:00", { result: "已签调解协议" });
  e = step(e, "review", east.inspector, "2025-03-12 15:00", {});
  step(e, "close", east.routing, "2025-03-13 10:00", { satisfaction: "basically-satisfied" });
  return trail;
}

describe("a month of cases (March 2025) through the workflow engine", () => {
  const trail = month();
  const march = periodFromKey(ZONE, "2025-03")!;
  const facts = factsFromTrail(config, trail.events, trail.cases);
  const lines = evaluateScores(config, facts, { period: march, members });
  const report = periodReport(config, { facts, lines, period: march, members });
  const ranking = (group: "village" | "platform" | "grid") =>
    report.rankings[group]!.map((r) => `${r.rank} ${r.target.id} ${r.score}`);

  it("the engine's transition audit records the effects that ran and the clocks that stopped", () => {
    const review = trail.events.find(
      (e) => e.caseId === "case-b" && (e.data as { transitionId?: string }).transitionId === "review",
    )!;
    expect(review.data).toMatchObject({
      effects: ["clear-deadline", "clear-deadline"], // the on-time score effect did not run: its guard failed
      cleared: [
        { kind: "review", met: true, reason: "done" },
        {
          kind: "handle",
          dueAt: "2025-03-10T15:59:59.999Z",
          pausedAt: at("2025-03-12 10:00"),
          met: false,
          reason: "done",
        },
      ],
    });
  });

  it("facts: closures, the ladder's sheet, the return, the rework and the revisits", () => {
    const count = (name: string) => facts.filter((f) => f.name === name).map((f) => f.caseId);
    expect(count("case.closed-on-time")).toEqual(["case-a", "case-c", "case-d", "case-e"]);
    expect(facts.filter((f) => f.name === "case.closed-late").map((f) => [f.caseId, f.overdueDays])).toEqual([
      ["case-b", 2],
    ]);
    expect(count("case.overdue")).toEqual(["case-b"]);
    expect(count("supervision.sheet-issued")).toEqual(["case-b"]);
    expect(count("case.returned")).toEqual(["case-d"]);
    expect(facts.filter((f) => f.name === "case.transition" && f.transitionId === "redo").map((f) => f.caseId)).toEqual(
      ["case-e"],
    );
    expect(count("revisit.dissatisfied")).toEqual(["case-b"]);
  });

  it("the review's figures", () => {
    expect(report.figures).toEqual({
      reported: 5,
      closedOnTime: 4,
      closedLate: 1,
      onTimeRate: 0.8,
      overdue: 1,
      returned: 1,
      escalated: 0,
      sheets: 1,
      talks: 0,
      revisits: 5,
      satisfied: 3,
      dissatisfied: 1,
      satisfactionRate: 0.6,
      appealsUpheld: 0,
      appealsRejected: 0,
    });
  });

  it("villages: Shanxia ahead of Qiaotou, whose late, supervised, unsatisfying case cost it", () => {
    expect(ranking("village")).toEqual(["1 village-shanxia 1000", "2 village-qiaotou 995"]);
  });

  it("platforms: safety and service share the lead; the others keep the base", () => {
    expect(ranking("platform")).toEqual([
      "1 platform-safety 1002",
      "1 platform-service 1002",
      "3 platform-economy 1000",
      "3 platform-party 1000",
    ]);
  });

  it("grids: two green, one yellow", () => {
    expect(ranking("grid")).toEqual(["1 grid-qiaotou-1 1001", "1 grid-shanxia-1 1001", "3 grid-qiaotou-2 998.5"]);
    expect(report.ratings.grid!.map((r) => `${r.target.id} ${r.level}`)).toEqual([
      "grid-qiaotou-1 green",
      "grid-shanxia-1 green",
      "grid-qiaotou-2 yellow",
    ]);
  });

  it("the county sees its townships side by side", () => {
    const quiet = periodReport(config, { facts: [], lines: [], period: march });
    const county = countyReport(march, [
      { tenantId: "west-hill", report: quiet },
      { tenantId: "east-lake", report },
    ]);
    expect(county.townships.map((t) => [t.tenantId, t.figures.onTimeRate, t.levels.grid])).toEqual([
      ["east-lake", 0.8, { green: 2, yellow: 1 }],
      ["west-hill", null, { green: 3 }],
    ]);
    expect(county.figures).toMatchObject({ reported: 5, closedOnTime: 4, onTimeRate: 0.8, satisfactionRate: 0.6 });
  });

  it("a second evaluation of the month gives the same ledger", () => {
    expect(
      evaluateScores(config, factsFromTrail(config, month().events, month().cases), { period: march, members }),
    ).toEqual(lines);
  });
});

// ---------------------------------------------------------------------------------------------
// Config checks

describe("scoring config checks", () => {
  const base = { id: "r", name: { zh: "测试规则" }, on: "case.closed-late", target: "lead-unit", points: -1 };
  const withRule = (over: Record<string, unknown>) => (c: MutableConfig) => (c.scoring.rules = [{ ...base, ...over }]);
  type Row = { name: string; mutate: (c: MutableConfig) => unknown; expected: Array<{ path: string; code: string }> };
  const rows: Row[] = [
    {
      name: "an unknown fact",
      mutate: withRule({ on: "case.vanished" }),
      expected: [{ path: "/scoring/rules/0/on", code: "scoring.fact-unknown" }],
    },
    {
      name: "an unknown transition",
      mutate: withRule({ on: { transition: "teleport" } }),
      expected: [{ path: "/scoring/rules/0/on/transition", code: "reference.missing" }],
    },
    {
      name: "a transition of another workflow",
      mutate: withRule({ on: { transition: "uphold", workflow: "case-loop" } }),
      expected: [{ path: "/scoring/rules/0/on/transition", code: "reference.missing" }],
    },
    {
      name: "an unknown workflow",
      mutate: withRule({ on: { transition: "redo", workflow: "nope" } }),
      expected: [{ path: "/scoring/rules/0/on/workflow", code: "reference.missing" }],
    },
    {
      name: "a rule on neither a fact nor a transition",
      mutate: withRule({ on: { workflow: "case-loop" } }),
      expected: [{ path: "/scoring/rules/0/on/transition", code: "schema.required" }],
    },
    {
      name: "points that are neither a number nor per day",
      mutate: withRule({ points: { max: 3 } }),
      expected: [{ path: "/scoring/rules/0/points/perDay", code: "schema.required" }],
    },
    {
      name: "an unknown post",
      mutate: withRule({ target: "post:janitor" }),
      expected: [{ path: "/scoring/rules/0/target", code: "reference.missing" }],
    },
    {
      name: "an unknown kind of target",
      mutate: withRule({ target: "everyone" }),
      expected: [{ path: "/scoring/rules/0/target", code: "schema.pattern" }],
    },
    {
      name: "an unknown condition",
      mutate: withRule({ when: { type: "moon-phase" } }),
      expected: [{ path: "/scoring/rules/0/when/type", code: "scoring.condition-unknown" }],
    },
    {
      name: "a condition without its params",
      mutate: withRule({ when: { type: "grade-in", params: {} } }),
      expected: [{ path: "/scoring/rules/0/when/params/grades", code: "params.required" }],
    },
    {
      name: "a condition naming an unknown grade",
      mutate: withRule({ when: { type: "grade-in", params: { grades: ["legendary"] } } }),
      expected: [{ path: "/scoring/rules/0/when/params/grades/0", code: "reference.missing" }],
    },
    {
      name: "overdue days on a fact without them",
      mutate: withRule({ on: "case.closed-on-time", points: 1, when: { type: "overdue-days", params: { min: 1 } } }),
      expected: [{ path: "/scoring/rules/0/when/type", code: "scoring.condition-not-applicable" }],
    },
    {
      name: "a nested condition that never holds",
      mutate: withRule({
        when: { type: "not", params: { condition: { type: "satisfaction-in", params: { values: ["satisfied"] } } } },
      }),
      expected: [{ path: "/scoring/rules/0/when/params/condition/type", code: "scoring.condition-not-applicable" }],
    },
    {
      name: "an empty overdue range",
      mutate: withRule({ when: { type: "overdue-days", params: { min: 5, max: 2 } } }),
      expected: [{ path: "/scoring/rules/0/when/params", code: "scoring.range-empty" }],
    },
    {
      name: "points per day on a fact without days",
      mutate: withRule({ on: "revisit.satisfied", points: { perDay: 1 } }),
      expected: [{ path: "/scoring/rules/0/points", code: "scoring.per-day-needs-days" }],
    },
    {
      name: "a non-positive cap",
      mutate: withRule({ points: { perDay: -1, max: 0 } }),
      expected: [{ path: "/scoring/rules/0/points/max", code: "schema.exclusiveMinimum" }],
    },
    {
      name: "the actor of a ladder fact",
      mutate: withRule({ on: "case.overdue", target: "actor" }),
      expected: [{ path: "/scoring/rules/0/target", code: "scoring.target-not-applicable" }],
    },
    {
      name: "the lead unit of a report",
      mutate: withRule({ on: "case.reported", target: "lead-unit", points: 1 }),
      expected: [{ path: "/scoring/rules/0/target", code: "scoring.target-not-applicable" }],
    },
    {
      name: "a duplicate rule id",
      mutate: (c) => (c.scoring.rules = [base, base]),
      expected: [{ path: "/scoring/rules/1/id", code: "duplicate-id" }],
    },
    {
      name: "levels out of order",
      mutate: (c) => (c.scoring.ratings.grid[1].min = 1001),
      expected: [{ path: "/scoring/ratings/grid/1/min", code: "scoring.rating-order" }],
    },
    {
      name: "a last level with a minimum",
      mutate: (c) => (c.scoring.ratings.grid[2].min = 900),
      expected: [{ path: "/scoring/ratings/grid/2/min", code: "scoring.rating-catch-all" }],
    },
    {
      name: "a middle level without a minimum",
      mutate: (c) => delete c.scoring.ratings.grid[1].min,
      expected: [{ path: "/scoring/ratings/grid/1", code: "scoring.rating-min-missing" }],
    },
    {
      name: "a level listed twice",
      mutate: (c) => (c.scoring.ratings.grid[1].level = "green"),
      expected: [{ path: "/scoring/ratings/grid/1/level", code: "duplicate-id" }],
    },
    {
      name: "an appeal workflow that does not exist",
      mutate: (c) => (c.scoring.appeal.workflow = "petition"),
      expected: [{ path: "/scoring/appeal/workflow", code: "reference.missing" }],
    },
    {
      name: "an appeal state that does not exist",
      mutate: (c) => (c.scoring.appeal.upheldState = "granted"),
      expected: [{ path: "/scoring/appeal/upheldState", code: "reference.missing" }],
    },
    {
      name: "an appeal form that does not exist",
      mutate: (c) => (c.scoring.appeal.form = "petition"),
      expected: [{ path: "/scoring/appeal/form", code: "reference.missing" }],
    },
    {
      name: "an entry field not in the appeal form",
      mutate: (c) => (c.scoring.appeal.entryField = "entry"),
      expected: [{ path: "/scoring/appeal/entryField", code: "reference.missing" }],
    },
    {
      name: "a closing deadline no workflow sets",
      mutate: (c) => (c.scoring.closingDeadline = "resolution"),
      expected: [{ path: "/scoring/closingDeadline", code: "scoring.deadline-kind-unused" }],
    },
    {
      name: "an unknown period",
      mutate: (c) => (c.scoring.periods = ["week"]),
      expected: [{ path: "/scoring/periods/0", code: "schema.enum" }],
    },
    // One event, one line per target (docs/decisions/026-one-scoring-path.md).
    {
      name: "two rules scoring one fact for the same target",
      mutate: (c) => (c.scoring.rules = [base, { ...base, id: "r2" }]),
      expected: [{ path: "/scoring/rules/1", code: "scoring.scored-twice" }],
    },
    {
      name: "a revisit and its result scored for the same target",
      mutate: (c) =>
        (c.scoring.rules = [
          { ...base, id: "visited", on: "revisit.recorded", points: 1 },
          { ...base, id: "pleased", on: "revisit.satisfied", points: 1 },
        ]),
      expected: [{ path: "/scoring/rules/1", code: "scoring.scored-twice" }],
    },
    {
      name: "a transition scored by id and again as any transition",
      mutate: (c) =>
        (c.scoring.rules = [
          { ...base, id: "a", on: { transition: "redo" } },
          {
            ...base,
            id: "b",
            on: "case.transition",
            when: { type: "transition-in", params: { transitions: ["review", "redo"] } },
          },
        ]),
      expected: [{ path: "/scoring/rules/1", code: "scoring.scored-twice" }],
    },
    {
      name: "a bonus on top of a rule for the same fact",
      mutate: (c) =>
        (c.scoring.rules = [
          { ...base, on: "case.closed-on-time", points: 1 },
          {
            ...base,
            id: "hard",
            on: "case.closed-on-time",
            points: 2,
            when: { type: "grade-in", params: { grades: ["major"] } },
          },
        ]),
      expected: [{ path: "/scoring/rules/1", code: "scoring.scored-twice" }],
    },
    {
      name: "rules kept apart by conditions that exclude each other",
      mutate: (c) =>
        (c.scoring.rules = [
          {
            ...base,
            on: "case.closed-on-time",
            points: 1,
            when: { type: "not", params: { condition: { type: "grade-in", params: { grades: ["major"] } } } },
          },
          {
            ...base,
            id: "hard",
            on: "case.closed-on-time",
            points: 3,
            when: { type: "grade-in", params: { grades: ["major"] } },
          },
          { ...base, id: "short", when: { type: "overdue-days", params: { max: 2 } } },
          { ...base, id: "long", when: { type: "overdue-days", params: { min: 3 } } },
          {
            ...base,
            id: "rated-well",
            on: { transition: "review" },
            when: { type: "input-in", params: { field: "result", values: ["good"] } },
          },
          {
            ...base,
            id: "rated-badly",
            on: { transition: "review" },
            when: { type: "input-in", params: { field: "result", values: ["bad"] } },
          },
        ]),
      expected: [],
    },
    {
      name: "one fact for two targets",
      mutate: (c) => (c.scoring.rules = [base, { ...base, id: "platform-too", target: "platform" }]),
      expected: [],
    },
    {
      name: "a form-input condition on a fact without a form",
      mutate: withRule({
        on: "case.overdue",
        when: { type: "input-in", params: { field: "rating", values: ["fail"] } },
      }),
      expected: [{ path: "/scoring/rules/0/when/type", code: "scoring.condition-not-applicable" }],
    },
  ];

  it.each(rows)("$name", ({ mutate, expected }) => {
    const c = demoConfig();
    mutate(c);
    const result = validateTownshipConfig(c);
    const issues = result.ok ? [] : result.issues;
    expect(
      issues
        .filter((i) => i.path.startsWith("/scoring"))
        .map((i) => ({ path: i.path, code: i.code }))
        .filter((i, k, all) => all.findIndex((j) => j.path === i.path && j.code === i.code) === k),
    ).toEqual(expected);
    for (const i of issues) {
      expect(hasCjk(issueMessage(i).zh)).toBe(true);
      if (i.code.startsWith("scoring.") || i.code === "reference.missing")
        expect(hasCjk(issueMessage(i).en)).toBe(false);
    }
  });

  it.each(["templates/command-room-guideline@1.0.0.json", "templates/zhoushan-141@1.0.0.json"])(
    "%s ships a 1000-point rule set, grid colours and an appeal workflow",
    (file) => {
      const raw = readTenantJson(file) as TownshipConfig;
      expect(raw.scoring).toMatchObject({
        base: 1000,
        periods: ["month", "quarter", "year"],
        appeal: { workflow: "score-appeal" },
      });
      expect(raw.scoring!.ratings!.grid!.map((l) => l.level)).toEqual(["green", "yellow", "red"]);
      expect(Object.keys(raw.workflows!)).toContain("score-appeal");
      expect(validateTownshipConfig(raw)).toMatchObject({ ok: true });
    },
  );
});
