// Every code an engine issue (or a message nested in one) may carry, with the values its text
// takes. The app's catalogs (app/locales/issues/) are typed by this list: a code missing from a
// language fails the type check (ADR 043).
import type { Text } from "./i18n";
import type { FactAttribute, FactName } from "./scoring/facts";
import type { IssueText } from "./issues";

type None = Record<never, never>;
/** What a `reference.missing` names (and how it says so). */
export type RefKind =
  | "unit"
  | "post"
  | "state"
  | "form"
  | "formField"
  | "grade"
  | "category"
  | "parentCategory"
  | "platform"
  | "calendar"
  | "deadlinePolicy"
  | "workflow"
  | "transition"
  | "unitKind"
  | "titleField";
/** The collections engine/limits.ts counts by name; `items` is any other list. */
export type CountedKind =
  | "orgUnits"
  | "posts"
  | "categories"
  | "grades"
  | "forms"
  | "workflows"
  | "states"
  | "transitions"
  | "permissions"
  | "scoringRules"
  | "items";
type Fact = { fact: FactName; factName: Text };

export type IssueCodes = {
  // Pieces nested in other messages.
  duration: { amount: number; unit: "workingDays" | "calendarDays" | "hours" };

  internal: { message: string };
  "duplicate-id": { what: "id" | "locality" | "level"; id: string };
  "reference.missing": { what: RefKind; ref: string };
  "time-zone.unknown": { timeZone: string };
  "org.cycle": { id: string };
  "org.tenant-not-locality": None;
  "grade.analyst-missing": None;
  "grade.no-duty-rota": None;
  "form.schema-invalid": { message: string };
  "form.personal-field-unmasked": { formId: string; key: string; kind: "phone" | "idNumber" };
  "calendar.year-uncovered": { id: string; year: number };
  "extends.cycle": { ref: string };
  "extends.not-found": { ref: string };
  "merge.list-edit-invalid": None;
  "merge.list-replaced": { dropped: number };
  "edit.malformed": None;
  "workflow.returns-to-misplaced": None;
  "workflow.dead-end": { stateId: string };
  "workflow.unreachable": { stateId: string };
  "deadline.ladder-order": { ladder: "reminders" | "overdue" };
  "deadline.kind-unknown": { kind: string };
  "deadline.intake-due-field": None;
  "deadline.intake-not-ended": { transition: string; state: string; kind: string };
  "deadline.intake-unaddressed": { kind: string; policy: string };
  "deadline.repeat-not-last": None;
  "deadline.no-calendar": None;
  "deadline.fractional-days": None;
  "deadline.main-unset": { main: string; kinds: readonly string[] };
  "deadline.no-policy": { categories: readonly string[] };
  "effect.retired-score": None;
  "effect.unknown": { type: string; known: readonly string[] };
  "effect.place": { type: string; place: "transition" | "ladder" | "intake" };
  "effect.needs-form": { use: "assign" } | { use: "field"; field: string };
  "effect.no-recipients": None;
  "effect.intake-posts-only": None;
  "effect.no-principal": None;
  "actor.unknown": { entry: string; known: readonly string[] };
  "actor.not-notifiable": { entry: string };
  "guard.unknown": { type: string; known: readonly string[] };
  "tenant.mismatch": None;
  "version.stale": { what: "case" | "mode" };
  "transition.unknown": { id: string };
  "state.wrong": { state: Text; transition: Text };
  "actor.not-allowed": { transition: Text };
  "guard.grade-in": { grades: readonly string[] };
  "guard.mode": { mode: "wartime" | "peacetime" };
  "guard.input": None;
  "mode.not-allowed": None;
  "mode.unchanged": { mode: "wartime" | "peacetime" };
  "rota.not-leadership": None;
  "rota.duplicate-date": { date: string };
  "rota.duplicate-weekday": { day: number };
  "category.unknown": None;
  "category.from-above": None;
  forbidden: None;
  "limit.depth": { max: number };
  // Refusals of a transition's input (engine/actions/).
  "assignment.lead-missing": None;
  "unit.unknown": { unit: string };
  "deadline.invalid": None;
  "deadline.past": None;
  "grade.unknown": None;
  "limit.bytes": { bytes: string; maxBytes: string };
  "limit.count": { what: CountedKind; entries: number; limit: number };

  "scoring.condition-unknown": { type: string; known: readonly string[] };
  "scoring.condition-not-applicable": { type: string; needs: FactAttribute } & Fact;
  "scoring.range-empty": None;
  "scoring.fact-unknown": { on: string; known: readonly string[] };
  "scoring.no-localities": None;
  "scoring.target-not-applicable": { lacks: "actor" | "assignment"; target: string } & Fact;
  "scoring.per-day-needs-days": Fact;
  "scoring.rating-catch-all": None;
  "scoring.rating-min-missing": None;
  "scoring.rating-order": None;
  "scoring.deadline-kind-unused": { kind: string };
  "scoring.scored-twice": { first: string; second: string; fact: Text; target: string };

  "permissions.nobody-creates": None;
  "permissions.nobody-manages-config": None;
  "permissions.nobody-reads-category": { name: Text };

  "release.not-a-template": None;
  "release.version-not-newer": { newest: string };
  "release.notes-required": None;

  "upgrade.not-an-object": None;
  "upgrade.base-mismatch": { base: "none" | "some"; extends: string; from: string };
  "upgrade.not-a-template": { ref: string };
  "upgrade.resolution-unused": { path: string };
  "upgrade.reference-removed": { found: IssueText; to: string };
  "upgrade.both-changed": { path: string };
  "upgrade.both-added": { path: string };
  "upgrade.removed-by-template": { path: string };
  "upgrade.removed-by-township": { path: string };

  "migrate.state-unknown": { state: string };
  "migrate.state-final": { name: Text };
  "migrate.state-unreachable": { name: Text };
  "migrate.state-unmapped": { at: "mapping"; name: Text; cases: number } | { at: "case"; name: Text };
  "migrate.policy-missing": { categoryId: string; toKind: string };
  "migrate.version-missing": { configVersion: number };
  "migrate.workflow-missing": { workflowId: string };
  "migrate.category-missing": { name: Text };
  "migrate.grade-missing": { name: Text };
  "migrate.form-missing": { name: Text };
  "migrate.unit-missing": { name: Text };
  "migrate.deadline-kind-gone": { kind: string };
  "migrate.deadline-paused": None;
  "migrate.deadline-date-chosen": None;
  "migrate.deadline-overdue": None;
  "migrate.deadline-same-policy": None;
  "migrate.deadline-renamed": { to: IssueText };
  "migrate.deadline-changed": { from: IssueText; to: IssueText };
  "migrate.deadline-steps-changed": None;

  "designer.name-missing": None;
  "designer.no-fields": None;
  "designer.key-invalid": { n: number; key: string };
  "designer.key-duplicate": { n: number; key: string; first: number };
  "designer.title-missing": { n: number };
  "designer.no-options": { n: number };
  "designer.option-empty": { n: number; k: number };
  "designer.option-duplicate": { n: number; value: string };
  "designer.title-field-missing": { titleField: string };

  "onboarding.template-missing": { template: string };
  "onboarding.platform-unknown": { id: string };
  "onboarding.platform-taken": { id: string };
  "onboarding.no-admin-post": None;
  "onboarding.remap-unknown": { ref: string };
  "onboarding.no-categories": None;
  "onboarding.no-admin-unit": None;
  "onboarding.unit-fixed": { post: Text; fixed: Text | string; unit: Text };
  "onboarding.unit-kind": { post: Text; kinds: readonly string[]; unit: Text };
  "onboarding.login-duplicate": { login: string };
};
export type IssueCode = keyof IssueCodes;
