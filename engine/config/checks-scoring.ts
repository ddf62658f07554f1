// Semantic checks for `scoring`: rules name known facts, transitions, conditions and posts; per-day
// points and conditions fit the fact they are about; rating levels are ordered; the appeal
// workflow, its states and its form exist. Each problem is reported once, where an admin fixes it.
import { sharedAjv, toIssues, type ValidateFunction } from "#engine/ajv";
import { pointer, type Issue, issue, type RefKind } from "#engine/issues";
import { deadlineKinds } from "./checks-workflow";
import { configDefaults } from "./defaults";
import {
  CONDITION_NEEDS,
  CONDITION_PARAMS,
  FACT_NAMES,
  factHas,
  FACTS,
  isConditionName,
  isFactName,
  type FactName,
} from "#engine/scoring";
import type { TownshipConfig } from "#schemas/township-config";

type Path = Array<string | number>;
type Spec = { type: string; params?: Record<string, unknown> };

const ajv = sharedAjv();
const conditionValidators = new Map<string, ValidateFunction>(
  Object.entries(CONDITION_PARAMS).map(([name, schema]) => [name, ajv.compile(schema)]),
);

const has = (record: object | undefined, key: string) => record !== undefined && Object.hasOwn(record, key);

export function scoringIssues(config: TownshipConfig): Issue[] {
  const scoring = config.scoring;
  if (!scoring) return [];
  const out: Issue[] = [];
  const workflows = config.workflows ?? {};
  const postIds = new Set((config.posts ?? []).map((p) => p.id));
  const unitIds = new Set((config.org?.units ?? []).map((u) => u.id));
  const gradeIds = new Set((config.grades ?? []).map((g) => g.id));
  const categoryIds = new Set((config.categories ?? []).map((c) => c.id));
  const transitionIds = new Set(Object.values(workflows).flatMap((w) => (w.transitions ?? []).map((t) => t.id)));
  const kinds = deadlineKinds(config);
  // Locality units by the township they stand for: `source-township` resolves through them.
  const localities = new Set<string>();
  (config.org?.units ?? []).forEach((u, k) => {
    if (u.tenant === undefined) return;
    const path: Path = ["org", "units", k, "tenant"];
    if (u.kind !== "locality") out.push(issue(path, "org.tenant-not-locality"));
    else if (localities.has(u.tenant)) out.push(issue(path, "duplicate-id", { what: "locality", id: u.tenant }));
    localities.add(u.tenant);
  });
  const missing = (path: Path, what: RefKind, ref: string) => out.push(issue(path, "reference.missing", { what, ref }));

  /** The facts a rule may see: its named fact, or transitions for `on: {transition}`. */
  const checkCondition = (spec: Spec, path: Path, fact: FactName) => {
    if (!isConditionName(spec.type)) {
      const known = Object.keys(CONDITION_PARAMS);
      out.push(issue([...path, "type"], "scoring.condition-unknown", { type: spec.type, known }));
      return;
    }
    const validate = conditionValidators.get(spec.type)!;
    if (!validate(spec.params ?? {})) {
      for (const i of toIssues(validate.errors))
        out.push({
          ...i,
          path: pointer(...path, "params") + i.path,
          code: `params.${i.code.replace(/^schema\./, "")}`,
        });
      return;
    }
    const needs = CONDITION_NEEDS[spec.type];
    if (needs && !factHas(fact, needs)) {
      out.push(
        issue([...path, "type"], "scoring.condition-not-applicable", {
          type: spec.type,
          needs,
          fact,
          factName: FACTS[fact].name,
        }),
      );
    }
    const p = (spec.params ?? {}) as Record<string, unknown>;
    const refs = (key: string, known: ReadonlySet<string>, what: RefKind) =>
      (p[key] as string[]).forEach((ref, k) => known.has(ref) || missing([...path, "params", key, k], what, ref));
    switch (spec.type) {
      case "grade-in":
        refs("grades", gradeIds, "grade");
        break;
      case "category-in":
        refs("categories", categoryIds, "category");
        break;
      case "platform-in":
        refs("platforms", unitIds, "platform");
        break;
      case "workflow-in":
        refs("workflows", new Set(Object.keys(workflows)), "workflow");
        break;
      case "transition-in":
        refs("transitions", transitionIds, "transition");
        break;
      case "deadline-in":
        (p.deadlines as string[]).forEach(
          (kind, k) =>
            kinds.has(kind) || out.push(issue([...path, "params", "deadlines", k], "deadline.kind-unknown", { kind })),
        );
        break;
      case "overdue-days":
        if (typeof p.min === "number" && typeof p.max === "number" && p.min > p.max) {
          out.push(issue([...path, "params"], "scoring.range-empty"));
        }
        break;
      case "all":
      case "any":
        (p.conditions as Spec[]).forEach((c, k) => checkCondition(c, [...path, "params", "conditions", k], fact));
        break;
      case "not":
        checkCondition(p.condition as Spec, [...path, "params", "condition"], fact);
        break;
    }
  };

  const seen = new Set<string>();
  /** Rules without an issue of their own: only they are compared for scoring one fact twice. */
  const sound: Array<{ index: number; rule: Rule; fact: FactName }> = [];
  (scoring.rules ?? []).forEach((rule, i) => {
    const at: Path = ["scoring", "rules", i];
    const before = out.length;
    if (seen.has(rule.id)) out.push(issue([...at, "id"], "duplicate-id", { what: "id", id: rule.id }));
    seen.add(rule.id);

    let fact: FactName | undefined;
    if (typeof rule.on === "string") {
      if (isFactName(rule.on)) fact = rule.on;
      else {
        out.push(issue([...at, "on"], "scoring.fact-unknown", { on: rule.on, known: FACT_NAMES }));
      }
    } else {
      fact = "case.transition";
      const { transition, workflow } = rule.on;
      if (workflow !== undefined && !has(workflows, workflow)) missing([...at, "on", "workflow"], "workflow", workflow);
      else if (
        workflow !== undefined
          ? !(workflows[workflow]!.transitions ?? []).some((t) => t.id === transition)
          : !transitionIds.has(transition)
      ) {
        missing([...at, "on", "transition"], "transition", transition);
      }
    }

    if (rule.target.startsWith("post:")) {
      const post = rule.target.slice("post:".length);
      if (!postIds.has(post)) missing([...at, "target"], "post", post);
    }
    if (rule.target === "source-township" && (config.kind !== "county" || !localities.size)) {
      out.push(issue([...at, "target"], "scoring.no-localities"));
    }
    if (fact && rule.target === "actor" && !factHas(fact, "actor")) {
      out.push(
        issue([...at, "target"], "scoring.target-not-applicable", {
          lacks: "actor",
          fact,
          factName: FACTS[fact].name,
          target: rule.target,
        }),
      );
    }
    if (
      fact &&
      (rule.target === "lead-unit" || rule.target === "assist-units" || rule.target === "assignee-users") &&
      !factHas(fact, "assignment")
    ) {
      out.push(
        issue([...at, "target"], "scoring.target-not-applicable", {
          lacks: "assignment",
          fact,
          factName: FACTS[fact].name,
          target: rule.target,
        }),
      );
    }
    if (fact && typeof rule.points !== "number" && !factHas(fact, "overdueDays")) {
      out.push(issue([...at, "points"], "scoring.per-day-needs-days", { fact, factName: FACTS[fact].name }));
    }
    if (fact && rule.when) checkCondition(rule.when, [...at, "when"], fact);
    if (fact && out.length === before) sound.push({ index: i, rule, fact });
  });
  out.push(...scoredTwice(sound, configDefaults(config).revisit));

  for (const [group, levels] of Object.entries(scoring.ratings ?? {})) {
    const at: Path = ["scoring", "ratings", group];
    const names = new Set<string>();
    levels.forEach((level, k) => {
      if (names.has(level.level))
        out.push(issue([...at, k, "level"], "duplicate-id", { what: "level", id: level.level }));
      names.add(level.level);
      const last = k === levels.length - 1;
      if (last && level.min !== undefined) {
        out.push(issue([...at, k, "min"], "scoring.rating-catch-all"));
      }
      if (!last && level.min === undefined) {
        out.push(issue([...at, k], "scoring.rating-min-missing"));
      }
      const previous = levels[k - 1]?.min;
      if (k > 0 && level.min !== undefined && previous !== undefined && level.min >= previous) {
        out.push(issue([...at, k, "min"], "scoring.rating-order"));
      }
    });
  }

  const appeal = scoring.appeal;
  if (appeal) {
    const at: Path = ["scoring", "appeal"];
    const workflow = has(workflows, appeal.workflow) ? workflows[appeal.workflow] : undefined;
    if (!workflow) missing([...at, "workflow"], "workflow", appeal.workflow);
    else {
      for (const key of ["upheldState", "rejectedState"] as const) {
        const state = appeal[key];
        if (state !== undefined && !has(workflow.states, state)) missing([...at, key], "state", state);
      }
    }
    const forms = config.forms ?? {};
    if (!has(forms, appeal.form)) missing([...at, "form"], "form", appeal.form);
    else {
      const field = configDefaults(config).appealEntryField;
      const properties = (forms[appeal.form]!.schema as { properties?: Record<string, unknown> }).properties ?? {};
      if (!has(properties, field))
        missing(appeal.entryField ? [...at, "entryField"] : [...at, "form"], "formField", field);
    }
  }

  for (const key of ["closingDeadline", "feedbackDeadline"] as const) {
    const kind = scoring[key];
    if (kind !== undefined && !kinds.has(kind)) {
      out.push(issue(["scoring", key], "scoring.deadline-kind-unused", { kind }));
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// One fact, one line per target (docs/decisions/026-one-scoring-path.md)

type Rule = NonNullable<NonNullable<TownshipConfig["scoring"]>["rules"]>[number];

/** Facts that are one occurrence seen twice: a revisit's result is the revisit itself. */
const SAME_OCCURRENCE = new Set(["revisit.recorded|revisit.satisfied", "revisit.recorded|revisit.dissatisfied"]);
const occurTogether = (a: FactName, b: FactName) =>
  a === b || SAME_OCCURRENCE.has(`${a}|${b}`) || SAME_OCCURRENCE.has(`${b}|${a}`);

/** Conditions that hold only for values in a list, by the param holding it. */
const LIST_PARAM: Record<string, string> = {
  "grade-in": "grades",
  "category-in": "categories",
  "platform-in": "platforms",
  "workflow-in": "workflows",
  "transition-in": "transitions",
  "deadline-in": "deadlines",
  "satisfaction-in": "values",
  "trigger-in": "triggers",
};

const same = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
const overlaps = (a: readonly unknown[], b: readonly unknown[]) => a.some((x) => b.includes(x));

/** True only when no fact can meet both conditions (false when unsure). */
function disjoint(a: Spec, b: Spec): boolean {
  const pa = (a.params ?? {}) as Record<string, unknown>;
  const pb = (b.params ?? {}) as Record<string, unknown>;
  if (a.type === "not") return same(pa.condition, b);
  if (b.type === "not") return same(pb.condition, a);
  if (a.type === "any") return (pa.conditions as Spec[]).every((c) => disjoint(c, b));
  if (b.type === "any") return (pb.conditions as Spec[]).every((c) => disjoint(a, c));
  if (a.type !== b.type) return false;
  const list = LIST_PARAM[a.type];
  if (list) return !overlaps(pa[list] as unknown[], pb[list] as unknown[]);
  if (a.type === "input-in") return pa.field === pb.field && !overlaps(pa.values as unknown[], pb.values as unknown[]);
  if (a.type === "overdue-days") {
    const [minA, maxA, minB, maxB] = [pa.min ?? 0, pa.max ?? Infinity, pb.min ?? 0, pb.max ?? Infinity] as number[];
    return maxA! < minB! || maxB! < minA!;
  }
  return false;
}

/** What a rule requires of a fact, as conditions: its `when` (an `all` flattened), its transition, its revisit result. */
function requirements(
  rule: Rule,
  fact: FactName,
  revisit: { satisfied: readonly string[]; dissatisfied: readonly string[] },
): Spec[] {
  const out: Spec[] = [];
  const add = (spec: Spec) =>
    spec.type === "all" ? ((spec.params?.conditions ?? []) as Spec[]).forEach(add) : out.push(spec);
  if (rule.when) add(rule.when);
  if (typeof rule.on !== "string") {
    out.push({ type: "transition-in", params: { transitions: [rule.on.transition] } });
    if (rule.on.workflow !== undefined) out.push({ type: "workflow-in", params: { workflows: [rule.on.workflow] } });
  }
  if (fact === "revisit.satisfied") out.push({ type: "satisfaction-in", params: { values: [...revisit.satisfied] } });
  if (fact === "revisit.dissatisfied")
    out.push({ type: "satisfaction-in", params: { values: [...revisit.dissatisfied] } });
  return out;
}

/**
 * Two rules that can both score one fact (or one occurrence, as a revisit and its result) for the
 * same target: the event would count twice. Conditions that exclude each other keep them apart.
 */
function scoredTwice(
  rules: ReadonlyArray<{ index: number; rule: Rule; fact: FactName }>,
  revisit: { satisfied: readonly string[]; dissatisfied: readonly string[] },
): Issue[] {
  const out: Issue[] = [];
  const needs = rules.map((r) => requirements(r.rule, r.fact, revisit));
  for (let j = 0; j < rules.length; j++) {
    for (let i = 0; i < j; i++) {
      const a = rules[i]!;
      const b = rules[j]!;
      if (a.rule.target !== b.rule.target || !occurTogether(a.fact, b.fact)) continue;
      if (needs[i]!.some((x) => needs[j]!.some((y) => disjoint(x, y)))) continue;
      const fact = FACTS[b.fact].name;
      out.push(
        issue(["scoring", "rules", b.index], "scoring.scored-twice", {
          first: a.rule.id,
          second: b.rule.id,
          fact,
          target: b.rule.target,
        }),
      );
    }
  }
  return out;
}
