// Semantic checks for `scoring`: rules name known facts, transitions, conditions and posts; per-day
// points and conditions fit the fact they are about; rating levels are ordered; the appeal
// workflow, its states and its form exist. Each problem is reported once, where an admin fixes it.
import { sharedAjv, toIssues, type ValidateFunction } from "#engine/ajv";
import { pointer, type Issue, issue } from "#engine/issues";
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
  type FactAttribute,
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

const ATTRIBUTE: Record<FactAttribute, { zh: string; en: string }> = {
  assignment: { zh: "交办单位", en: "an assignment" },
  actor: { zh: "操作人", en: "an actor" },
  transition: { zh: "流程操作", en: "a transition" },
  input: { zh: "操作表单", en: "a transition's form input" },
  overdueDays: { zh: "超期天数", en: "overdue days" },
  deadline: { zh: "时限", en: "a deadline" },
  satisfaction: { zh: "满意度", en: "a satisfaction result" },
  trigger: { zh: "督办来源", en: "a trigger" },
  disputedKey: { zh: "申诉记录", en: "a disputed entry" },
};

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
    if (u.kind !== "locality")
      out.push(
        issue(
          path,
          "org.tenant-not-locality",
          "只有属地单位（locality）可标明乡镇",
          "Only a locality unit names a township",
        ),
      );
    else if (localities.has(u.tenant))
      out.push(
        issue(
          path,
          "duplicate-id",
          `乡镇“${u.tenant}”已有属地单位`,
          `Township "${u.tenant}" already has a locality unit`,
        ),
      );
    localities.add(u.tenant);
  });
  const missing = (path: Path, what: { zh: string; en: string }, ref: string) =>
    out.push(issue(path, "reference.missing", `${what.zh}“${ref}”不存在`, `${what.en} "${ref}" does not exist`));

  /** The facts a rule may see: its named fact, or transitions for `on: {transition}`. */
  const checkCondition = (spec: Spec, path: Path, fact: FactName) => {
    if (!isConditionName(spec.type)) {
      const known = Object.keys(CONDITION_PARAMS);
      out.push(
        issue(
          [...path, "type"],
          "scoring.condition-unknown",
          `未知的条件类型“${spec.type}”，可用：${known.join("、")}`,
          `Unknown condition type "${spec.type}"; known: ${known.join(", ")}`,
        ),
      );
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
        issue(
          [...path, "type"],
          "scoring.condition-not-applicable",
          `条件“${spec.type}”需要${ATTRIBUTE[needs].zh}，而“${FACTS[fact].name.zh}”没有`,
          `Condition "${spec.type}" needs ${ATTRIBUTE[needs].en}, which "${fact}" does not have`,
        ),
      );
    }
    const p = (spec.params ?? {}) as Record<string, unknown>;
    const refs = (key: string, known: ReadonlySet<string>, what: { zh: string; en: string }) =>
      (p[key] as string[]).forEach((ref, k) => known.has(ref) || missing([...path, "params", key, k], what, ref));
    switch (spec.type) {
      case "grade-in":
        refs("grades", gradeIds, { zh: "事件等级", en: "Grade" });
        break;
      case "category-in":
        refs("categories", categoryIds, { zh: "事件类别", en: "Category" });
        break;
      case "platform-in":
        refs("platforms", unitIds, { zh: "平台", en: "Platform" });
        break;
      case "workflow-in":
        refs("workflows", new Set(Object.keys(workflows)), { zh: "流程", en: "Workflow" });
        break;
      case "transition-in":
        refs("transitions", transitionIds, { zh: "流程操作", en: "Transition" });
        break;
      case "deadline-in":
        (p.deadlines as string[]).forEach(
          (kind, k) =>
            kinds.has(kind) ||
            out.push(
              issue(
                [...path, "params", "deadlines", k],
                "deadline.kind-unknown",
                `没有流程设定“${kind}”类时限`,
                `No workflow sets a deadline of kind "${kind}"`,
              ),
            ),
        );
        break;
      case "overdue-days":
        if (typeof p.min === "number" && typeof p.max === "number" && p.min > p.max) {
          out.push(
            issue(
              [...path, "params"],
              "scoring.range-empty",
              "超期天数下限大于上限",
              "The minimum overdue days exceed the maximum",
            ),
          );
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
    if (seen.has(rule.id))
      out.push(issue([...at, "id"], "duplicate-id", `编号重复：${rule.id}`, `Duplicate id: ${rule.id}`));
    seen.add(rule.id);

    let fact: FactName | undefined;
    if (typeof rule.on === "string") {
      if (isFactName(rule.on)) fact = rule.on;
      else {
        out.push(
          issue(
            [...at, "on"],
            "scoring.fact-unknown",
            `未知的考评事实“${rule.on}”，可用：${FACT_NAMES.join("、")}`,
            `Unknown fact "${rule.on}"; known: ${FACT_NAMES.join(", ")}`,
          ),
        );
      }
    } else {
      fact = "case.transition";
      const { transition, workflow } = rule.on;
      if (workflow !== undefined && !has(workflows, workflow))
        missing([...at, "on", "workflow"], { zh: "流程", en: "Workflow" }, workflow);
      else if (
        workflow !== undefined
          ? !(workflows[workflow]!.transitions ?? []).some((t) => t.id === transition)
          : !transitionIds.has(transition)
      ) {
        missing([...at, "on", "transition"], { zh: "流程操作", en: "Transition" }, transition);
      }
    }

    if (rule.target.startsWith("post:")) {
      const post = rule.target.slice("post:".length);
      if (!postIds.has(post)) missing([...at, "target"], { zh: "岗位", en: "Post" }, post);
    }
    if (rule.target === "source-township" && (config.kind !== "county" || !localities.size)) {
      out.push(
        issue(
          [...at, "target"],
          "scoring.no-localities",
          "只有县级配置可计给 source-township，且须有标明乡镇（tenant）的属地单位",
          "Only a county config can score source-township, and it needs locality units naming their township (tenant)",
        ),
      );
    }
    if (fact && rule.target === "actor" && !factHas(fact, "actor")) {
      out.push(
        issue(
          [...at, "target"],
          "scoring.target-not-applicable",
          `“${FACTS[fact].name.zh}”没有操作人，不能计给 actor`,
          `"${fact}" has no actor to score`,
        ),
      );
    }
    if (
      fact &&
      (rule.target === "lead-unit" || rule.target === "assist-units" || rule.target === "assignee-users") &&
      !factHas(fact, "assignment")
    ) {
      out.push(
        issue(
          [...at, "target"],
          "scoring.target-not-applicable",
          `“${FACTS[fact].name.zh}”发生时尚无交办单位，不能计给 ${rule.target}`,
          `"${fact}" has no assignment to score ${rule.target}`,
        ),
      );
    }
    if (fact && typeof rule.points !== "number" && !factHas(fact, "overdueDays")) {
      out.push(
        issue(
          [...at, "points"],
          "scoring.per-day-needs-days",
          `按天计分需要超期天数，而“${FACTS[fact].name.zh}”没有`,
          `Points per day need overdue days, which "${fact}" does not have`,
        ),
      );
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
        out.push(
          issue([...at, k, "level"], "duplicate-id", `等次重复：${level.level}`, `Duplicate level: ${level.level}`),
        );
      names.add(level.level);
      const last = k === levels.length - 1;
      if (last && level.min !== undefined) {
        out.push(
          issue(
            [...at, k, "min"],
            "scoring.rating-catch-all",
            "最后一个等次不设下限，以包含其余所有分数",
            "The last level takes every other score: leave out its `min`",
          ),
        );
      }
      if (!last && level.min === undefined) {
        out.push(
          issue(
            [...at, k],
            "scoring.rating-min-missing",
            "除最后一个等次外，每个等次都须设下限（min）",
            "Every level but the last needs a `min`",
          ),
        );
      }
      const previous = levels[k - 1]?.min;
      if (k > 0 && level.min !== undefined && previous !== undefined && level.min >= previous) {
        out.push(
          issue(
            [...at, k, "min"],
            "scoring.rating-order",
            "等次须按分数从高到低排列",
            "Levels must go from the highest score to the lowest",
          ),
        );
      }
    });
  }

  const appeal = scoring.appeal;
  if (appeal) {
    const at: Path = ["scoring", "appeal"];
    const workflow = has(workflows, appeal.workflow) ? workflows[appeal.workflow] : undefined;
    if (!workflow) missing([...at, "workflow"], { zh: "流程", en: "Workflow" }, appeal.workflow);
    else {
      for (const key of ["upheldState", "rejectedState"] as const) {
        const state = appeal[key];
        if (state !== undefined && !has(workflow.states, state))
          missing([...at, key], { zh: "状态", en: "State" }, state);
      }
    }
    const forms = config.forms ?? {};
    if (!has(forms, appeal.form)) missing([...at, "form"], { zh: "表单", en: "Form" }, appeal.form);
    else {
      const field = configDefaults(config).appealEntryField;
      const properties = (forms[appeal.form]!.schema as { properties?: Record<string, unknown> }).properties ?? {};
      if (!has(properties, field))
        missing(
          appeal.entryField ? [...at, "entryField"] : [...at, "form"],
          { zh: "表单字段", en: "Form field" },
          field,
        );
    }
  }

  for (const key of ["closingDeadline", "feedbackDeadline"] as const) {
    const kind = scoring[key];
    if (kind !== undefined && !kinds.has(kind)) {
      out.push(
        issue(
          ["scoring", key],
          "scoring.deadline-kind-unused",
          `没有流程设定“${kind}”类时限`,
          `No workflow sets a deadline of kind "${kind}"`,
        ),
      );
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
        issue(
          ["scoring", "rules", b.index],
          "scoring.scored-twice",
          `规则“${a.rule.id}”与“${b.rule.id}”对同一事实（${fact.zh}）都计分给 ${b.rule.target}：一件事只计一次分。请合并为一条规则，或用互斥的条件（when）区分`,
          `Rules "${a.rule.id}" and "${b.rule.id}" both score the same fact (${fact.en}) for ${b.rule.target}: an event is scored once. Merge them into one rule, or tell them apart with conditions (when) that exclude each other`,
        ),
      );
    }
  }
  return out;
}
