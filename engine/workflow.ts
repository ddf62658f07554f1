// The workflow interpreter: a pure decision function over a case, in the manner of a state
// machine's transition function. It returns the next state and the outcomes to apply, and runs
// nothing itself; the server applies the outcomes in one transaction (docs/architecture.md).
//
// Each config action is one module in engine/actions/. Same inputs, same output: time comes in as `now`, ids are derived from the case (deadline ids,
// dedupe keys), and nothing reads a clock, a file or a random source.
import { runAction, type Run } from "./actions";
import { actorMatches, hasRecipients, resolveRecipients } from "./actors";
import { type ActorContext, type CaseState, type Deadline, deadlineOfKind } from "./case-state";
import type { CompiledConfig, Workflow } from "./config/compile";
import { isGuardName, type GuardName, type GuardParams } from "./guards";
import { validateFormData } from "./forms";
import type { Text } from "./i18n";
import { escapePointerToken, type Issue, issue, textIssue } from "./issues";
import { modeUrgency } from "./modes";
import type { Outcome } from "./outcomes";
import { deadlineMet, dueWork, nextCheckAt, type DueStep } from "./supervision";

export type { ActorContext, CaseState };

type TransitionCommand = { type: "transition"; transitionId: string; input?: unknown; expectedVersion: number };
/** The periodic sweep: "what is due now?" Fires the due supervision ladder steps. */
type TickCommand = { type: "tick" };
export type Command = TransitionCommand | TickCommand;

type RefusalKind = "not-allowed" | "invalid-input" | "wrong-state" | "stale-version";
export type WorkflowRefusal = { kind: RefusalKind; issues: Issue[] };

export type Decision =
  | {
      ok: true;
      /** The whole next case state (version + 1 when `changed`); write it with `WHERE version = caseState.version`. */
      next: CaseState;
      outcomes: Outcome[];
      /** When the sweep must look at this case again (index it); null when no deadline is running. */
      nextCheckAt: string | null;
      /** False only for a tick that found nothing due: nothing to write. */
      changed: boolean;
    }
  | { ok: false; refusal: WorkflowRefusal };

export type AvailableTransition = { id: string; name: Text; to: string; form?: string };

type Transition = NonNullable<Workflow["transitions"]>[number];
type Spec = { type: string; params?: Record<string, unknown> };

const refuse = (kind: RefusalKind, issues: Issue[]): Decision => ({ ok: false, refusal: { kind, issues } });

export function decide(
  config: CompiledConfig,
  caseState: CaseState,
  command: Command,
  actor: ActorContext,
  now: Date,
): Decision {
  return command.type === "tick"
    ? decideTick(config, caseState, now)
    : decideTransition(config, caseState, command, actor, now);
}

/** The transitions this person may fire now, for the case screen (input-dependent guards are not checked). */
export function availableTransitions(
  config: CompiledConfig,
  caseState: CaseState,
  actor: ActorContext,
  now: Date,
): AvailableTransition[] {
  if (!sameTenant(caseState, actor)) return [];
  const workflow = workflowOf(config, caseState);
  return (workflow.transitions ?? [])
    .filter(
      (t) =>
        t.from.includes(caseState.state) &&
        mayFire(config, caseState, actor, t) &&
        guardHolds(config, caseState, actor, now, t.guard, undefined) !== false,
    )
    .map((t) => ({ id: t.id, name: t.name, to: t.to, ...(t.form ? { form: t.form } : {}) }));
}

// ---------------------------------------------------------------------------------------------
// Transitions

function workflowOf(config: CompiledConfig, caseState: CaseState): Workflow {
  const workflow = config.workflows.get(caseState.workflowId);
  if (!workflow)
    throw new Error(`Case ${caseState.id} runs workflow ${caseState.workflowId}, which its config does not have`);
  return workflow;
}

/** Township staff act only in their own township; the county acts in the townships below it (the caller checks that). */
function sameTenant(caseState: CaseState, actor: ActorContext): boolean {
  return actor.kind === "county" || (actor.kind === "township" && actor.tenantId === caseState.tenantId);
}

/** No `by`: nobody may fire the transition (deny by default). */
function mayFire(config: CompiledConfig, caseState: CaseState, actor: ActorContext, t: Transition): boolean {
  return (t.by ?? []).some((entry) => actorMatches(config, caseState, caseState.mode, actor, entry));
}

function decideTransition(
  config: CompiledConfig,
  caseState: CaseState,
  command: TransitionCommand,
  actor: ActorContext,
  now: Date,
): Decision {
  const workflow = workflowOf(config, caseState);
  if (!sameTenant(caseState, actor)) {
    return refuse("not-allowed", [issue("", "tenant.mismatch")]);
  }
  if (command.expectedVersion !== caseState.version) {
    return refuse("stale-version", [issue("/expectedVersion", "version.stale", { what: "case" })]);
  }
  const transition = (workflow.transitions ?? []).find((t) => t.id === command.transitionId);
  if (!transition) {
    return refuse("invalid-input", [issue("/transitionId", "transition.unknown", { id: command.transitionId })]);
  }
  if (!transition.from.includes(caseState.state)) {
    const state = workflow.states[caseState.state]?.name ?? { zh: caseState.state, en: caseState.state };
    return refuse("wrong-state", [issue("/transitionId", "state.wrong", { state, transition: transition.name })]);
  }
  if (!mayFire(config, caseState, actor, transition)) {
    return refuse("not-allowed", [issue("", "actor.not-allowed", { transition: transition.name })]);
  }
  const preGuard = guardHolds(config, caseState, actor, now, transition.guard, undefined);
  if (preGuard === false) return refuse("not-allowed", [guardIssue(transition.guard!)]);

  let input: Record<string, unknown> = {};
  if (transition.form) {
    const issues = validateFormData(config, transition.form, command.input);
    if (issues.length)
      return refuse(
        "invalid-input",
        issues.map((i) => ({ ...i, path: `/input${i.path}` })),
      );
    input = command.input as Record<string, unknown>;
  }
  if (transition.guard && guardHolds(config, caseState, actor, now, transition.guard, input) === false) {
    return refuse("invalid-input", [inputGuardIssue(transition.guard, input)]);
  }

  const draft: CaseState = structuredClone(caseState);
  draft.version = caseState.version + 1;
  const run: Run = { config, draft, actor, now, input, out: [], urgency: modeUrgency(config, caseState.mode) };
  const audit: Outcome = { type: "audit", event: "case.transition", data: {} };
  run.out.push(audit);
  const base = `case:${caseState.id}:v${draft.version}:${transition.id}`;
  const issues: Issue[] = [];
  const ran: string[] = [];
  (transition.effects ?? []).forEach((spec, i) => {
    if (issues.length) return;
    if (spec.when && guardHolds(config, draft, actor, now, spec.when, input) === false) return;
    ran.push(spec.type);
    issues.push(...runAction(run, spec, { key: `${base}:${i}`, kind: `case.${transition.id}`, place: "transition" }));
  });
  if (issues.length) return refuse("invalid-input", issues);

  draft.state = transition.to;
  audit.data = {
    transitionId: transition.id,
    from: caseState.state,
    to: transition.to,
    version: draft.version,
    by: actor.userId,
    gradeId: draft.gradeId,
    assignment: draft.assignment,
    input,
    // What assessment reads back from the trail (engine/scoring/trail.ts): the effects that ran and the clocks that stopped.
    effects: ran,
    cleared: stoppedClocks(caseState.deadlines, run.out),
    at: now.toISOString(),
  };
  return { ok: true, next: draft, outcomes: run.out, nextCheckAt: nextCheckAt(config, draft), changed: true };
}

/** The deadlines a transition stopped, with when they were due (and paused) and whether they were met. */
function stoppedClocks(before: readonly Deadline[], outcomes: readonly Outcome[]) {
  const clocks = new Map(before.map((d) => [d.id, { dueAt: d.dueAt, pausedAt: d.pausedAt }]));
  const out: Array<{ id: string; kind: string; dueAt?: string; pausedAt?: string; met: boolean; reason: string }> = [];
  for (const e of outcomes) {
    if (e.type === "deadline-set")
      clocks.set(e.deadline.id, { dueAt: e.deadline.dueAt, pausedAt: e.deadline.pausedAt });
    else if (e.type === "deadline-paused")
      clocks.set(e.deadlineId, { dueAt: clocks.get(e.deadlineId)?.dueAt ?? "", pausedAt: e.pausedAt });
    else if (e.type === "deadline-resumed") clocks.set(e.deadlineId, { dueAt: e.dueAt, pausedAt: undefined });
    else if (e.type === "deadline-cleared") {
      const clock = clocks.get(e.deadlineId);
      out.push({
        id: e.deadlineId,
        kind: e.kind,
        ...(clock?.dueAt ? { dueAt: clock.dueAt } : {}),
        ...(clock?.pausedAt ? { pausedAt: clock.pausedAt } : {}),
        met: e.met,
        reason: e.reason,
      });
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// The sweep

function decideTick(config: CompiledConfig, caseState: CaseState, now: Date): Decision {
  const work = dueWork(config, caseState, now);
  if (!work.length)
    return { ok: true, next: caseState, outcomes: [], nextCheckAt: nextCheckAt(config, caseState), changed: false };
  const draft: CaseState = structuredClone(caseState);
  draft.version = caseState.version + 1;
  const run: Run = {
    config,
    draft,
    actor: { userId: "system", tenantId: caseState.tenantId, unitId: "", posts: [], kind: "system" },
    now,
    input: {},
    out: [],
    urgency: modeUrgency(config, caseState.mode),
  };
  for (const due of work) {
    const deadline = draft.deadlines.find((d) => d.id === due.deadlineId)!;
    deadline.ladderStep = due.index + 1;
    run.out.push({
      type: "audit",
      event: "case.deadline-step",
      data: {
        deadlineId: due.deadlineId,
        kind: due.kind,
        index: due.index,
        phase: due.step.phase,
        type: due.step.phase === "reminder" ? "reminder" : due.step.type,
        dueAt: due.at,
        superseded: due.superseded,
        at: now.toISOString(),
      },
    });
    if (due.superseded) continue;
    const issues = runLadderStep(run, deadline, due);
    if (issues.length)
      throw new Error(`Ladder step ${due.index} of ${deadline.id} failed: ${issues.map((i) => i.code).join(", ")}`);
  }
  return { ok: true, next: draft, outcomes: run.out, nextCheckAt: nextCheckAt(config, draft), changed: true };
}

function runLadderStep(run: Run, deadline: Deadline, due: DueStep): Issue[] {
  const key = `case:${run.draft.id}:deadline:${deadline.id}:step:${due.index}`;
  const step = due.step;
  if (step.phase === "reminder") {
    const recipients = resolveRecipients(
      run.config,
      run.draft,
      run.draft.mode,
      step.notify ?? ["$lead-assignee"],
      run.now,
    );
    if (hasRecipients(recipients)) {
      run.out.push({
        type: "notify",
        ...recipients,
        kind: "deadline.reminder",
        urgency: run.urgency,
        caseId: run.draft.id,
        data: {
          deadlineId: deadline.id,
          deadlineKind: deadline.kind,
          dueAt: deadline.dueAt,
          before: step.before,
          ...(step.label ? { label: step.label } : {}),
        },
        dedupeKey: key,
      });
    }
    return [];
  }
  return runAction(
    run,
    { type: step.type, params: step.params },
    { key, kind: "deadline.overdue", place: "ladder", deadline, ...(step.label ? { label: step.label } : {}) },
  );
}

// ---------------------------------------------------------------------------------------------
// Guards

/** true / false, or undefined when it depends on input not yet known (the screen's question). */
function guardHolds(
  config: CompiledConfig,
  state: CaseState,
  actor: ActorContext,
  now: Date,
  spec: Spec | undefined,
  input: Record<string, unknown> | undefined,
): boolean | undefined {
  if (!spec) return true;
  if (!isGuardName(spec.type)) throw new Error(`Unknown guard ${spec.type}`);
  return (GUARDS[spec.type] as (params: never, ctx: GuardCtx) => boolean | undefined)((spec.params ?? {}) as never, {
    config,
    state,
    actor,
    now,
    input,
  });
}

type GuardCtx = {
  config: CompiledConfig;
  state: CaseState;
  actor: ActorContext;
  now: Date;
  input: Record<string, unknown> | undefined;
};
type GuardFn<N extends GuardName> = (params: GuardParams<N>, ctx: GuardCtx) => boolean | undefined;

const GUARDS: { [N in GuardName]: GuardFn<N> } = {
  "grade-in": (p, { state }) => p.grades.includes(state.gradeId),
  "category-in": (p, { state }) => p.categories.includes(state.categoryId),
  "platform-in": (p, { state }) => p.platforms.includes(state.platformId),
  mode: (p, { state }) => state.mode === p.mode,
  assigned: (_p, { state }) => state.assignment.leadUnitId !== undefined,
  escalated: (_p, { state }) => state.escalatedTo !== undefined,
  "deadline-overdue": (p, { config, state, now }) => {
    const d = deadlineOfKind(config, state, p.kind);
    return d !== undefined && !deadlineMet(d, now);
  },
  "deadline-met": (p, { config, state, now }) => {
    const d = deadlineOfKind(config, state, p.kind);
    return d !== undefined && deadlineMet(d, now);
  },
  "input-in": (p, { input }) => (input === undefined ? undefined : p.values.includes(input[p.field] as never)),
  all: (p, ctx) => {
    const results = p.guards.map((g) => guardHolds(ctx.config, ctx.state, ctx.actor, ctx.now, g, ctx.input));
    return results.includes(false) ? false : results.includes(undefined) ? undefined : true;
  },
  any: (p, ctx) => {
    const results = p.guards.map((g) => guardHolds(ctx.config, ctx.state, ctx.actor, ctx.now, g, ctx.input));
    return results.includes(true) ? true : results.includes(undefined) ? undefined : false;
  },
  not: (p, ctx) => {
    const r = guardHolds(ctx.config, ctx.state, ctx.actor, ctx.now, p.guard, ctx.input);
    return r === undefined ? undefined : !r;
  },
};

function guardIssue(spec: Spec): Issue {
  const p = (spec.params ?? {}) as Record<string, unknown>;
  switch (spec.type) {
    case "grade-in":
      return issue("", "guard.grade-in", {
        grades: Array.isArray(p.grades) ? p.grades.map(String) : [String(p.grades)],
      });
    case "mode":
      return issue("", "guard.mode", { mode: p.mode === "wartime" ? "wartime" : "peacetime" });
    default:
      // One code per guard type (tests and clients read it); the text is generic.
      return textIssue(
        "",
        `guard.${spec.type}`,
        `当前条件不允许此操作（${spec.type}）`,
        `Not possible under the current conditions (${spec.type})`,
      );
  }
}

/** The input field a failing input guard is about, for the form to highlight. */
function inputGuardIssue(spec: Spec, input: Record<string, unknown>): Issue {
  const field = findInputField(spec, input);
  return issue(field === undefined ? "/input" : `/input/${escapePointerToken(field)}`, "guard.input");
}

function findInputField(spec: Spec, input: Record<string, unknown>): string | undefined {
  const p = (spec.params ?? {}) as { field?: string; guards?: Spec[]; guard?: Spec };
  if (spec.type === "input-in") return p.field;
  for (const g of [...(p.guards ?? []), ...(p.guard ? [p.guard] : [])]) {
    const f = findInputField(g, input);
    if (f !== undefined) return f;
  }
  return undefined;
}
