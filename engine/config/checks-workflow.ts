// Semantic checks for what workflows, deadline policies, the duty rota and modes name: special
// actors, guards, actions (each checked by its module, engine/actions/) and their params, ladders, rota posts, mode overrides. Complements
// validate.ts (which checks states, forms, posts in `by` and effect names) without repeating it:
// every problem is reported once, at the place an admin would fix it.
import { sharedAjv, toIssues, type ValidateFunction } from "#engine/ajv";
import {
  ACTIONS,
  deadlineKindsStarted,
  deadlinePoliciesStarted,
  endsDeadline,
  isActionName,
  ladderAddressees,
} from "#engine/actions";
import type { CheckContext, CheckKit } from "#engine/actions/kit";
import { GUARD_PARAMS, isGuardName, NOT_NOTIFIABLE, SPECIAL_ACTORS } from "#engine/guards";
import { pointer, type Issue, issue, type RefKind } from "#engine/issues";
import type { TownshipConfig } from "#schemas/township-config";
import { configDefaults } from "./defaults";

type Path = Array<string | number>;
type Spec = { type: string; params?: Record<string, unknown> };
type Duration = { amount: number; unit: string };

const ajv = sharedAjv();
const actionValidators = new Map<string, ValidateFunction>(
  Object.entries(ACTIONS).map(([name, action]) => [name, ajv.compile(action.params)]),
);
const guardValidators = new Map<string, ValidateFunction>(
  Object.entries(GUARD_PARAMS).map(([name, schema]) => [name, ajv.compile(schema)]),
);

const has = (record: object | undefined, key: string) => record !== undefined && Object.hasOwn(record, key);

/** Rough ordering weight of a duration, as validate.ts orders reminders. */
const hours = (d: Duration) => (d.unit === "hours" ? d.amount : d.amount * 24);

export function workflowIssues(config: TownshipConfig): Issue[] {
  const out: Issue[] = [];
  const postIds = new Set((config.posts ?? []).map((p) => p.id));
  const unitIds = new Set((config.org?.units ?? []).map((u) => u.id));
  const gradeIds = new Set((config.grades ?? []).map((g) => g.id));
  const categoryIds = new Set((config.categories ?? []).map((c) => c.id));
  const forms = config.forms ?? {};
  const policies = config.deadlinePolicies ?? {};
  const kinds = deadlineKinds(config);

  const missing = (path: Path, what: RefKind, ref: string) => {
    out.push(issue(path, "reference.missing", { what, ref }));
  };
  /** A deadline kind named explicitly must be one some set-deadline sets. */
  const kindRef = (kind: unknown, path: Path) => {
    if (typeof kind === "string" && !kinds.has(kind)) out.push(issue(path, "deadline.kind-unknown", { kind }));
  };
  const POST = "post";
  const FIELD = "formField";

  const unknownActor = (entry: string, path: Path) =>
    out.push(issue(path, "actor.unknown", { entry, known: [...SPECIAL_ACTORS] }));

  /** Posts, `*` and special actors; `notifiable` rejects the ones that name nobody in particular. */
  const checkActors = (entries: readonly string[] | undefined, path: Path, notifiable: boolean) => {
    entries?.forEach((entry, k) => {
      if (entry.startsWith("$")) {
        if (!SPECIAL_ACTORS.has(entry)) {
          unknownActor(entry, [...path, k]);
        } else if (notifiable && NOT_NOTIFIABLE.has(entry)) {
          out.push(issue([...path, k], "actor.not-notifiable", { entry }));
        }
      } else if (entry === "*") {
        if (notifiable) out.push(issue([...path, k], "actor.not-notifiable", { entry: "*" }));
      } else if (!postIds.has(entry)) {
        missing([...path, k], POST, entry);
      }
    });
  };

  /** The form's top-level fields, or undefined when there is no (known) form to check against. */
  const formFields = (formId: string | undefined): Set<string> | undefined => {
    if (!formId || !has(forms, formId)) return undefined;
    const properties = (forms[formId]!.schema as { properties?: Record<string, unknown> }).properties ?? {};
    return new Set(Object.keys(properties));
  };

  const checkField = (field: string | undefined, fields: Set<string> | undefined, hasForm: boolean, path: Path) => {
    if (field === undefined) return;
    if (!hasForm) out.push(issue(path, "effect.needs-form", { use: "field", field }));
    else if (fields && !fields.has(field)) missing(path, FIELD, field);
  };

  const checkParams = (validators: Map<string, ValidateFunction>, spec: Spec, path: Path): boolean => {
    const validate = validators.get(spec.type)!;
    if (validate(spec.params ?? {})) return true;
    for (const i of toIssues(validate.errors))
      out.push({ ...i, path: pointer(...path, "params") + i.path, code: `params.${i.code.replace(/^schema\./, "")}` });
    return false;
  };

  const checkGuard = (spec: Spec, path: Path, formId: string | undefined, hasForm: boolean) => {
    if (!isGuardName(spec.type)) {
      out.push(issue([...path, "type"], "guard.unknown", { type: spec.type, known: [...guardValidators.keys()] }));
      return;
    }
    if (!checkParams(guardValidators, spec, path)) return;
    const p = (spec.params ?? {}) as Record<string, unknown>;
    switch (spec.type) {
      case "grade-in":
        (p.grades as string[]).forEach(
          (g, k) => gradeIds.has(g) || missing([...path, "params", "grades", k], "grade", g),
        );
        break;
      case "category-in":
        (p.categories as string[]).forEach(
          (c, k) => categoryIds.has(c) || missing([...path, "params", "categories", k], "category", c),
        );
        break;
      case "platform-in":
        (p.platforms as string[]).forEach(
          (u, k) => unitIds.has(u) || missing([...path, "params", "platforms", k], "platform", u),
        );
        break;
      case "input-in":
        checkField(p.field as string, formFields(formId), hasForm, [...path, "params", "field"]);
        break;
      case "deadline-met":
      case "deadline-overdue":
        kindRef(p.kind, [...path, "params", "kind"]);
        break;
      case "all":
      case "any":
        (p.guards as Spec[]).forEach((g, k) => checkGuard(g, [...path, "params", "guards", k], formId, hasForm));
        break;
      case "not":
        checkGuard(p.guard as Spec, [...path, "params", "guard"], formId, hasForm);
        break;
    }
  };

  /** Policies a workflow's deadlines may fall back on: its categories' own. */
  const categoriesWithoutPolicy = (workflowId: string) =>
    (config.categories ?? []).filter((c) => c.workflow === workflowId && !c.deadlinePolicy).map((c) => c.id);

  const checkEffect = (
    spec: Spec,
    path: Path,
    place: "transition" | "ladder" | "intake",
    ctx: { workflowId?: string; formId?: string; hasForm: boolean },
  ) => {
    if (!isActionName(spec.type)) return; // validate.ts reports unknown names
    const action = ACTIONS[spec.type];
    if (!(action.places as readonly string[]).includes(place)) {
      out.push(issue([...path, "type"], "effect.place", { type: spec.type, place }));
      return;
    }
    if (!checkParams(actionValidators, spec, path)) return;
    if (!("check" in action) || !action.check) return;
    const fields = formFields(ctx.formId);
    const kit: CheckKit = {
      config,
      postIds,
      report: (i) => out.push(i),
      issue,
      missing,
      checkActors,
      checkField: (field, at) => checkField(field, fields, ctx.hasForm, at),
      kindRef,
      categoriesWithoutPolicy: () => (ctx.workflowId ? categoriesWithoutPolicy(ctx.workflowId) : []),
      hasForm: ctx.hasForm,
    };
    (action.check as (kit: CheckKit, params: never, at: CheckContext) => void)(kit, (spec.params ?? {}) as never, {
      path,
      place,
    });
  };

  for (const [workflowId, workflow] of Object.entries(config.workflows ?? {})) {
    workflow.onIntake?.forEach((e, k) =>
      checkEffect(e, ["workflows", workflowId, "onIntake", k], "intake", { workflowId, hasForm: false }),
    );
    (workflow.transitions ?? []).forEach((t, i) => {
      const at: Path = ["workflows", workflowId, "transitions", i];
      // Posts in `by` are validate.ts's; special actors are checked here.
      t.by?.forEach((entry, k) => {
        if (entry.startsWith("$") && !SPECIAL_ACTORS.has(entry)) unknownActor(entry, [...at, "by", k]);
      });
      const ctx = { workflowId, ...(t.form ? { formId: t.form } : {}), hasForm: t.form !== undefined };
      if (t.guard) checkGuard(t.guard, [...at, "guard"], t.form, ctx.hasForm);
      t.effects?.forEach((e, k) => {
        checkEffect(e, [...at, "effects", k], "transition", ctx);
        if (e.when) checkGuard(e.when, [...at, "effects", k, "when"], t.form, ctx.hasForm);
      });
    });
  }

  for (const [policyId, policy] of Object.entries(policies)) {
    const at: Path = ["deadlinePolicies", policyId];
    const wartime = policy.wartimeReminders ?? [];
    for (let i = 1; i < wartime.length; i++) {
      if (hours(wartime[i]!.before) >= hours(wartime[i - 1]!.before)) {
        out.push(issue([...at, "wartimeReminders", i], "deadline.ladder-order", { ladder: "reminders" }));
      }
    }
    for (const list of ["reminders", "wartimeReminders"] as const)
      policy[list]?.forEach((r, i) => checkActors(r.notify, [...at, list, i, "notify"], true));
    const ladder = policy.overdueLadder ?? [];
    let previous = 0;
    ladder.forEach((step, k) => {
      checkEffect(step, [...at, "overdueLadder", k], "ladder", { hasForm: false });
      const after = step.after ? hours(step.after) : 0;
      if (k > 0 && after < previous) {
        out.push(issue([...at, "overdueLadder", k], "deadline.ladder-order", { ladder: "overdue" }));
      }
      previous = Math.max(previous, after);
      if (step.repeat && k !== ladder.length - 1) {
        out.push(issue([...at, "overdueLadder", k, "repeat"], "deadline.repeat-not-last"));
      }
    });
    const durations: Duration[] = [
      policy.handle,
      ...(policy.wartime ? [policy.wartime] : []),
      ...(policy.feedbackWindow ? [policy.feedbackWindow] : []),
      ...(policy.reminders ?? []).map((r) => r.before),
      ...(policy.wartimeReminders ?? []).map((r) => r.before),
      ...ladder.flatMap((s) => [...(s.after ? [s.after] : []), ...(s.repeat ? [s.repeat] : [])]),
    ];
    if (!policy.calendar && durations.some((d) => d.unit === "working-days")) {
      out.push(issue(at, "deadline.no-calendar"));
    }
    if (durations.some((d) => d.unit !== "hours" && !Number.isInteger(d.amount))) {
      out.push(issue(at, "deadline.fractional-days"));
    }
  }

  const main = configDefaults(config).mainDeadline;
  out.push(...intakeDeadlineIssues(config, main));
  if (kinds.size && !kinds.has(main)) {
    out.push(issue(["mainDeadline"], "deadline.main-unset", { main, kinds: [...kinds] }));
  }

  const rota = config.dutyRota;
  if (rota?.post && postIds.has(rota.post)) {
    const post = config.posts!.find((p) => p.id === rota.post)!;
    if (post.kind !== "leadership") out.push(issue(["dutyRota", "post"], "rota.not-leadership"));
  }
  const seenDates = new Set<string>();
  rota?.schedule?.dates?.forEach((d, i) => {
    if (seenDates.has(d.date))
      out.push(issue(["dutyRota", "schedule", "dates", i, "date"], "rota.duplicate-date", { date: d.date }));
    seenDates.add(d.date);
  });

  const modes = config.modes;
  checkActors(modes?.switchBy, ["modes", "switchBy"], false);
  for (const mode of ["peacetime", "wartime"] as const) {
    const spec = modes?.[mode];
    if (!spec) continue;
    checkActors(spec.notifyOnSwitch, ["modes", mode, "notifyOnSwitch"], true);
    for (const [gradeId, override] of Object.entries(spec.grades ?? {})) {
      const at: Path = ["modes", mode, "grades", gradeId];
      if (!gradeIds.has(gradeId)) missing(at, "grade", gradeId);
      const analysis = override.analysis;
      if (analysis.by === "post") {
        if (!analysis.post) out.push(issue([...at, "analysis", "by"], "grade.analyst-missing"));
        else if (!postIds.has(analysis.post)) missing([...at, "analysis", "post"], POST, analysis.post);
      }
      if (analysis.by === "duty-leader" && !rota?.post) {
        out.push(issue([...at, "analysis", "by"], "grade.no-duty-rota"));
      }
    }
  }

  (config.categories ?? []).forEach((c, i) => {
    c.routing?.assistUnits?.forEach(
      (u, k) => unitIds.has(u) || missing(["categories", i, "routing", "assistUnits", k], "unit", u),
    );
  });

  return out;
}

/** The deadline kinds the workflows' intakes and transitions start (engine/actions/: `startsDeadline`). */
export function deadlineKinds(config: TownshipConfig): Set<string> {
  const main = configDefaults(config).mainDeadline;
  const kinds = new Set<string>();
  for (const workflow of Object.values(config.workflows ?? {})) {
    for (const kind of deadlineKindsStarted(workflow.onIntake, main)) kinds.add(kind);
    for (const t of workflow.transitions ?? []) {
      for (const kind of deadlineKindsStarted(t.effects, main)) kinds.add(kind);
    }
  }
  return kinds;
}

/** Actors that name the case's assignees: before dispatch there are none. */
const ASSIGNEE_ACTORS: ReadonlySet<string> = new Set(["$assignee", "$lead-assignee"]);
const toAssigneesOnly = (entries: readonly string[]) =>
  entries.length > 0 && entries.every((e) => ASSIGNEE_ACTORS.has(e));

/**
 * A clock started at intake (受理时限) runs while the case waits in its first state: every
 * transition out of that state must end it (or triage would stay supervised), and its policy's
 * reminders and overdue steps must address someone other than the assignees, who do not exist yet.
 */
function intakeDeadlineIssues(config: TownshipConfig, main: string): Issue[] {
  const out: Issue[] = [];
  const policies = config.deadlinePolicies ?? {};
  const flagged = new Set<string>();
  for (const [workflowId, workflow] of Object.entries(config.workflows ?? {})) {
    const started = deadlinePoliciesStarted(workflow.onIntake, main);
    for (const { kind, policy } of started) {
      (workflow.transitions ?? []).forEach((t, i) => {
        if (!t.from.includes(workflow.initial) || t.to === workflow.initial || endsDeadline(t.effects, kind, main))
          return;
        out.push(
          issue(["workflows", workflowId, "transitions", i], "deadline.intake-not-ended", {
            transition: t.id,
            state: workflow.initial,
            kind,
          }),
        );
      });
      const policyIds = policy
        ? [policy]
        : (config.categories ?? []).filter((c) => c.workflow === workflowId).flatMap((c) => c.deadlinePolicy ?? []);
      for (const policyId of new Set(policyIds)) {
        const p = policies[policyId];
        if (!p) continue;
        const unaddressed = (at: Path) => {
          const key = pointer(...at);
          if (flagged.has(key)) return;
          flagged.add(key);
          out.push(issue(at, "deadline.intake-unaddressed", { kind, policy: policyId }));
        };
        for (const list of ["reminders", "wartimeReminders"] as const)
          p[list]?.forEach((r, k) => {
            if (toAssigneesOnly(r.notify ?? ["$lead-assignee"])) unaddressed(["deadlinePolicies", policyId, list, k]);
          });
        p.overdueLadder?.forEach((step, k) => {
          if (toAssigneesOnly(ladderAddressees(step))) unaddressed(["deadlinePolicies", policyId, "overdueLadder", k]);
        });
      }
    }
  }
  return out;
}
