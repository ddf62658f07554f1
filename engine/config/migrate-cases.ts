// Moving open cases to a newer config version (docs/decisions/038-migrating-open-cases.md).
// The planner proposes a state mapping by id, takes the admin's choices for the rest, and says per
// case what moving it does: its state, each deadline (kept or recomputed, and why) and its
// assigned units. It returns data and never throws; the server applies a plan with no issues.
import { deadlinePoliciesStarted } from "#engine/actions/index";
import { endOfLocalDay, type Duration } from "#engine/calendar";
import type { CaseState, Deadline } from "#engine/case-state";
import type { Text } from "#engine/i18n";
import { type Issue, type IssueText, issue, issueText, pointer } from "#engine/issues";
import { deadlineMet, ladderStepAt, policyDuration, startDeadline } from "#engine/supervision";
import { localDate } from "#engine/time";
import type { CompiledConfig, DeadlinePolicy, Workflow } from "./compile";
import { jsonEqual } from "./id-paths";

/** An open case as the planner needs it. */
export type MigratingCase = {
  id: string;
  number: string;
  /** The case's optimistic-lock version the plan was made from. */
  version: number;
  configVersion: number;
  workflowId: string;
  state: string;
  categoryId: string;
  gradeId: string;
  orgUnitId: string;
  assignment: CaseState["assignment"];
  deadlines: readonly Deadline[];
};

/** The admin's choices for states the new version lacks: `<workflow>/<old state>` → new state id. */
export type StateChoices = Readonly<Record<string, string>>;

export type StateMappingRow = {
  key: string;
  workflowId: string;
  from: string;
  fromName: Text;
  /** The new state, or null while the admin has not chosen one. */
  to: string | null;
  how: "same-id" | "chosen" | "needs-choice";
  cases: number;
  /** States of the new workflow a case may be put in: reachable from its start and not final. */
  choices: Array<{ id: string; name: Text }>;
};

export type DeadlineChange = {
  deadlineId: string;
  kind: string;
  change: "kept" | "recomputed" | "cleared";
  reason: "same-policy" | "overdue" | "paused" | "date-chosen" | "policy-changed" | "kind-renamed" | "kind-gone";
  fromDueAt: string;
  /** Null when cleared. */
  toDueAt: string | null;
  /** The kind it runs as in the new version (differs when the main deadline was renamed). */
  toKind: string | null;
  /** Why, for a person. */
  message: IssueText;
};

export type UnitChange = { unitId: string; role: "lead" | "assist"; name: Text; kept: boolean };

export type CasePlan = {
  caseId: string;
  number: string;
  version: number;
  fromVersion: number;
  workflowId: string;
  fromState: string;
  fromStateName: Text;
  toState: string | null;
  toStateName: Text | null;
  deadlines: DeadlineChange[];
  units: UnitChange[];
  /** People named on the case are kept: people are not part of a config. */
  assigneesKept: number;
  /** What the case becomes; absent when the case has issues. */
  next?: { state: string; deadlines: Deadline[]; assignment: CaseState["assignment"] };
  issues: Issue[];
};

export type MigrationPlan = {
  toVersion: number;
  byVersion: Array<{ version: number; cases: number }>;
  mapping: StateMappingRow[];
  cases: CasePlan[];
  /** Everything that stops the apply: unmapped states and every case's issues. */
  issues: Issue[];
  ready: boolean;
};

export type MigrationInput = {
  target: { version: number; compiled: CompiledConfig };
  /** The compiled config of each version the cases run on. */
  sources: ReadonlyMap<number, CompiledConfig>;
  cases: readonly MigratingCase[];
  choices: StateChoices;
  now: Date;
};

/** A config name for a message, or the id when the name is gone. */
const named = (t: Text | undefined, id: string): Text => t ?? { zh: id };

/** States a case can reach from the workflow's start. */
function reachable(workflow: Workflow): Set<string> {
  const seen = new Set([workflow.initial]);
  const queue = [workflow.initial];
  while (queue.length) {
    const at = queue.shift()!;
    for (const t of workflow.transitions ?? []) {
      if (t.from.includes(at) && !seen.has(t.to)) {
        seen.add(t.to);
        queue.push(t.to);
      }
    }
  }
  return seen;
}

const stateKey = (workflowId: string, state: string) => `${workflowId}/${state}`;

function targetStateChoices(workflow: Workflow) {
  const live = reachable(workflow);
  return Object.entries(workflow.states)
    .filter(([id, s]) => live.has(id) && s.final !== true)
    .map(([id, s]) => ({ id, name: s.name }));
}

/** Why a state cannot hold a migrated case, or undefined when it can. */
function stateIssue(workflow: Workflow, key: string, to: string): Issue | undefined {
  const path = pointer("mapping", key);
  const s = workflow.states[to];
  if (!s) return issue(path, "migrate.state-unknown", { state: to });
  if (s.final === true) return issue(path, "migrate.state-final", { name: named(s.name, to) });
  if (!reachable(workflow).has(to)) return issue(path, "migrate.state-unreachable", { name: named(s.name, to) });
  return undefined;
}

function proposeMapping(input: MigrationInput): { rows: StateMappingRow[]; issues: Issue[] } {
  const counts = new Map<string, { workflowId: string; from: string; fromName: Text; cases: number }>();
  for (const c of input.cases) {
    const key = stateKey(c.workflowId, c.state);
    const row = counts.get(key);
    if (row) row.cases++;
    else {
      const name = input.sources.get(c.configVersion)?.workflows.get(c.workflowId)?.states[c.state]?.name;
      counts.set(key, { workflowId: c.workflowId, from: c.state, fromName: name ?? { zh: c.state }, cases: 1 });
    }
  }
  const rows: StateMappingRow[] = [];
  const issues: Issue[] = [];
  for (const [key, r] of [...counts].sort(([a], [b]) => a.localeCompare(b))) {
    const workflow = input.target.compiled.workflows.get(r.workflowId);
    if (!workflow) {
      rows.push({ key, ...r, to: null, how: "needs-choice", choices: [] });
      continue; // reported once per case (migrate.workflow-missing)
    }
    const choices = targetStateChoices(workflow);
    const chosen = input.choices[key];
    const sameId = Object.hasOwn(workflow.states, r.from);
    const to = chosen ?? (sameId ? r.from : null);
    const how = chosen !== undefined ? "chosen" : sameId ? "same-id" : "needs-choice";
    rows.push({ key, ...r, to, how, choices });
    if (to === null) {
      issues.push(
        issue(pointer("mapping", key), "migrate.state-unmapped", {
          at: "mapping",
          name: named(r.fromName, r.from),
          cases: r.cases,
        }),
      );
    } else {
      const bad = stateIssue(workflow, key, to);
      if (bad) issues.push(bad);
    }
  }
  return { rows, issues };
}

/** Each deadline kind the workflow starts, with the policy id it runs under for this category. */
function kindPolicies(target: CompiledConfig, workflow: Workflow, categoryId: string): Map<string, string | undefined> {
  const out = new Map<string, string | undefined>();
  const categoryPolicy = target.categories.get(categoryId)?.deadlinePolicy;
  for (const effects of [workflow.onIntake, ...(workflow.transitions ?? []).map((t) => t.effects)]) {
    for (const { kind, policy } of deadlinePoliciesStarted(effects, target.defaults.mainDeadline)) {
      if (!out.has(kind)) out.set(kind, policy ?? categoryPolicy);
    }
  }
  return out;
}

/** A recomputed clock never makes a case overdue at once, and sends no reminder whose time has passed. */
function recompute(
  target: CompiledConfig,
  d: Deadline,
  spec: { id: string; kind: string; policyId: string },
  now: Date,
): Deadline {
  const fresh = startDeadline(target, { ...spec, mode: d.mode, start: new Date(d.startedAt) });
  const floor = endOfLocalDay(target.defaults.timeZone, localDate(target.defaults.timeZone, now));
  const deadline = new Date(fresh.dueAt) < floor ? { ...fresh, dueAt: floor.toISOString() } : fresh;
  for (
    let s = ladderStepAt(target, deadline, deadline.ladderStep);
    s && s.step.phase === "reminder" && s.at.getTime() <= now.getTime();
    s = ladderStepAt(target, deadline, deadline.ladderStep)
  ) {
    deadline.ladderStep++;
  }
  return deadline;
}

const UNITS = { "working-days": "workingDays", "calendar-days": "calendarDays", hours: "hours" } as const;
const spoken = (d: Duration) => issueText("duration", { amount: d.amount, unit: UNITS[d.unit] });

function recomputedMessage(
  before: DeadlinePolicy | undefined,
  after: DeadlinePolicy,
  mode: Deadline["mode"],
  renamed: boolean,
): IssueText {
  const to = policyDuration(after, mode);
  const from = before ? policyDuration(before, mode) : undefined;
  if (renamed) return issueText("migrate.deadline-renamed", { to: spoken(to) });
  if (from && !jsonEqual(from, to))
    return issueText("migrate.deadline-changed", { from: spoken(from), to: spoken(to) });
  return issueText("migrate.deadline-steps-changed");
}

function planDeadline(
  own: CompiledConfig,
  target: CompiledConfig,
  kinds: Map<string, string | undefined>,
  c: MigratingCase,
  d: Deadline,
  now: Date,
): { change: DeadlineChange; next?: Deadline; issues: Issue[] } {
  const base = { deadlineId: d.id, kind: d.kind, fromDueAt: d.dueAt };
  const renamed =
    !kinds.has(d.kind) && d.kind === own.defaults.mainDeadline && kinds.has(target.defaults.mainDeadline)
      ? target.defaults.mainDeadline
      : undefined;
  const toKind = kinds.has(d.kind) ? d.kind : renamed;
  if (toKind === undefined) {
    return {
      change: {
        ...base,
        change: "cleared",
        reason: "kind-gone",
        toDueAt: null,
        toKind: null,
        message: issueText("migrate.deadline-kind-gone", { kind: d.kind }),
      },
      issues: [],
    };
  }
  const policyId = kinds.get(toKind);
  if (policyId === undefined || !target.policies.has(policyId)) {
    const missing = issue(pointer("cases", c.number, "deadlines", d.id), "migrate.policy-missing", {
      categoryId: c.categoryId,
      toKind,
    });
    return {
      change: { ...base, change: "kept", reason: "same-policy", toDueAt: d.dueAt, toKind, message: missing },
      issues: [missing],
    };
  }
  const oldPolicy = own.policies.get(d.policyId);
  const keep = (reason: DeadlineChange["reason"], message: IssueText) => ({
    change: { ...base, change: "kept" as const, reason, toDueAt: d.dueAt, toKind, message },
    // Its ladder now runs on the new version's policy; the steps done stay done.
    next: { ...d, kind: toKind, policyId },
    issues: [],
  });
  if (d.pausedAt) return keep("paused", issueText("migrate.deadline-paused"));
  if (oldPolicy && d.unit !== policyDuration(oldPolicy, d.mode).unit)
    return keep("date-chosen", issueText("migrate.deadline-date-chosen"));
  if (!deadlineMet(d, now)) return keep("overdue", issueText("migrate.deadline-overdue"));
  if (!renamed && oldPolicy && jsonEqual(oldPolicy, target.policies.get(policyId)))
    return keep("same-policy", issueText("migrate.deadline-same-policy"));
  const next = recompute(target, d, { id: `${toKind}@${c.version + 1}`, kind: toKind, policyId }, now);
  return {
    change: {
      ...base,
      change: "recomputed",
      reason: renamed ? "kind-renamed" : "policy-changed",
      toDueAt: next.dueAt,
      toKind,
      message: recomputedMessage(oldPolicy, target.policies.get(policyId)!, d.mode, renamed !== undefined),
    },
    next,
    issues: [],
  };
}

function planCase(input: MigrationInput, mapping: ReadonlyMap<string, StateMappingRow>, c: MigratingCase): CasePlan {
  const target = input.target.compiled;
  const own = input.sources.get(c.configVersion);
  const ownWorkflow = own?.workflows.get(c.workflowId);
  const workflow = target.workflows.get(c.workflowId);
  const at = (...rest: string[]) => pointer("cases", c.number, ...rest);
  const issues: Issue[] = [];
  const row = mapping.get(stateKey(c.workflowId, c.state));
  const toState = row?.to ?? null;
  const plan: CasePlan = {
    caseId: c.id,
    number: c.number,
    version: c.version,
    fromVersion: c.configVersion,
    workflowId: c.workflowId,
    fromState: c.state,
    fromStateName: ownWorkflow?.states[c.state]?.name ?? { zh: c.state },
    toState,
    toStateName: toState ? (workflow?.states[toState]?.name ?? null) : null,
    deadlines: [],
    units: [],
    assigneesKept: c.assignment.assigneeUserIds?.length ?? 0,
    issues,
  };
  if (!own) {
    issues.push(issue(at(), "migrate.version-missing", { configVersion: c.configVersion }));
    return plan;
  }
  if (!workflow) {
    issues.push(issue(at("workflow"), "migrate.workflow-missing", { workflowId: c.workflowId }));
    return plan;
  }
  const oldCategory = own.categories.get(c.categoryId);
  const category = target.categories.get(c.categoryId);
  if (!category)
    issues.push(issue(at("category"), "migrate.category-missing", { name: named(oldCategory?.name, c.categoryId) }));
  if (!target.grades.has(c.gradeId)) {
    const name = own.grades.get(c.gradeId)?.name;
    issues.push(issue(at("grade"), "migrate.grade-missing", { name: named(name, c.gradeId) }));
  }
  const form = oldCategory?.intakeForm;
  if (form !== undefined && !target.forms.has(form)) {
    const name = own.forms.get(form)?.name;
    issues.push(issue(at("form"), "migrate.form-missing", { name: named(name, form) }));
  }
  if (!target.org.byId.has(c.orgUnitId)) {
    const name = own.org.byId.get(c.orgUnitId)?.name;
    issues.push(issue(at("orgUnit"), "migrate.unit-missing", { name: named(name, c.orgUnitId) }));
  }
  if (toState === null)
    issues.push(issue(at("state"), "migrate.state-unmapped", { at: "case", name: named(plan.fromStateName, c.state) }));
  else if (stateIssue(workflow, stateKey(c.workflowId, c.state), toState))
    issues.push(stateIssue(workflow, stateKey(c.workflowId, c.state), toState)!);

  const kinds = kindPolicies(target, workflow, c.categoryId);
  const deadlines: Deadline[] = [];
  for (const d of c.deadlines) {
    const planned = planDeadline(own, target, kinds, c, d, input.now);
    plan.deadlines.push(planned.change);
    issues.push(...planned.issues);
    if (planned.next) deadlines.push(planned.next);
  }

  const unit = (unitId: string, role: UnitChange["role"]): UnitChange => ({
    unitId,
    role,
    name: target.org.byId.get(unitId)?.name ?? own.org.byId.get(unitId)?.name ?? { zh: unitId },
    kept: target.org.byId.has(unitId),
  });
  const { leadUnitId, assistUnitIds } = c.assignment;
  if (leadUnitId) plan.units.push(unit(leadUnitId, "lead"));
  for (const id of assistUnitIds) plan.units.push(unit(id, "assist"));
  const keptAssist = assistUnitIds.filter((id) => target.org.byId.has(id));
  const { leadUnitId: _lead, ...rest } = c.assignment;
  const assignment: CaseState["assignment"] = {
    ...rest,
    ...(leadUnitId && target.org.byId.has(leadUnitId) ? { leadUnitId } : {}),
    assistUnitIds: keptAssist,
  };
  if (!issues.length && toState !== null) plan.next = { state: toState, deadlines, assignment };
  return plan;
}

/** The plan for moving these open cases to `target`; `choices` name new states for states it lacks. */
export function planMigration(input: MigrationInput): MigrationPlan {
  const { rows, issues } = proposeMapping(input);
  const mapping = new Map(rows.map((r) => [r.key, r]));
  const cases = input.cases.map((c) => planCase(input, mapping, c));
  const counts = new Map<number, number>();
  for (const c of input.cases) counts.set(c.configVersion, (counts.get(c.configVersion) ?? 0) + 1);
  // A state's issues are listed once, on its mapping row; each case still shows its own.
  const all = [...issues, ...cases.flatMap((c) => c.issues.filter((i) => !i.code.startsWith("migrate.state-")))];
  return {
    toVersion: input.target.version,
    byVersion: [...counts].sort(([a], [b]) => a - b).map(([version, n]) => ({ version, cases: n })),
    mapping: rows,
    cases,
    issues: all,
    ready: input.cases.length > 0 && all.length === 0 && cases.every((c) => c.next),
  };
}
