// Two layers: the JSON Schema (every error at once) and semantic checks (references resolve,
// workflows can finish, ladders are ordered). Never throws: a config is valid or has issues.
import { createAjv, sharedAjv, toIssues } from "#engine/ajv";
import { pointer, type Issue, issue, type RefKind } from "#engine/issues";
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
      issues: [issue("", "internal", { message: (error as Error).message })],
    };
  }
}

function duplicates<T extends { id: string }>(items: readonly T[], base: ReadonlyArray<string>, out: Issue[]) {
  const seen = new Set<string>();
  items.forEach((item, i) => {
    if (seen.has(item.id)) out.push(issue(pointer(...base, i, "id"), "duplicate-id", { what: "id", id: item.id }));
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
  const missing = (path: string, what: RefKind, ref: string) =>
    out.push(issue(path, "reference.missing", { what, ref }));

  const units = config.org?.units ?? [];
  const posts = config.posts ?? [];
  const grades = config.grades ?? [];
  const categories = config.categories ?? [];
  const forms = config.forms ?? {};
  const workflows = config.workflows ?? {};
  const policies = config.deadlinePolicies ?? {};
  const calendars = config.calendars ?? {};

  if (config.timeZone !== undefined && !isTimeZone(config.timeZone)) {
    out.push(issue("/timeZone", "time-zone.unknown", { timeZone: config.timeZone }));
  }

  duplicates(units, ["org", "units"], out);
  duplicates(posts, ["posts"], out);
  duplicates(grades, ["grades"], out);
  duplicates(categories, ["categories"], out);

  const unitIds = new Map(units.map((u) => [u.id, u]));
  const postIds = new Set(posts.map((p) => p.id));
  const gradeIds = new Set(grades.map((g) => g.id));
  const categoryIds = new Set(categories.map((c) => c.id));
  const UNIT = "unit";
  const POST = "post";
  const CATEGORY = "category";

  units.forEach((u, i) => {
    if (u.parent && !unitIds.has(u.parent)) missing(pointer("org", "units", i, "parent"), UNIT, u.parent);
    // Walk up: a unit must not be its own ancestor. A loop further up is reported at the units in it.
    const seen = new Set<string>([u.id]);
    let p = u.parent;
    while (p && unitIds.has(p)) {
      if (p === u.id) {
        out.push(issue(pointer("org", "units", i, "parent"), "org.cycle", { id: u.id }));
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
        out.push(issue(pointer("posts", i, "unitKinds", k), "reference.missing", { what: "unitKind", ref: kind }));
      }
    });
  });

  if (config.dutyRota?.post && !postIds.has(config.dutyRota.post))
    missing("/dutyRota/post", POST, config.dutyRota.post);

  grades.forEach((g, i) => {
    if (g.analysis.by === "post") {
      if (!g.analysis.post) out.push(issue(pointer("grades", i, "analysis", "post"), "grade.analyst-missing"));
      else if (!postIds.has(g.analysis.post)) missing(pointer("grades", i, "analysis", "post"), POST, g.analysis.post);
    }
    if (g.analysis.by === "duty-leader" && !config.dutyRota?.post) {
      out.push(issue(pointer("grades", i, "analysis", "by"), "grade.no-duty-rota"));
    }
  });

  categories.forEach((c, i) => {
    const at = (k: string) => pointer("categories", i, k);
    const platform = unitIds.get(c.platform);
    if (!platform) missing(at("platform"), "platform", c.platform);
    if (!gradeIds.has(c.defaultGrade)) missing(at("defaultGrade"), "grade", c.defaultGrade);
    if (!has(forms, c.intakeForm)) missing(at("intakeForm"), "form", c.intakeForm);
    if (!has(workflows, c.workflow)) missing(at("workflow"), "workflow", c.workflow);
    if (c.deadlinePolicy && !has(policies, c.deadlinePolicy))
      missing(at("deadlinePolicy"), "deadlinePolicy", c.deadlinePolicy);
    if (c.parent && !categoryIds.has(c.parent)) missing(at("parent"), "parentCategory", c.parent);
    if (c.routing?.leadUnit && !unitIds.has(c.routing.leadUnit))
      missing(pointer("categories", i, "routing", "leadUnit"), UNIT, c.routing.leadUnit);
  });

  const checkFormSchema = formSchemaChecker();
  for (const [formId, form] of Object.entries(forms)) {
    try {
      checkFormSchema(form.schema);
    } catch (error) {
      out.push(issue(pointer("forms", formId, "schema"), "form.schema-invalid", { message: (error as Error).message }));
    }
    const properties = (form.schema as { properties?: Record<string, unknown> }).properties ?? {};
    if (form.titleField && !has(properties, form.titleField)) {
      out.push(
        issue(pointer("forms", formId, "titleField"), "reference.missing", {
          what: "titleField",
          ref: form.titleField,
        }),
      );
    }
  }

  for (const [workflowId, workflow] of Object.entries(workflows)) {
    const states = workflow.states;
    const base = (...rest: Array<string | number>) => pointer("workflows", workflowId, ...rest);
    const STATE = "state";
    if (!has(states, workflow.initial)) missing(base("initial"), STATE, workflow.initial);
    const transitions = workflow.transitions ?? [];
    duplicates(transitions, ["workflows", workflowId, "transitions"], out);
    transitions.forEach((t, i) => {
      t.from.forEach((f, k) => {
        if (!has(states, f)) missing(base("transitions", i, "from", k), STATE, f);
      });
      if (!has(states, t.to)) missing(base("transitions", i, "to"), STATE, t.to);
      if (t.form && !has(forms, t.form)) missing(base("transitions", i, "form"), "form", t.form);
      t.by?.forEach((b, k) => {
        if (!b.startsWith("$") && b !== "*" && !postIds.has(b)) missing(base("transitions", i, "by", k), POST, b);
      });
      t.effects?.forEach((e, k) => checkEffect(e.type, base("transitions", i, "effects", k, "type"), out));
    });
    workflow.onIntake?.forEach((e, k) => checkEffect(e.type, base("onIntake", k, "type"), out));
    for (const [stateId, state] of Object.entries(states)) {
      // Only a county's final state hands a result back to the township (ADR 039).
      if (state.returnsTo && (!state.final || config.kind !== "county"))
        out.push(issue(base("states", stateId, "returnsTo"), "workflow.returns-to-misplaced"));
      if (!state.final && !transitions.some((t) => t.from.includes(stateId))) {
        out.push(issue(base("states", stateId), "workflow.dead-end", { stateId }));
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
      if (!reachable.has(stateId)) out.push(issue(base("states", stateId), "workflow.unreachable", { stateId }));
    }
  }

  for (const [policyId, policy] of Object.entries(policies)) {
    if (policy.calendar && !has(calendars, policy.calendar))
      missing(pointer("deadlinePolicies", policyId, "calendar"), "calendar", policy.calendar);
    const reminders = policy.reminders ?? [];
    for (let i = 1; i < reminders.length; i++) {
      if (hours(reminders[i]!.before) >= hours(reminders[i - 1]!.before)) {
        out.push(
          issue(pointer("deadlinePolicies", policyId, "reminders", i), "deadline.ladder-order", {
            ladder: "reminders",
          }),
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
    out.push(issue(path, "effect.retired-score"));
  } else if (!ACTION_NAMES.has(type)) {
    out.push(issue(path, "effect.unknown", { type, known: [...ACTION_NAMES] }));
  }
}
