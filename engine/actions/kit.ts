// What every action module builds on: the shape of one action (engine/actions/index.ts lists them),
// the run it works on in decide(), the validator's helpers its checks use, and shared params.
import type { JSONSchema } from "json-schema-to-ts";
import { hasRecipients, resolveRecipients, type Recipients } from "#engine/actors";
import { endOfLocalDay } from "#engine/calendar";
import type { ActorContext, CaseState, Deadline } from "#engine/case-state";
import type { Category, CompiledConfig, FormDefinition } from "#engine/config/compile";
import type { Text } from "#engine/i18n";
import { type Issue, type IssueCode, issue, type ParamsOf, type RefKind } from "#engine/issues";
import type { Outcome, Urgency } from "#engine/outcomes";
import type { FactName } from "#engine/scoring";
import type { TownshipConfig } from "#schemas/township-config";
import { deadlineMet } from "#engine/supervision";

/** Where a config action may appear: a transition's `effects`, an overdue ladder step, a workflow's `onIntake`. */
export type Place = "transition" | "ladder" | "intake";
type Path = Array<string | number>;

/** The state decide() builds up action by action (later actions see earlier ones' changes). */
export type Run = {
  config: CompiledConfig;
  draft: CaseState;
  actor: ActorContext;
  now: Date;
  input: Record<string, unknown>;
  /** The decision's outcomes so far, for the server to apply. */
  out: Outcome[];
  urgency: Urgency;
};

/** Where in the config an action runs. */
export type Site = {
  /** Dedupe key of this action: derived from case, version or deadline, and position. */
  key: string;
  /** Notification kind when the params name none. */
  kind: string;
  place: Place;
  /** The deadline whose ladder fired this step. */
  deadline?: Deadline;
  label?: Text;
};

/** Helpers the validator (engine/config/checks-workflow.ts) hands to an action's semantic checks; each reports into the same issue list. */
export type CheckKit = {
  config: TownshipConfig;
  postIds: ReadonlySet<string>;
  report: (issue: Issue) => void;
  issue: typeof issue;
  /** `what` named `ref`, which does not exist. */
  missing: (path: Path, what: RefKind, ref: string) => void;
  /** Posts and special actors; `notifiable` refuses those that name nobody in particular. */
  checkActors: (entries: readonly string[] | undefined, path: Path, notifiable: boolean) => void;
  /** A form field the action reads: the transition needs a form, and the form that field. */
  checkField: (field: string | undefined, path: Path) => void;
  /** A deadline kind named explicitly must be one some set-deadline sets. */
  kindRef: (kind: unknown, path: Path) => void;
  /** Policies the workflow's deadlines may fall back on are missing for these categories. */
  categoriesWithoutPolicy: () => string[];
  hasForm: boolean;
};

export type CheckContext = { path: Path; place: Place };

/** One config action: everything about it lives in its module. `P`: its params, as its schema says. */
export type ActionDef<P = never> = {
  /** JSON Schema of its params (checked at validation, so `run` may trust them). */
  params: JSONSchema;
  places: readonly Place[];
  /** Semantic checks beyond the params schema: references to posts, fields, deadline kinds. */
  check?: (kit: CheckKit, params: P, at: CheckContext) => void;
  /** Pure behaviour: changes `run.draft`, pushes outcomes; returns issues to refuse the input. */
  run: (run: Run, params: P, site: Site) => Issue[] | void;
  /** At intake (places include "intake"): pushes the outcomes for a case just reported; its draft is the new case (version 1, no assignment). */
  intake?: (run: Run, params: P, site: IntakeSite) => void;
  /** The deadline kind it starts, if it starts one (the validator checks names of kinds against these). */
  startsDeadline?: (params: P, mainDeadline: string) => string;
  /** Whether it ends a running clock of `kind` (clears or replaces it), so a transition leaving intake can stop the intake clock. */
  endsDeadline?: (params: P, kind: string, mainDeadline: string) => boolean;
  /** As a ladder step: whom it addresses (with its defaults), so the validator can tell when nobody would be. */
  addressees?: (params: P) => readonly string[];
  /** The policy id it names for the deadline it starts; undefined means the category's policy. */
  deadlinePolicy?: (params: P) => string | undefined;
  /** The fact (engine/scoring/facts.ts) it yields when it runs, for the scoring rules. */
  fact?: FactName;
  /** The units it may assign a case to, for the warning that assignees can read what they get. */
  assigns?: (params: P, at: AssignSite) => AssignTarget[];
};

/** Where an assigning action runs: the transition's form and the categories whose workflow it is in. */
type AssignSite = {
  config: TownshipConfig;
  form: FormDefinition | undefined;
  categories: readonly Category[];
};

/** A unit a case of these categories may be assigned to, as lead or assisting unit. */
export type AssignTarget = { as: "lead" | "assist"; unit: string; categories: readonly string[] };

/** Where an intake action runs: the new case, the notification kind, and the dedupe key of this position. */
export type IntakeSite = {
  caseId: string;
  kind: string;
  key: string;
  /** Name the case on the outcome (appeals do). */
  withCaseId: boolean;
};

/** `P` is `FromSchema<typeof params>`: the behaviour and checks get the params' types from the schema. */
export function defineAction<P>(params: JSONSchema, def: Omit<ActionDef<P>, "params">): ActionDef<P> {
  return { params, ...def };
}

// ---------------------------------------------------------------------------------------------
// Params shared by several actions

export const str = { type: "string", minLength: 1 } as const;
export const actors = { type: "array", items: str } as const;
export const durationParam = {
  type: "object",
  required: ["amount", "unit"],
  additionalProperties: false,
  properties: {
    amount: { type: "number", exclusiveMinimum: 0 },
    unit: { enum: ["working-days", "calendar-days", "hours"] },
  },
} as const;
export const kindParam = { type: "object", additionalProperties: false, properties: { kind: str } } as const;

// ---------------------------------------------------------------------------------------------
// Behaviour shared by several actions

export const fieldIssue = <K extends IssueCode>(field: string, code: K, ...params: ParamsOf<K>): Issue =>
  issue(["input", field], code, ...params);

export function recipients(run: Run, entries: readonly string[]): Recipients {
  return resolveRecipients(run.config, run.draft, run.draft.mode, entries, run.now);
}

export function notify(
  run: Run,
  entries: readonly string[],
  kind: string,
  dedupeKey: string,
  data?: Record<string, unknown>,
  urgency?: Urgency,
) {
  const to = recipients(run, entries);
  if (!hasRecipients(to)) return;
  run.out.push({
    type: "notify",
    ...to,
    kind,
    urgency: urgency ?? run.urgency,
    caseId: run.draft.id,
    ...(data ? { data } : {}),
    dedupeKey,
  });
}

export function clearDeadline(
  run: Run,
  deadline: Deadline,
  reason: "done" | "replaced" | "closed" | "escalated" | "returned",
) {
  run.draft.deadlines = run.draft.deadlines.filter((d) => d.id !== deadline.id);
  run.out.push({
    type: "deadline-cleared",
    caseId: run.draft.id,
    deadlineId: deadline.id,
    kind: deadline.kind,
    at: run.now.toISOString(),
    met: deadlineMet(deadline, run.now),
    reason,
  });
}

export function policyIdFor(run: Run, explicit: string | undefined): string {
  const policyId = explicit ?? run.config.categories.get(run.draft.categoryId)?.deadlinePolicy;
  if (!policyId) throw new Error(`No deadline policy for case ${run.draft.id} (category ${run.draft.categoryId})`);
  return policyId;
}

export function stringField(input: Record<string, unknown>, field: string): string | undefined {
  const v = input[field];
  return typeof v === "string" && v.trim() ? v.trim() : undefined;
}

/** A due date from a form: a date (due at the end of that day, township time) or a date-time. */
export function parseDue(value: string, zone: string): Date | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    try {
      return endOfLocalDay(zone, value);
    } catch {
      return undefined;
    }
  }
  const d = new Date(value);
  return Number.isFinite(d.getTime()) && /^\d{4}-\d{2}-\d{2}T/.test(value) ? d : undefined;
}
