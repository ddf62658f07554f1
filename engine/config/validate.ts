// Two layers: the JSON Schema (every error at once) and semantic checks (references resolve,
// workflows can finish, ladders are ordered). Never throws: a config is valid or has issues.
import { createAjv, sharedAjv, toIssues } from "#engine/ajv";
import { pointer, type Issue, issue } from "#engine/issues";
import { townshipConfigSchema, type TownshipConfig } from "#schemas/township-config";
import { ACTION_NAMES, RETIRED_SCORE_ACTION } from "#engine/actions";
import { isTimeZone } from "#engine/time";
import { workflowIssues } from "./checks-workflow";
import { scoringIssues } from "./checks-scoring";
import { viewIssues } from "./checks-views";
import { livenessIssues } from "./checks-liveness";
import { maskingIssues } from "./checks-masking";
import { permissionIssues } from "./checks-permissions";
import { assignmentIssues } from "./checks-assignment";

const ajv = sharedAjv();
const validateShape = ajv.compile(townshipConfigSchema);
// Every unit kind the schema knows; posts' `unitKinds` must name one of these.
const UNIT_KINDS: ReadonlySet<string> = new Set(
  townshipConfigSchema.properties.org.properties.units.items.properties.kind.enum,
);
/** Own keys only: a reference to "constructor" must not resolve through Object.prototype. */
const has = (record: object, key: string) => Object.hasOwn(record, key);

/**
 * Warnings (e.g. "no post may manage the config") do not refuse a config: a template may leave
 * such a post to the township that adopts it. They ride along so that screens and the CLI show them.
 */
export type ConfigValidation =
  | { ok: true; config: TownshipConfig; warnings?: Issue[] }
  | { ok: false; issues: Issue[]; warnings?: Issue[] };

export function validateTownshipConfig(raw: unknown): ConfigValidation {
  try {
    if (!validateShape(raw)) return { ok: false, issues: toIssues(validateShape.errors) };
    const config = raw as TownshipConfig;
    const issues = semanticIssues(config);
    // A township nobody can work in (engine/config/checks-permissions.ts), and assignees who could
    // not see their cases (checks-assignment.ts, once the references it follows hold).
    const warnings = [...permissionIssues(config), ...(issues.length ? [] : assignmentIssues(config))];
    const extra = warnings.length ? { warnings } : {};
    return issues.length ? { ok: false, issues, ...extra } : { ok: true, config, ...extra };
  } catch (error) {
    // A validator that throws would take the whole admin screen down; report it as an issue instead.
    return {
      ok: false,
      issues: [
        issue(
          "",
          "internal",
          `校验出错：${(error as Error).message}`,
          `Validation failed: ${(error as Error).message}`,
        ),
      ],
    };
  }
}

function duplicates<T extends { id: string }>(items: readonly T[], base: ReadonlyArray<string>, out: Issue[]) {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id))
      out.push(issue(pointer(...base, i, "id"), "duplicate-id", `编号重复：${item.id}`, `Duplicate id: ${item.id}`));
    seen.add(item.id);
  });
}

/**
 * Throws when a form schema is not a valid schema. The meta-schema check uses the shared instance
 * (checking adds nothing to it); compiling uses a fresh instance per config, as compileConfig does,
 * because Ajv keeps every compiled schema and would reject a form's `$id` the next time it is seen.
 */
function formSchemaChecker() {
  let compiler: ReturnType<typeof createAjv> | undefined;
  return (schema: unknown) => {
    ajv.validateSchema(schema as object, true);
    compiler ??= createAjv({ validateSchema: false });
    compiler.compile(schema as object);
  };
}

function semanticIssues(config: TownshipConfig): Issue[] {
  const out: Issue[] = [];
  const missing = (path: string, what: { zh: string; en: string }, ref: string) =>
    out.push(issue(path, "reference.missing", `${what.zh}“${ref}”不存在`, `${what.en} "${ref}" does not exist`));

  const units = config.org?.units ?? [];
  const posts = config.posts ?? [];
  const grades = config.grades ?? [];
  const categories = config.categories ?? [];
  const forms = config.forms ?? {};
  const workflows = config.workflows ?? {};
  const policies = config.deadlinePolicies ?? {};
  const calendars = config.calendars ?? {};

  if (config.timeZone !== undefined && !isTimeZone(config.timeZone)) {
    out.push(
      issue(
        "/timeZone",
        "time-zone.unknown",
        `未知的时区“${config.timeZone}”，请用 IANA 名称，如 Asia/Shanghai`,
        `Unknown time zone "${config.timeZone}"; use an IANA name such as Asia/Shanghai`,
      ),
    );
  }

  duplicates(units, ["org", "units"], out);
  duplicates(posts, ["posts"], out);
  duplicates(grades, ["grades"], out);
  duplicates(categories, ["categories"], out);

  const unitIds = new Map(units.map((u) => [u.id, u]));
  const postIds = new Set(posts.map((p) => p.id));
  const gradeIds = new Set(grades.map((g) => g.id));
  const categoryIds = new Set(categories.map((c) => c.id));
  const UNIT = { zh: "单位", en: "Unit" };
  const POST = { zh: "岗位", en: "Post" };
  const CATEGORY = { zh: "事件类别", en: "Category" };

  units.forEach((u, i) => {
    if (u.parent && !unitIds.has(u.parent)) missing(pointer("org", "units", i, "parent"), UNIT, u.parent);
    // Walk up: a unit must not be its own ancestor. A loop further up is reported at the units in it.
    const seen = new Set<string>([u.id]);
    let p = u.parent;
    while (p && unitIds.has(p)) {
      if (p === u.id) {
        out.push(
          issue(
            pointer("org", "units", i, "parent"),
            "org.cycle",
            `组织层级出现循环：${u.id}`,
            `Org tree loops at ${u.id}`,
          ),
        );
        break;
      }
      if (seen.has(p)) break;
      seen.add(p);
      p = unitIds.get(p)!.parent;
    }
  });

  posts.forEach((p, i) => {
    if (p.unit && !unitIds.has(p.unit)) missing(pointer("posts", i, "unit"), UNIT, p.unit);
    p.unitKinds?.forEach((kind, k) => {
      if (!UNIT_KINDS.has(kind)) {
        out.push(
          issue(
            pointer("posts", i, "unitKinds", k),
            "reference.missing",
            `没有“${kind}”这种单位类型`,
            `"${kind}" is not a unit kind`,
          ),
        );
      }
    });
  });

  if (config.dutyRota?.post && !postIds.has(config.dutyRota.post))
    missing("/dutyRota/post", POST, config.dutyRota.post);

  grades.forEach((g, i) => {
    if (g.analysis.by === "post") {
      if (!g.analysis.post)
        out.push(
          issue(
            pointer("grades", i, "analysis", "post"),
            "grade.analyst-missing",
            "需指定研判岗位",
            "An analyst post is required",
          ),
        );
      else if (!postIds.has(g.analysis.post)) missing(pointer("grades", i, "analysis", "post"), POST, g.analysis.post);
    }
    if (g.analysis.by === "duty-leader" && !config.dutyRota?.post) {
      out.push(
        issue(
          pointer("grades", i, "analysis", "by"),
          "grade.no-duty-rota",
          "由值班领导研判，但未配置值班轮值",
          "Analysed by the duty leader, but no duty rota is configured",
        ),
      );
    }
  });

  categories.forEach((c, i) => {
    const at = (k: string) => pointer("categories", i, k);
    const platform = unitIds.get(c.platform);
    if (!platform) missing(at("platform"), { zh: "平台", en: "Platform" }, c.platform);
    if (!gradeIds.has(c.defaultGrade)) missing(at("defaultGrade"), { zh: "事件等级", en: "Grade" }, c.defaultGrade);
    if (!has(forms, c.intakeForm)) missing(at("intakeForm"), { zh: "表单", en: "Form" }, c.intakeForm);
    if (!has(workflows, c.workflow)) missing(at("workflow"), { zh: "流程", en: "Workflow" }, c.workflow);
    if (c.deadlinePolicy && !has(policies, c.deadlinePolicy))
      missing(at("deadlinePolicy"), { zh: "时限规则", en: "Deadline policy" }, c.deadlinePolicy);
    if (c.parent && !categoryIds.has(c.parent))
      missing(at("parent"), { zh: "上级类别", en: "Parent category" }, c.parent);
    if (c.routing?.leadUnit && !unitIds.has(c.routing.leadUnit))
      missing(pointer("categories", i, "routing", "leadUnit"), UNIT, c.routing.leadUnit);
  });

  const checkFormSchema = formSchemaChecker();
  for (const [formId, form] of Object.entries(forms)) {
    try {
      checkFormSchema(form.schema);
    } catch (error) {
      out.push(
        issue(
          pointer("forms", formId, "schema"),
          "form.schema-invalid",
          `表单结构无效：${(error as Error).message}`,
          `Invalid form schema: ${(error as Error).message}`,
        ),
      );
    }
    const properties = (form.schema as { properties?: Record<string, unknown> }).properties ?? {};
    if (form.titleField && !has(properties, form.titleField)) {
      out.push(
        issue(
          pointer("forms", formId, "titleField"),
          "reference.missing",
          `标题字段“${form.titleField}”不在表单中`,
          `Title field "${form.titleField}" is not in the form`,
        ),
      );
    }
  }

  for (const [workflowId, workflow] of Object.entries(workflows)) {
    const states = workflow.states;
    const base = (...rest: Array<string | number>) => pointer("workflows", workflowId, ...rest);
    const STATE = { zh: "状态", en: "State" };
    if (!has(states, workflow.initial)) missing(base("initial"), STATE, workflow.initial);
    const transitions = workflow.transitions ?? [];
    duplicates(transitions, ["workflows", workflowId, "transitions"], out);
    transitions.forEach((t, i) => {
      t.from.forEach((f, k) => {
        if (!has(states, f)) missing(base("transitions", i, "from", k), STATE, f);
      });
      if (!has(states, t.to)) missing(base("transitions", i, "to"), STATE, t.to);
      if (t.form && !has(forms, t.form)) missing(base("transitions", i, "form"), { zh: "表单", en: "Form" }, t.form);
      t.by?.forEach((b, k) => {
        if (!b.startsWith("$") && b !== "*" && !postIds.has(b)) missing(base("transitions", i, "by", k), POST, b);
      });
      t.effects?.forEach((e, k) => checkEffect(e.type, base("transitions", i, "effects", k, "type"), out));
    });
    workflow.onIntake?.forEach((e, k) => checkEffect(e.type, base("onIntake", k, "type"), out));
    for (const [stateId, state] of Object.entries(states)) {
      // Only a county's final state hands a result back to the township (ADR 039).
      if (state.returnsTo && (!state.final || config.kind !== "county"))
        out.push(
          issue(
            base("states", stateId, "returnsTo"),
            "workflow.returns-to-misplaced",
            "只有县级配置的终态才能回传乡镇（returnsTo）",
            "Only a final state of a county config may hand a result back to the township (returnsTo)",
          ),
        );
      if (!state.final && !transitions.some((t) => t.from.includes(stateId))) {
        out.push(
          issue(
            base("states", stateId),
            "workflow.dead-end",
            `状态“${stateId}”不是终态，却无法离开`,
            `State "${stateId}" is not final but cannot be left`,
          ),
        );
      }
    }
    const reachable = new Set<string>([workflow.initial]);
    for (let grew = true; grew; ) {
      grew = false;
      for (const t of transitions) {
        if (t.from.some((f) => reachable.has(f)) && !reachable.has(t.to)) {
          reachable.add(t.to);
          grew = true;
        }
      }
    }
    for (const stateId of Object.keys(states)) {
      if (!reachable.has(stateId))
        out.push(
          issue(
            base("states", stateId),
            "workflow.unreachable",
            `状态“${stateId}”无法到达`,
            `State "${stateId}" cannot be reached`,
          ),
        );
    }
  }

  for (const [policyId, policy] of Object.entries(policies)) {
    if (policy.calendar && !has(calendars, policy.calendar))
      missing(pointer("deadlinePolicies", policyId, "calendar"), { zh: "日历", en: "Calendar" }, policy.calendar);
    const reminders = policy.reminders ?? [];
    for (let i = 1; i < reminders.length; i++) {
      if (hours(reminders[i]!.before) >= hours(reminders[i - 1]!.before)) {
        out.push(
          issue(
            pointer("deadlinePolicies", policyId, "reminders", i),
            "deadline.ladder-order",
            "提醒须按离到期时间由远到近排列",
            "Reminders must go from furthest before the due date to nearest",
          ),
        );
      }
    }
    policy.overdueLadder?.forEach((e, k) =>
      checkEffect(e.type, pointer("deadlinePolicies", policyId, "overdueLadder", k, "type"), out),
    );
  }

  (config.permissions ?? []).forEach((rule, i) => {
    rule.posts.forEach((p, k) => {
      if (p !== "*" && !postIds.has(p)) missing(pointer("permissions", i, "posts", k), POST, p);
    });
    rule.categories?.forEach((c, k) => {
      if (!categoryIds.has(c)) missing(pointer("permissions", i, "categories", k), CATEGORY, c);
    });
  });

  out.push(...workflowIssues(config)); // workflows, ladders, rota and modes: engine/config/checks-workflow.ts
  out.push(...scoringIssues(config)); // rules, ratings and appeals: engine/config/checks-scoring.ts
  out.push(...viewIssues(config)); // workbenches and dashboards: engine/config/checks-views.ts
  out.push(...maskingIssues(config)); // phone and ID-number fields: engine/config/checks-masking.ts
  // Someone can move every open state (engine/config/checks-liveness.ts). Judged once the references
  // hold, so a missing post or rota is reported once, where it is fixed, not again at every state.
  if (!out.length) out.push(...livenessIssues(config));
  return out;
}

/** Rough ordering weight of a duration; a working day counts as a calendar day for ordering. */
function hours(d: { amount: number; unit: string }) {
  return d.unit === "hours" ? d.amount : d.amount * 24;
}

function checkEffect(type: string, path: string, out: Issue[]) {
  if (type === RETIRED_SCORE_ACTION) {
    out.push(
      issue(
        path,
        "effect.retired-score",
        "“score”动作已停用：分数只由考评规则（scoring.rules）计算，请删除此动作并用规则表达（例如 on 该操作、条件 input-in）",
        'The "score" action is retired: points come only from scoring rules (scoring.rules); remove it and write a rule instead (e.g. on this transition, with an input-in condition)',
      ),
    );
  } else if (!ACTION_NAMES.has(type)) {
    out.push(
      issue(
        path,
        "effect.unknown",
        `未知的动作类型“${type}”，可用：${[...ACTION_NAMES].join("、")}`,
        `Unknown effect type "${type}"; known: ${[...ACTION_NAMES].join(", ")}`,
      ),
    );
  }
}
