// Moving open cases to a newer config version (docs/decisions/038-migrating-open-cases.md).
// The planner proposes a state mapping by id, takes the admin's choices for the rest, and says per
// case what moving it does: its state, each deadline (kept or recomputed, and why) and its
// assigned units. It returns data and never throws; the server applies a plan with no issues.
import { deadlinePoliciesStarted } from "#engine/actions/index";
import { endOfLocalDay, type Duration } from "#engine/calendar";
import type { CaseState, Deadline } from "#engine/case-state";
import type { Bilingual, Text } from "#engine/i18n";
import { pointer, type Issue } from "#engine/issues";
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
  message: Bilingual;
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

const issue = (path: string, code: string, zh: string, en: string): Issue => ({ path, code, message: { zh, en } });
const en = (t: Text | undefined, fallback: string) => t?.en ?? t?.zh ?? fallback;
const zh = (t: Text | undefined, fallback: string) => t?.zh ?? fallback;

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
  if (!s) return issue(path, "migrate.state-unknown", `新版本没有状态“${to}”`, `The new version has no state "${to}"`);
  if (s.final === true)
    return issue(
      path,
      "migrate.state-final",
      `“${zh(s.name, to)}”是终结状态：迁移不能结束事件，请另选一个状态`,
      `"${en(s.name, to)}" is a final state: a migration must not end a case; choose another state`,
    );
  if (!reachable(workflow).has(to))
    return issue(
      path,
      "migrate.state-unreachable",
      `新版本中没有任何操作能到达“${zh(s.name, to)}”，事件将无法正常流转；请另选一个状态`,
      `No action of the new version leads to "${en(s.name, to)}", so the case could not run normally; choose another state`,
    );
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
        issue(
          pointer("mapping", key),
          "migrate.state-unmapped",
          `新版本没有状态“${zh(r.fromName, r.from)}”（${r.cases} 件）：请选择这些事件迁入的状态`,
          `The new version has no state "${en(r.fromName, r.from)}" (${r.cases} case${r.cases === 1 ? "" : "s"}): choose the state they move to`,
        ),
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

const UNITS: Record<Duration["unit"], Bilingual> = {
  "working-days": { zh: "个工作日", en: "working days" },
  "calendar-days": { zh: "天", en: "calendar days" },
  hours: { zh: "小时", en: "hours" },
};
const spoken = (d: Duration, lang: "zh" | "en") => `${d.amount} ${UNITS[d.unit][lang]}`;

function recomputedMessage(
  before: DeadlinePolicy | undefined,
  after: DeadlinePolicy,
  mode: Deadline["mode"],
  renamed: boolean,
): Bilingual {
  const to = policyDuration(after, mode);
  const from = before ? policyDuration(before, mode) : undefined;
  if (renamed)
    return {
      zh: `主时限在新版本中改了名称，按新版本的 ${spoken(to, "zh")}自原起始时间重新计算`,
      en: `The main deadline has a new name in the new version; recomputed from its start with the new ${spoken(to, "en")}`,
    };
  if (from && !jsonEqual(from, to))
    return {
      zh: `新版本的时限由 ${spoken(from, "zh")}改为 ${spoken(to, "zh")}，自原起始时间重新计算`,
      en: `The new version gives ${spoken(to, "en")} instead of ${spoken(from, "en")}; recomputed from the deadline's start`,
    };
  return {
    zh: "新版本的提醒或督办规则有变，自原起始时间重新计算",
    en: "The new version's reminders or supervision steps changed; recomputed from the deadline's start",
  };
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
        message: {
          zh: `新版本不再设“${d.kind}”时限，此时限停止`,
          en: `The new version sets no "${d.kind}" deadline; this clock stops`,
        },
      },
      issues: [],
    };
  }
  const policyId = kinds.get(toKind);
  if (policyId === undefined || !target.policies.has(policyId)) {
    const missing = issue(
      pointer("cases", c.number, "deadlines", d.id),
      "migrate.policy-missing",
      `新版本中类别“${c.categoryId}”没有“${toKind}”时限规则`,
      `In the new version, category "${c.categoryId}" has no policy for the "${toKind}" deadline`,
    );
    return {
      change: { ...base, change: "kept", reason: "same-policy", toDueAt: d.dueAt, toKind, message: missing.message },
      issues: [missing],
    };
  }
  const oldPolicy = own.policies.get(d.policyId);
  const keep = (reason: DeadlineChange["reason"], message: Bilingual) => ({
    change: { ...base, change: "kept" as const, reason, toDueAt: d.dueAt, toKind, message },
    // Its ladder now runs on the new version's policy; the steps done stay done.
    next: { ...d, kind: toKind, policyId },
    issues: [],
  });
  if (d.pausedAt)
    return keep("paused", {
      zh: "时限已暂停，保留；恢复时按新版本的日历续算",
      en: "The clock is paused and kept; it resumes on the new version's calendar",
    });
  if (oldPolicy && d.unit !== policyDuration(oldPolicy, d.mode).unit)
    return keep("date-chosen", {
      zh: "办结期限是交办时指定的日期，保留",
      en: "The due date was chosen when the case was dispatched and is kept",
    });
  if (!deadlineMet(d, now))
    return keep("overdue", {
      zh: "时限已超期，保留：督办单和扣分都以原到期时间为准",
      en: "The deadline is overdue and kept: sheets and deductions refer to its due time",
    });
  if (!renamed && oldPolicy && jsonEqual(oldPolicy, target.policies.get(policyId)))
    return keep("same-policy", {
      zh: "新版本的时限规则未变，保留",
      en: "The new version's deadline policy is the same; kept",
    });
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
    issues.push(
      issue(
        at(),
        "migrate.version-missing",
        `找不到第 ${c.configVersion} 版配置`,
        `Config version ${c.configVersion} is missing`,
      ),
    );
    return plan;
  }
  if (!workflow) {
    issues.push(
      issue(
        at("workflow"),
        "migrate.workflow-missing",
        `新版本没有流程“${c.workflowId}”`,
        `The new version has no workflow "${c.workflowId}"`,
      ),
    );
    return plan;
  }
  const oldCategory = own.categories.get(c.categoryId);
  const category = target.categories.get(c.categoryId);
  if (!category)
    issues.push(
      issue(
        at("category"),
        "migrate.category-missing",
        `新版本没有事件类别“${zh(oldCategory?.name, c.categoryId)}”`,
        `The new version has no category "${en(oldCategory?.name, c.categoryId)}"`,
      ),
    );
  if (!target.grades.has(c.gradeId)) {
    const name = own.grades.get(c.gradeId)?.name;
    issues.push(
      issue(
        at("grade"),
        "migrate.grade-missing",
        `新版本没有事件等级“${zh(name, c.gradeId)}”`,
        `The new version has no grade "${en(name, c.gradeId)}"`,
      ),
    );
  }
  const form = oldCategory?.intakeForm;
  if (form !== undefined && !target.forms.has(form)) {
    const name = own.forms.get(form)?.name;
    issues.push(
      issue(
        at("form"),
        "migrate.form-missing",
        `新版本没有此事件上报时所用的表单“${zh(name, form)}”`,
        `The new version lacks the form "${en(name, form)}" this case was reported with`,
      ),
    );
  }
  if (!target.org.byId.has(c.orgUnitId)) {
    const name = own.org.byId.get(c.orgUnitId)?.name;
    issues.push(
      issue(
        at("orgUnit"),
        "migrate.unit-missing",
        `新版本没有此事件所属的“${zh(name, c.orgUnitId)}”`,
        `The new version lacks "${en(name, c.orgUnitId)}", where this case belongs`,
      ),
    );
  }
  if (toState === null)
    issues.push(
      issue(
        at("state"),
        "migrate.state-unmapped",
        `尚未选择“${zh(plan.fromStateName, c.state)}”迁入的状态`,
        `No state chosen yet for "${en(plan.fromStateName, c.state)}"`,
      ),
    );
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
