// Engine issues in English: ICU MessageFormat with plurals where a count appears.
import type { IssueCatalog } from "./catalog";

export const en: IssueCatalog = {
  duration:
    "{unit, select, workingDays {{amount, plural, one {# working day} other {# working days}}} calendarDays {{amount, plural, one {# calendar day} other {# calendar days}}} other {{amount, plural, one {# hour} other {# hours}}}}",

  internal: "Validation failed: {message}",
  "duplicate-id":
    '{what, select, locality {Township "{id}" already has a locality unit} level {Duplicate level: {id}} other {Duplicate id: {id}}}',
  "reference.missing":
    '{what, select, unitKind {"{ref}" is not a unit kind} titleField {Title field "{ref}" is not in the form} other {{what, select, unit {Unit} post {Post} state {State} form {Form} formField {Form field} grade {Grade} category {Category} parentCategory {Parent category} platform {Platform} calendar {Calendar} deadlinePolicy {Deadline policy} workflow {Workflow} transition {Transition} other {{what}}} "{ref}" does not exist}}',
  "time-zone.unknown": 'Unknown time zone "{timeZone}"; use an IANA name such as Asia/Shanghai',
  "org.cycle": "Org tree loops at {id}",
  "org.tenant-not-locality": "Only a locality unit names a township",
  "grade.analyst-missing": "An analyst post is required",
  "grade.no-duty-rota": "Analysed by the duty leader, but no duty rota is configured",
  "form.schema-invalid": "Invalid form schema: {message}",
  "form.personal-field-unmasked":
    'Field "{key}" of form "{formId}" holds a {kind, select, phone {phone number} other {ID number}} and must be masked: add it to maskedFields',
  "calendar.year-uncovered": 'Calendar "{id}" has no holiday data for {year}',
  "extends.cycle": "Template chain loops at {ref}",
  "extends.not-found": "No published template version {ref}",
  "merge.list-edit-invalid":
    "$append, $prepend, $remove and $replace apply to a list of the template, and each takes a list",
  "merge.list-replaced":
    "A bare list replaces the template's whole list (dropping {dropped} of its items). Use '{\"$append\": [...]}' to add, '{\"$remove\": [...]}' to remove, or '{\"$replace\": [...]}' when you mean to replace it",
  "edit.malformed": "The form design is not readable",
  "workflow.returns-to-misplaced":
    "Only a final state of a county config may hand a result back to the township (returnsTo)",
  "workflow.dead-end": 'State "{stateId}" is not final but cannot be left',
  "workflow.unreachable": 'State "{stateId}" cannot be reached',
  "deadline.ladder-order":
    "{ladder, select, overdue {Overdue steps must go from soonest after the due date to latest} other {Reminders must go from furthest before the due date to nearest}}",
  "deadline.kind-unknown": 'No workflow sets a deadline of kind "{kind}"',
  "deadline.intake-due-field":
    "An intake deadline runs by its policy and cannot read a date from a form: remove `dueField`",
  "deadline.intake-not-ended":
    'Transition "{transition}" leaves the intake state "{state}" without ending the intake deadline "{kind}": add clear-deadline (kind "{kind}"), or the case stays supervised for late intake after it moves on',
  "deadline.intake-unaddressed":
    'The intake deadline "{kind}" runs under policy "{policy}", but at intake nobody is assigned yet, so this step, addressed to the assignees, reaches no one: give the intake deadline a policy of its own that names posts',
  "deadline.repeat-not-last": "Only the last overdue step may repeat",
  "deadline.no-calendar": "Deadlines in working days need a calendar (holidays and make-up days)",
  "deadline.fractional-days": "Days must be whole numbers; use hours for parts of a day",
  "deadline.main-unset":
    'No workflow sets the main deadline "{main}" (returns, supervision sheets and principal talks go by it): set mainDeadline to one of {kinds}',
  "deadline.no-policy": "Setting a deadline needs a policy: categories {categories} have no deadlinePolicy",
  "effect.retired-score":
    'The "score" action is retired: points come only from scoring rules (scoring.rules); remove it and write a rule instead (e.g. on this transition, with an input-in condition)',
  "effect.unknown": 'Unknown effect type "{type}"; known: {known}',
  "effect.place":
    '"{type}" cannot be used in {place, select, transition {a transition} ladder {an overdue ladder} other {intake}}',
  "effect.needs-form":
    '{use, select, assign {Assigning from input needs a form on this transition} other {Reading field "{field}" needs a form on this transition}}',
  "effect.no-recipients": "A notification needs recipients (`to` or `posts`)",
  "effect.intake-posts-only": "At intake, notify posts with `posts`",
  "effect.no-principal": "A talk needs a principal: set `principal` or configure a leadership post",
  "actor.unknown": 'Unknown special actor "{entry}"; known: {known}',
  "actor.not-notifiable": '"{entry}" cannot be notified',
  "guard.unknown": 'Unknown guard type "{type}"; known: {known}',
  "tenant.mismatch": "You may not act on this case",
  "version.stale":
    "{what, select, mode {Someone else changed this first; reload and try again} other {Someone else changed this case first; reload and try again}}",
  "transition.unknown": 'No action "{id}"',
  "state.wrong": 'The case is {state}; "{transition}" is not possible now',
  "actor.not-allowed": 'You may not "{transition}" this case',
  "guard.grade-in": "Only for cases of grade {grades}",
  "guard.mode": "{mode, select, wartime {Only available in wartime} other {Only available in peacetime}}",
  "guard.input": "This value does not allow this action",
  "mode.not-allowed": "You may not switch this township's mode",
  "mode.unchanged": "{mode, select, wartime {Already in wartime} other {Already in peacetime}}",
  "rota.not-leadership": "The duty leader must be a leadership post",
  "rota.duplicate-date": "Date listed twice: {date}",
  "rota.duplicate-weekday": "Weekday {day} is already covered above",
  "category.unknown": "Choose a valid case category",
  "category.from-above": "Tasks from the county arrive from the county; they cannot be reported here",
  forbidden: "You may not report cases here",
  "limit.depth": "Nested too deeply: more than {max} levels",
  "assignment.lead-missing": "Choose the lead unit",
  "unit.unknown": 'No unit "{unit}"',
  "deadline.invalid": "Enter a valid due date",
  "deadline.past": "The due date must be in the future",
  "grade.unknown": "Choose a valid grade",
  "limit.bytes": "Too large: {bytes}, limit {maxBytes}",
  "limit.count":
    "{what, select, items {Config too large: {entries} entries here, limit {limit}} other {Config too large: {entries} {what, select, orgUnits {org units} posts {posts} categories {categories} grades {grades} forms {forms} workflows {workflows} states {workflow states} transitions {transitions} permissions {permission rules} scoringRules {scoring rules} other {{what}}}, limit {limit}}}",

  "scoring.condition-unknown": 'Unknown condition type "{type}"; known: {known}',
  "scoring.condition-not-applicable":
    'Condition "{type}" needs {needs, select, assignment {an assignment} actor {an actor} transition {a transition} input {a transition\'s form input} overdueDays {overdue days} deadline {a deadline} satisfaction {a satisfaction result} trigger {a trigger} other {a disputed entry}}, which "{fact}" does not have',
  "scoring.range-empty": "The minimum overdue days exceed the maximum",
  "scoring.fact-unknown": 'Unknown fact "{on}"; known: {known}',
  "scoring.no-localities":
    "Only a county config can score source-township, and it needs locality units naming their township (tenant)",
  "scoring.target-not-applicable":
    '{lacks, select, actor {"{fact}" has no actor to score} other {"{fact}" has no assignment to score {target}}}',
  "scoring.per-day-needs-days": 'Points per day need overdue days, which "{fact}" does not have',
  "scoring.rating-catch-all": "The last level takes every other score: leave out its `min`",
  "scoring.rating-min-missing": "Every level but the last needs a `min`",
  "scoring.rating-order": "Levels must go from the highest score to the lowest",
  "scoring.deadline-kind-unused": 'No workflow sets a deadline of kind "{kind}"',
  "scoring.scored-twice":
    'Rules "{first}" and "{second}" both score the same fact ({fact}) for {target}: an event is scored once. Merge them into one rule, or tell them apart with conditions (when) that exclude each other',

  "permissions.nobody-creates": "No post may report a case: add a create / Case rule for at least one post",
  "permissions.nobody-manages-config":
    "No post may manage the config, so nobody could change it after publishing: keep a manage / Config rule for the township admin's post",
  "permissions.nobody-reads-category":
    'No post may read cases of "{name}" (beyond their own reports): add a read / Case rule',

  "release.not-a-template": 'Only templates can be published here (kind must be "template")',
  "release.version-not-newer": "The version must be above the newest published version, {newest}",
  "release.notes-required":
    "Write the release notes: what changed, and what townships should watch for when they upgrade",

  "upgrade.not-an-object": "The config is not a JSON object",
  "upgrade.base-mismatch": 'The config extends "{base, select, none {(nothing)} other {{extends}}}", not {from}',
  "upgrade.not-a-template": "{ref} is not a template",
  "upgrade.resolution-unused": "There is no conflict to decide at {path}",
  "upgrade.reference-removed": "{found}: this township refers to it here, and {to} no longer provides it",
  "upgrade.both-changed": "This township overrides {path}, and the new template changed it differently",
  "upgrade.both-added": "This township added {path}, and the new template now defines it differently",
  "upgrade.removed-by-template": "The new template removed {path}, which this township overrides",
  "upgrade.removed-by-township": "This township removes {path}, which the new template changed or added",

  "migrate.state-unknown": 'The new version has no state "{state}"',
  "migrate.state-final": '"{name}" is a final state: a migration must not end a case; choose another state',
  "migrate.state-unreachable":
    'No action of the new version leads to "{name}", so the case could not run normally; choose another state',
  "migrate.state-unmapped":
    '{at, select, case {No state chosen yet for "{name}"} other {The new version has no state "{name}" ({cases, plural, one {# case} other {# cases}}): choose the state they move to}}',
  "migrate.policy-missing": 'In the new version, category "{categoryId}" has no policy for the "{toKind}" deadline',
  "migrate.version-missing": "Config version {configVersion} is missing",
  "migrate.workflow-missing": 'The new version has no workflow "{workflowId}"',
  "migrate.category-missing": 'The new version has no category "{name}"',
  "migrate.grade-missing": 'The new version has no grade "{name}"',
  "migrate.form-missing": 'The new version lacks the form "{name}" this case was reported with',
  "migrate.unit-missing": 'The new version lacks "{name}", where this case belongs',
  "migrate.deadline-kind-gone": 'The new version sets no "{kind}" deadline; this clock stops',
  "migrate.deadline-paused": "The clock is paused and kept; it resumes on the new version's calendar",
  "migrate.deadline-date-chosen": "The due date was chosen when the case was dispatched and is kept",
  "migrate.deadline-overdue": "The deadline is overdue and kept: sheets and deductions refer to its due time",
  "migrate.deadline-same-policy": "The new version's deadline policy is the same; kept",
  "migrate.deadline-renamed":
    "The main deadline has a new name in the new version; recomputed from its start with the new {to}",
  "migrate.deadline-changed": "The new version gives {to} instead of {from}; recomputed from the deadline's start",
  "migrate.deadline-steps-changed":
    "The new version's reminders or supervision steps changed; recomputed from the deadline's start",

  "designer.name-missing": "Enter the form's name (Chinese)",
  "designer.no-fields": "A form needs at least one field",
  "designer.key-invalid":
    'Field {n}: key "{key}" must start with a letter and use only letters, digits and underscores',
  "designer.key-duplicate": 'Field {n}: key "{key}" repeats field {first}',
  "designer.title-missing": "Field {n} has no Chinese title",
  "designer.no-options": "Field {n} (choice) needs at least one option",
  "designer.option-empty": "Field {n}: option {k} is empty",
  "designer.option-duplicate": 'Field {n}: option "{value}" repeats',
  "designer.title-field-missing": 'Title field "{titleField}" is not in the form',

  "onboarding.template-missing": 'No published template "{template}"',
  "onboarding.platform-unknown": 'The template has no platform "{id}"',
  "onboarding.platform-taken": 'Platform id "{id}" is already used',
  "onboarding.no-admin-post": "The template names no post that may manage the config: choose the township admin's post",
  "onboarding.remap-unknown": '"{ref}" is not a platform the township keeps or adds',
  "onboarding.no-categories":
    "This would drop every category of the template, leaving nothing to report: let a platform take at least one over",
  "onboarding.no-admin-unit": "There is no unit (command room) for the admin",
  "onboarding.unit-fixed": 'Post "{post}" sits in "{fixed}", not in "{unit}"',
  "onboarding.unit-kind": 'Post "{post}" belongs in a unit of kind {kinds}; "{unit}" is not',
  "onboarding.login-duplicate": 'Login "{login}" is used twice',
};
