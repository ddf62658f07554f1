// 受理时限: a deadline that starts at intake (set-deadline in a workflow's `onIntake`), runs its own
// ladder while the case waits for triage, and stops when the case leaves its first state. Run on
// east-lake's file moved onto command-room-guideline@1.1.0, which ships the construct.
import { describe, expect, it } from "vitest";
import { conditionHolds, type Fact } from "#engine/scoring";
import { resolveConfig } from "#engine/config/resolve";
import { validateTownshipConfig } from "#engine/config/validate";
import { decideAppeal } from "#engine/appeal";
import { decideIntake, type IntakeContext, type NewCase } from "#engine/intake";
import type { Mode } from "#engine/case-state";
import { decide } from "#engine/workflow";
import { actor, hasCjk, readTenantJson, templateLookup, type MutableConfig } from "./helpers";
import { compileWithCalendars, east, eastLake, expectOk, fire, local, newCase, ofType } from "./workflow-helpers";
import { issueMessage } from "#app/locales/issues/index";

/** East-lake's own file on the 1.1.0 template, resolved as JSON to edit. */
function onLatest(): MutableConfig {
  const raw = structuredClone(readTenantJson("townships/east-lake.json")) as MutableConfig;
  raw.extends = "command-room-guideline@1.1.0";
  const resolved = resolveConfig(raw, templateLookup);
  if (!resolved.ok) throw new Error(resolved.issues.map((i) => issueMessage(i).en).join("\n"));
  return structuredClone(resolved.value) as MutableConfig;
}

const compiled = compileWithCalendars(onLatest());
const grid = actor("east-lake", "grid-qiaotou-1", ["grid-worker"], "u-reporter");
const dispute = { summary: "邻里因噪音发生争执", parties: 3, location: "桥头村3组", partyPhone: "13800138000" };
// Monday 2 March 2026, 09:00 in Shanghai.
const T0 = local("2026-03-02 09:00");

function report(mode?: Mode, over: Partial<IntakeContext> = {}) {
  const decision = decideIntake(
    { compiled, configVersion: 1, actor: grid, now: T0, caseId: "case-intake", ...(mode ? { mode } : {}), ...over },
    { categoryId: "dispute", data: dispute },
  );
  if (!decision.ok) throw new Error(JSON.stringify(decision.refusal));
  return decision;
}

/** The engine's state of a case just opened, as the server stores it. */
const stateOf = (c: NewCase, mode: Mode = "peacetime") =>
  newCase(compiled, { id: c.id, deadlines: c.deadlines ?? [], mode, reporterId: c.reporterId });

describe("set-deadline at intake", () => {
  it.each([
    { mode: undefined, due: "2026-03-03T15:59:59.999Z", why: "1 working day: the end of Tuesday" },
    { mode: "wartime" as const, due: "2026-03-02T03:00:00.000Z", why: "wartime: 2 hours" },
  ])("opens the case with an intake clock under its own policy ($why)", ({ mode, due }) => {
    const { case: c, outcomes } = report(mode);
    expect(c.deadlines).toMatchObject([{ id: "intake@1", kind: "intake", policyId: "intake", dueAt: due }]);
    expect(c.nextCheckAt).toBe(new Date(new Date(due).getTime() + 1).toISOString());
    expect(ofType(outcomes, "deadline-set")).toMatchObject([{ caseId: "case-intake", deadline: { id: "intake@1" } }]);
    // The intake notification still goes out beside it.
    expect(ofType(outcomes, "notify")).toMatchObject([{ posts: ["routing"], kind: "case.reported" }]);
  });

  it("a config without one opens the case with no clock (east-lake on 1.0.0)", () => {
    const { case: c, outcomes } = report(undefined, { compiled: eastLake() });
    expect(c.deadlines).toBeUndefined();
    expect(c.nextCheckAt).toBeUndefined();
    expect(ofType(outcomes, "deadline-set")).toEqual([]);
  });

  it("overdue: the ladder issues a sheet to the command room, copied to inspection", () => {
    const state = stateOf(report().case);
    const tick = expectOk(decide(compiled, state, { type: "tick" }, east.routing, local("2026-03-04 09:00")));
    expect(ofType(tick.outcomes, "supervision-sheet")).toMatchObject([
      {
        trigger: "ladder",
        deadlineKind: "intake",
        dueAt: "2026-03-03T15:59:59.999Z",
        toUnitIds: ["command-room"],
        copyPosts: ["inspection"],
      },
    ]);
    expect(ofType(tick.outcomes, "notify").map((n) => n.posts)).toEqual([["routing", "inspection"]]);
    expect(ofType(tick.outcomes, "audit")).toMatchObject([
      { event: "case.deadline-step", data: { kind: "intake", phase: "overdue", type: "supervision-sheet" } },
    ]);
  });

  it.each([
    { at: "2026-03-02 10:00", met: true },
    { at: "2026-03-05 10:00", met: false },
  ])("triage at $at stops the intake clock (met: $met) and the sweep has nothing left", ({ at, met }) => {
    const state = stateOf(report().case);
    const triaged = fire(compiled, state, "triage", east.routing, local(at), { gradeId: "general" });
    expect(ofType(triaged.outcomes, "deadline-cleared")).toMatchObject([{ kind: "intake", met, reason: "done" }]);
    expect(triaged.next.deadlines).toEqual([]);
    expect(triaged.nextCheckAt).toBeNull();
  });
});

describe("set-deadline when an appeal is filed", () => {
  it("the appeal case carries a clock of its own, under the appeal workflow's onIntake", () => {
    const c = onLatest();
    const appeal = c.workflows["score-appeal"];
    appeal.onIntake.push({ type: "set-deadline", params: { kind: "appeal-review", policy: "review" } });
    for (const t of appeal.transitions)
      t.effects = [...(t.effects ?? []), { type: "clear-deadline", params: { kind: "appeal-review" } }];
    const config = compileWithCalendars(c);
    const line = {
      rule: "returned",
      target: { kind: "unit" as const, id: "village-qiaotou" },
      points: -1,
      at: T0,
      caseId: "c1",
      dedupeKey: "score:east-lake:returned:13:unit:village-qiaotou",
    };
    const decision = decideAppeal(
      {
        compiled: config,
        configVersion: 1,
        actor: east.village,
        now: T0,
        caseId: "appeal-1",
        disputed: line,
        alreadyAppealed: false,
      },
      { scoreKey: line.dedupeKey, reason: "超期系台风停工所致" },
    );
    if (!decision.ok) throw new Error(JSON.stringify(decision.refusal));
    // review: 3 working days from Monday → the end of Thursday.
    expect(decision.case.deadlines).toMatchObject([
      { id: "appeal-review@1", kind: "appeal-review", dueAt: "2026-03-05T15:59:59.999Z" },
    ]);
    expect(ofType(decision.outcomes, "notify")).toMatchObject([
      { posts: ["inspection"], kind: "appeal.filed", caseId: "appeal-1" },
    ]);
  });
});

describe("checks on intake deadlines", () => {
  const loop = (c: MutableConfig) => c.workflows["case-loop"];
  const issuesOf = (mutate: (c: MutableConfig) => void) => {
    const c = onLatest();
    mutate(c);
    const result = validateTownshipConfig(c);
    return result.ok ? [] : result.issues;
  };

  it("the shipped configs with intake deadlines are valid", () => {
    expect(issuesOf(() => {})).toEqual([]);
  });

  it.each([
    {
      name: "a transition out of the first state that leaves the intake clock running",
      mutate: (c: MutableConfig) => {
        loop(c).transitions[0].effects = loop(c).transitions[0].effects.filter(
          (e: { type: string }) => e.type !== "clear-deadline",
        );
      },
      expected: [{ path: "/workflows/case-loop/transitions/0", code: "deadline.intake-not-ended" }],
    },
    {
      name: "an intake clock under a policy whose steps address the (not yet known) assignees",
      mutate: (c: MutableConfig) => {
        loop(c).onIntake[1] = { type: "set-deadline", params: { kind: "intake", policy: "review" } };
        // review's ladder notifies posts; the reminder names them too: only a default reminder is unaddressed.
        delete c.deadlinePolicies.review.reminders[0].notify;
      },
      expected: [{ path: "/deadlinePolicies/review/reminders/0", code: "deadline.intake-unaddressed" }],
    },
    {
      name: "an intake clock falling back on the category's handling policy",
      mutate: (c: MutableConfig) => {
        loop(c).onIntake[1] = { type: "set-deadline", params: { kind: "intake" } };
      },
      expected: [
        "/deadlinePolicies/standard/reminders/0",
        "/deadlinePolicies/standard/reminders/1",
        "/deadlinePolicies/standard/reminders/2",
        "/deadlinePolicies/standard/wartimeReminders/0",
        "/deadlinePolicies/standard/overdueLadder/0",
        "/deadlinePolicies/standard/overdueLadder/1",
        "/deadlinePolicies/standard/overdueLadder/2",
      ].map((path) => ({ path, code: "deadline.intake-unaddressed" })),
    },
    {
      name: "an intake clock reading a due date from a form",
      mutate: (c: MutableConfig) => {
        loop(c).onIntake[1].params.dueField = "dueDate";
      },
      expected: [{ path: "/workflows/case-loop/onIntake/1/params/dueField", code: "deadline.intake-due-field" }],
    },
    {
      name: "pausing a clock at intake (there is none yet)",
      mutate: (c: MutableConfig) => {
        loop(c).onIntake.push({ type: "pause-deadline", params: { kind: "intake" } });
      },
      expected: [{ path: "/workflows/case-loop/onIntake/2/type", code: "effect.place" }],
    },
    {
      name: "a scoring condition on a deadline kind nothing sets",
      mutate: (c: MutableConfig) => {
        c.scoring.rules.find((r: { id: string }) => r.id === "intake-late").when.params.deadlines = ["triage"];
      },
      expected: [
        {
          path: expect.stringMatching(/^\/scoring\/rules\/\d+\/when\/params\/deadlines\/0$/),
          code: "deadline.kind-unknown",
        },
      ],
    },
    {
      name: "a deadline condition on a fact that has no deadline",
      mutate: (c: MutableConfig) => {
        c.scoring.rules.find((r: { id: string }) => r.id === "intake-late").on = "case.reported";
      },
      expected: [
        {
          path: expect.stringMatching(/^\/scoring\/rules\/\d+\/when\/type$/),
          code: "scoring.condition-not-applicable",
        },
      ],
    },
  ])("$name", ({ mutate, expected }) => {
    const issues = issuesOf(mutate);
    expect(issues.map(({ path, code }) => ({ path, code }))).toEqual(expected);
    for (const i of issues) {
      expect(hasCjk(issueMessage(i).zh)).toBe(true);
      expect(issueMessage(i).en.length).toBeGreaterThan(0);
      expect(hasCjk(issueMessage(i).en)).toBe(false);
    }
  });

  it("an intake deadline kind is a known kind for guards and clear-deadline elsewhere", () => {
    const issues = issuesOf((c) => {
      loop(c).transitions[0].guard = { type: "deadline-overdue", params: { kind: "intake" } };
    });
    expect(issues.filter((i) => i.code === "deadline.kind-unknown")).toEqual([]);
  });
});

describe("the deadline-in scoring condition", () => {
  const fact = (deadlineKind?: string) =>
    ({ name: "supervision.sheet-issued", ...(deadlineKind ? { deadlineKind } : {}) }) as Fact;
  it.each([
    { kind: "intake", holds: true },
    { kind: "handle", holds: false },
    { kind: undefined, holds: false },
  ])("deadlines [intake] on a fact about $kind: $holds", ({ kind, holds }) => {
    expect(conditionHolds({ type: "deadline-in", params: { deadlines: ["intake"] } }, fact(kind))).toBe(holds);
  });
});
