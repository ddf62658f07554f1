// One scoring path (docs/decisions/026-one-scoring-path.md): points come only from scoring rules
// over facts; the workflow `score` action is retired; no shipped config scores one event twice.
import { describe, expect, it } from "vitest";
import { compileConfig } from "#engine/config/compile";
import { validateTownshipConfig } from "#engine/config/validate";
import {
  evaluateScores,
  factsFromTrail,
  FACT_NAMES,
  type CaseFactsLike,
  type Fact,
  type FactName,
} from "#engine/scoring";
import type { TownshipConfig } from "#schemas/township-config";
import { demoConfig, listTenantJson } from "./helpers";
import { cnMainland, east, fire, local, newCase, resolvedJson, zhoushan } from "./workflow-helpers";
import { issueMessage } from "#app/locales/issues/index";

describe("the retired workflow score action", () => {
  it("a config that still scores in a transition is refused, pointing at the scoring rules", () => {
    const c = demoConfig();
    const close = c.workflows["case-loop"].transitions.find((t: { id: string }) => t.id === "close");
    close.effects.unshift({ type: "score", params: { rule: "satisfaction", target: "lead-unit", points: 2 } });
    const result = validateTownshipConfig(c);
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues.filter((i) => i.code === "effect.retired-score");
    expect(issues.map((i) => i.path)).toEqual([
      expect.stringMatching(/^\/workflows\/case-loop\/transitions\/(\d+|close)\/effects\/0\/type$/),
    ]);
    expect(issueMessage(issues[0]!).zh).toContain("scoring.rules");
    expect(issueMessage(issues[0]!).en).toContain("scoring rules");
  });

  it("a version published before still runs: the action does nothing, the rules score the revisit", () => {
    // Compiled without validation, as a stored config version is.
    const c = demoConfig();
    c.workflows["case-loop"].transitions
      .find((t: { id: string }) => t.id === "close")
      .effects.unshift({ type: "score", params: { rule: "satisfaction", target: "lead-unit", points: 2 } });
    c.deadlinePolicies.standard.overdueLadder.splice(1, 0, {
      type: "score",
      params: { rule: "overdue", target: "lead-unit", points: -2 },
    });
    const old = compileConfig(c as TownshipConfig, { calendarBases: { "cn-mainland": cnMainland } });
    let s = newCase(old, { id: "case-old" });
    s = fire(old, s, "triage", east.routing, local("2025-03-03 09:00"), { gradeId: "general" }).next;
    s = fire(old, s, "dispatch", east.routing, local("2025-03-03 09:10"), { leadUnitId: "village-qiaotou" }).next;
    s = fire(old, s, "accept", east.village, local("2025-03-03 09:20")).next;
    s = fire(old, s, "report-back", east.village, local("2025-03-04 10:00"), { result: "已调解" }).next;
    s = fire(old, s, "review", east.routing, local("2025-03-04 11:00"), {}).next;
    const closed = fire(old, s, "close", east.reporter, local("2025-03-05 10:00"), { satisfaction: "satisfied" });
    expect(closed.outcomes.map((e) => e.type)).toEqual(["audit", "supervision-closed"]);
  });
});

/** Every fact a shipped template can make, in every grade, transition and outcome it knows. */
function everyFact(config: TownshipConfig): Fact[][] {
  const grades = (config.grades ?? []).map((g) => g.id);
  const transitions = Object.entries(config.workflows ?? {}).flatMap(([workflowId, w]) =>
    (w.transitions ?? []).map((t) => ({ workflowId, transitionId: t.id, form: t.form })),
  );
  const revisit = config.scoring?.revisit;
  const satisfactions = [
    ...(revisit?.satisfied ?? ["satisfied"]),
    ...(revisit?.dissatisfied ?? ["unsatisfied"]),
    "no-answer",
  ];
  /** Each enum value of each form field, one input per value. */
  const inputsOf = (formId: string | undefined): Array<Record<string, unknown>> => {
    const props =
      (
        (formId ? config.forms?.[formId]?.schema : undefined) as
          | { properties?: Record<string, { enum?: unknown[] }> }
          | undefined
      )?.properties ?? {};
    const out = Object.entries(props).flatMap(([field, p]) => (p.enum ?? []).map((v) => ({ [field]: v })));
    return out.length ? out : [{}];
  };
  const occurrences: Fact[][] = [];
  let seq = 0;
  for (const gradeId of grades) {
    for (const t of transitions) {
      for (const input of inputsOf(t.form)) {
        for (const trigger of ["ladder", "manual"] as const) {
          for (const overdueDays of [1, 4, 30]) {
            const key = String(++seq);
            const fact = (name: FactName, extra: Partial<Fact> = {}): Fact => ({
              name,
              key,
              tenantId: "t",
              caseId: "c",
              eventSeq: seq,
              at: "2025-03-10T02:00:00.000Z",
              workflowId: t.workflowId,
              categoryId: "any",
              platformId: "platform-a",
              orgUnitId: "unit-a",
              reporterId: "u-reporter",
              gradeId,
              assignment: { leadUnitId: "unit-lead", assistUnitIds: ["unit-assist"], assigneeUserIds: ["u-assignee"] },
              actorId: "u-actor",
              transitionId: t.transitionId,
              input,
              overdueDays,
              trigger,
              disputedKey: "score:x",
              ...extra,
            });
            for (const name of FACT_NAMES.filter((n) => !n.startsWith("revisit."))) occurrences.push([fact(name)]);
            for (const satisfaction of satisfactions) {
              const result: FactName | undefined = revisit?.satisfied?.includes(satisfaction)
                ? "revisit.satisfied"
                : revisit?.dissatisfied?.includes(satisfaction)
                  ? "revisit.dissatisfied"
                  : undefined;
              occurrences.push([
                fact("revisit.recorded", { satisfaction }),
                ...(result ? [fact(result, { satisfaction })] : []),
              ]);
            }
          }
        }
      }
    }
  }
  return occurrences;
}

describe("no shipped config scores one event twice", () => {
  it.each(listTenantJson("templates"))(
    "%s: every event makes at most one line per target, each from one rule and one fact",
    (file) => {
      const config = resolvedJson(file) as unknown as TownshipConfig;
      const result = validateTownshipConfig(config);
      expect(result.ok ? [] : result.issues).toEqual([]);
      const occurrences = everyFact(config);
      expect(occurrences.length).toBeGreaterThan(1000);
      const twice: string[] = [];
      let scored = 0;
      for (const facts of occurrences) {
        const lines = evaluateScores(config, facts);
        scored += lines.length;
        const byTarget = new Map<string, string[]>();
        for (const l of lines) {
          expect(l.origin).toBe("rule");
          const k = `${l.target.kind}:${l.target.id}`;
          byTarget.set(k, [...(byTarget.get(k) ?? []), l.rule]);
        }
        for (const [target, rules] of byTarget)
          if (rules.length > 1)
            twice.push(
              `${facts.map((f) => f.name).join("+")} ${facts[0]!.transitionId} ${facts[0]!.gradeId} → ${target}: ${rules.join(", ")}`,
            );
      }
      expect(scored).toBeGreaterThan(0);
      expect([...new Set(twice)]).toEqual([]);
    },
  );
});

describe("what the score action did, rules do once", () => {
  const zs = zhoushan();
  const task: CaseFactsLike = {
    id: "t1",
    tenantId: "zhoushan",
    workflowId: "task-flow",
    categoryId: "task",
    platformId: "platform-economy",
    orgUnitId: "command-room",
    reporterId: "u-county",
  };
  const evaluation = (rating: string) => ({
    seq: 7,
    caseId: "t1",
    actorId: "u-assessor",
    type: "case.transition",
    at: "2025-10-10T02:00:00.000Z",
    data: {
      transitionId: "evaluate",
      from: "feedback",
      to: "evaluated",
      assignment: { leadUnitId: "platform-economy", assistUnitIds: [] },
      input: { rating },
      effects: ["clear-deadline", "clear-deadline", "notify"],
      cleared: [
        { id: "review@5", kind: "review", met: true, reason: "done" },
        { id: "handle@2", kind: "handle", met: true, reason: "done" },
      ],
    },
  });

  const onTime = ["task-on-time", 2, "task.completed-on-time"];
  it.each([
    ["excellent", [["task-excellent", 3, "case.transition"], onTime]],
    ["good", [["task-good", 1, "case.transition"], onTime]],
    ["pass", [onTime]],
    ["fail", [["task-fail", -3, "case.transition"], onTime]],
  ])("a task rated %s: the rating rule and the on-time rule, each one line from its own fact", (rating, expected) => {
    const lines = evaluateScores(zs.config, factsFromTrail(zs.config, [evaluation(rating)], [task]));
    expect(lines.map((l) => [l.rule, l.points, l.fact])).toEqual(expected);
    expect(lines.every((l) => l.target.id === "platform-economy")).toBe(true);
  });
});
