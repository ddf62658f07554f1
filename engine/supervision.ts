// The supervision ladder (事项督办) of a deadline, from its policy:
//   催办 reminders before the due instant (e.g. 3 days, "不到2日件", "不到1日件"),
//   then the overdue ladder after it (督办单 supervision sheet, 约谈 principal talk …; the last
//   step may repeat until the case is done: 督办直至办理到位).
// A deadline records how many steps are done (`ladderStep`), so the steps due now are a pure
// function of the case and the instant, and `nextCheckAt` is the one instant the database must
// index for the sweep to cost O(due work).
import { addDuration, extendByPause, subtractDuration, type Duration, type WorkingCalendar } from "./calendar";
import type { CaseState, Deadline, Mode } from "./case-state";
import type { CompiledConfig, DeadlinePolicy } from "./config/compile";
import type { Text } from "./i18n";

type ReminderStep = { phase: "reminder"; position: number; before: Duration; label?: Text; notify?: string[] };
type OverdueStep = {
  phase: "overdue";
  position: number;
  /** 0 for the first time; 1, 2 … for repeats of the last step. */
  occurrence: number;
  type: string;
  params: Record<string, unknown>;
  after?: Duration;
  label?: Text;
};
export type LadderStep = ReminderStep | OverdueStep;

export type DueStep = {
  deadlineId: string;
  kind: string;
  /** The step's index in the deadline's ladder (reminders first, then overdue steps and repeats). */
  index: number;
  at: string;
  step: LadderStep;
  /**
   * A later step is due too (the sweep was late): a reminder is not worth sending once a later
   * reminder or the overdue ladder is due, nor a repeat once a later repeat is. Superseded steps
   * are marked done without effects; distinct overdue steps (a sheet, then a talk) all fire.
   */
  superseded: boolean;
};

const MS = 1;
/** Enough for any real outage; a longer backlog of repeats continues at the next sweep. */
const MAX_STEPS_PER_SWEEP = 200;

export function policyOf(config: CompiledConfig, policyId: string): DeadlinePolicy {
  const policy = config.policies.get(policyId);
  if (!policy) throw new Error(`Unknown deadline policy ${policyId}`);
  return policy;
}

export function calendarOf(config: CompiledConfig, policy: DeadlinePolicy): WorkingCalendar {
  return config.calendar(policy.calendar);
}

/** The duration a new deadline of this policy gets in a mode (wartime overrides `handle`). */
export function policyDuration(policy: DeadlinePolicy, mode: Mode): Duration {
  return mode === "wartime" && policy.wartime ? policy.wartime : policy.handle;
}

function remindersOf(policy: DeadlinePolicy, mode: Mode) {
  return (mode === "wartime" && policy.wartimeReminders ? policy.wartimeReminders : policy.reminders) ?? [];
}

/** The step at an index of a deadline's ladder and the instant it becomes due, or undefined past the end. */
export function ladderStepAt(
  config: CompiledConfig,
  deadline: Deadline,
  index: number,
): { step: LadderStep; at: Date } | undefined {
  const policy = policyOf(config, deadline.policyId);
  const cal = calendarOf(config, policy);
  const due = new Date(deadline.dueAt);
  const reminders = remindersOf(policy, deadline.mode);
  if (index < reminders.length) {
    const r = reminders[index]!;
    return {
      step: {
        phase: "reminder",
        position: index,
        before: r.before,
        ...(r.label ? { label: r.label } : {}),
        ...(r.notify ? { notify: [...r.notify] } : {}),
      },
      at: subtractDuration(cal, due, r.before),
    };
  }
  const ladder = policy.overdueLadder ?? [];
  let position = index - reminders.length;
  let occurrence = 0;
  if (position >= ladder.length) {
    const last = ladder[ladder.length - 1];
    if (!last?.repeat) return undefined;
    occurrence = position - (ladder.length - 1);
    position = ladder.length - 1;
  }
  const s = ladder[position]!;
  let at = s.after ? addDuration(cal, due, s.after) : new Date(due.getTime() + MS);
  for (let k = 0; k < occurrence; k++) at = addDuration(cal, at, s.repeat!);
  return {
    step: {
      phase: "overdue",
      position,
      occurrence,
      type: s.type,
      params: { ...(s.params ?? {}) },
      ...(s.after ? { after: s.after } : {}),
      ...(s.label ? { label: s.label } : {}),
    },
    at,
  };
}

/**
 * A new deadline starting at `start`: due after the policy's duration for the mode, or at `dueAt`
 * when given (a date set by whoever dispatched). Reminders that would fall at or before the start
 * (a 24-hour wartime deadline has no "3 days before") are done from the outset.
 */
export function startDeadline(
  config: CompiledConfig,
  spec: { id: string; kind: string; policyId: string; mode: Mode; start: Date; dueAt?: Date },
): Deadline {
  const policy = policyOf(config, spec.policyId);
  const duration = policyDuration(policy, spec.mode);
  const due = spec.dueAt ?? addDuration(calendarOf(config, policy), spec.start, duration);
  const deadline: Deadline = {
    id: spec.id,
    kind: spec.kind,
    policyId: spec.policyId,
    mode: spec.mode,
    unit: spec.dueAt ? "calendar-days" : duration.unit,
    startedAt: spec.start.toISOString(),
    dueAt: due.toISOString(),
    ladderStep: 0,
  };
  for (
    let s = ladderStepAt(config, deadline, 0);
    s && s.step.phase === "reminder" && s.at.getTime() <= spec.start.getTime();
    s = ladderStepAt(config, deadline, deadline.ladderStep)
  ) {
    deadline.ladderStep++;
  }
  return deadline;
}

export function pauseDeadline(deadline: Deadline, now: Date): Deadline {
  return deadline.pausedAt ? deadline : { ...deadline, pausedAt: now.toISOString() };
}

/** The deadline moved on by the time the pause consumed (working days for a working-day deadline). */
export function resumeDeadline(config: CompiledConfig, deadline: Deadline, now: Date): Deadline {
  if (!deadline.pausedAt) return deadline;
  const cal = calendarOf(config, policyOf(config, deadline.policyId));
  const { pausedAt, ...rest } = deadline;
  const pausedMs = new Date(pausedAt).getTime();
  const resumed = new Date(Math.max(pausedMs, now.getTime()));
  return {
    ...rest,
    dueAt: extendByPause(cal, new Date(deadline.dueAt), new Date(pausedMs), resumed, deadline.unit).toISOString(),
  };
}

/** Met: stopped no later than the due instant (a paused deadline counts at its pause). */
export function deadlineMet(deadline: Deadline, at: Date): boolean {
  const stoppedAt = deadline.pausedAt ? new Date(deadline.pausedAt).getTime() : at.getTime();
  return stoppedAt <= new Date(deadline.dueAt).getTime();
}

/** The ladder steps of the case's running deadlines that are due at `now` and not yet done, in order. */
export function dueWork(config: CompiledConfig, caseState: CaseState, now: Date): DueStep[] {
  const out: DueStep[] = [];
  for (const deadline of caseState.deadlines) {
    if (deadline.pausedAt) continue;
    const due: DueStep[] = [];
    for (let index = deadline.ladderStep; due.length < MAX_STEPS_PER_SWEEP; index++) {
      const s = ladderStepAt(config, deadline, index);
      if (!s || s.at.getTime() > now.getTime()) break;
      due.push({
        deadlineId: deadline.id,
        kind: deadline.kind,
        index,
        at: s.at.toISOString(),
        step: s.step,
        superseded: false,
      });
    }
    due.forEach((d, i) => {
      const later = due.slice(i + 1);
      d.superseded =
        d.step.phase === "reminder"
          ? later.length > 0
          : later.some((l) => l.step.phase === "overdue" && l.step.position === (d.step as OverdueStep).position);
    });
    out.push(...due);
  }
  return out;
}

/** The next instant any step of the case's running deadlines becomes due, or null when none can. */
export function nextCheckAt(config: CompiledConfig, caseState: Pick<CaseState, "deadlines">): string | null {
  let next: number | undefined;
  for (const deadline of caseState.deadlines) {
    if (deadline.pausedAt) continue;
    const s = ladderStepAt(config, deadline, deadline.ladderStep);
    if (s && (next === undefined || s.at.getTime() < next)) next = s.at.getTime();
  }
  return next === undefined ? null : new Date(next).toISOString();
}
