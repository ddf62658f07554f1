// What a changed working-day calendar does to running deadlines (docs/decisions/016).
//
// A calendar says which days are worked: a fact a later config version corrects (a holiday
// announced late, a forgotten 调休 Saturday), not a rule a case keeps. So a running case is timed
// with its own version's rules and the latest published calendars (`withRunningCalendars`), and
// publishing a changed calendar re-times its running working-day deadlines (`deadlineImpact`).
// Changed durations are rules: they apply to cases reported after publishing, never to running ones.
// The config editor's preview and the publish both call `deadlineImpact`, so preview == outcome.
//
// Pure: time comes in as `now`.
import {
  addDuration,
  dayNumber,
  endOfLocalDay,
  isWorkingDay,
  isoDate,
  workingDaysBetween,
  type WorkingCalendar,
} from "./calendar";
import { localDate } from "./time";
import type { Deadline } from "./case-state";
import type { CompiledConfig } from "./config/compile";
import { deadlineMet } from "./supervision";

/**
 * The config a running case is timed with: `own` (the version the case was reported under: its
 * workflow, policies, ladders) with the calendars of `latest`. A calendar id `latest` no longer
 * has keeps `own`'s definition, so an old case never loses its calendar.
 */
export function withRunningCalendars(own: CompiledConfig, latest: CompiledConfig): CompiledConfig {
  if (own === latest) return own;
  const latestCalendars = latest.config.calendars ?? {};
  return {
    ...own,
    config: { ...own.config, calendars: { ...(own.config.calendars ?? {}), ...latestCalendars } },
    calendar: (id) => (id !== undefined && Object.hasOwn(latestCalendars, id) ? latest.calendar(id) : own.calendar(id)),
  };
}

/** One running deadline whose due instant publishing moves. */
export type DeadlineShift = {
  caseId: string;
  deadlineId: string;
  kind: string;
  policyId: string;
  /** A paused clock: its frozen due moves, and a resume extends from there as always. */
  paused: boolean;
  fromDueAt: string;
  toDueAt: string;
  /** Working days later (> 0) or earlier (< 0), counted on the new calendar. */
  workingDays: number;
};

export type RunningCase = {
  id: string;
  deadlines: readonly Deadline[];
  /** The config the case is timed with now: `withRunningCalendars(own, current latest)`. */
  before: CompiledConfig;
  /** The config it is timed with once the draft is published: `withRunningCalendars(own, draft)`. */
  after: CompiledConfig;
};

function calendarsOf(
  before: CompiledConfig,
  after: CompiledConfig,
  deadline: Deadline,
): [WorkingCalendar, WorkingCalendar] | undefined {
  // The case's own policy names the calendar in both: a draft's policy edits are not its rules.
  const policy = before.policies.get(deadline.policyId);
  if (!policy) return undefined;
  return [before.calendar(policy.calendar), after.calendar(policy.calendar)];
}

/** Whether any local date in (from, to] is worked on one calendar and not on the other. */
function differsBetween(a: WorkingCalendar, b: WorkingCalendar, from: string, to: string): boolean {
  for (let d = dayNumber(from) + 1, end = dayNumber(to); d <= end; d++) {
    const iso = isoDate(d);
    if (isWorkingDay(a, iso) !== isWorkingDay(b, iso)) return true;
  }
  return false;
}

/**
 * The due instant a running deadline gets on the calendar of `after`, or undefined when it stays.
 * - Only working-day deadlines move: hours, calendar days and dates a dispatcher chose do not
 *   depend on the calendar.
 * - An overdue deadline (not met at `now`, or at its pause) stays: sheets were issued and points
 *   deducted on that due; moving it would contradict them.
 * - It keeps the working days it had from its start (the day of start never counts, as in
 *   addDuration), now counted on the new calendar, so a day off added inside the window moves it
 *   later and a make-up working day moves it earlier. Only days between its start and its due
 *   matter; a deadline with none changed stays exactly as it is.
 * - A correction never makes a case overdue at once: a due that would move before the end of
 *   today (of the pause day, when paused) moves to the end of that day instead.
 */
export function retimedDueAt(
  before: CompiledConfig,
  after: CompiledConfig,
  deadline: Deadline,
  now: Date,
): Date | undefined {
  if (deadline.unit !== "working-days" || !deadlineMet(deadline, now)) return undefined;
  const calendars = calendarsOf(before, after, deadline);
  if (!calendars) return undefined;
  const [oldCal, newCal] = calendars;
  if (oldCal === newCal) return undefined;
  const start = new Date(deadline.startedAt);
  const due = new Date(deadline.dueAt);
  const zone = after.defaults.timeZone;
  if (!differsBetween(oldCal, newCal, localDate(zone, start), localDate(zone, due))) return undefined;
  const workingDays = workingDaysBetween(oldCal, start, due);
  if (workingDays < 0) return undefined;
  const floor = endOfLocalDay(zone, localDate(zone, deadline.pausedAt ? new Date(deadline.pausedAt) : now)).getTime();
  const next = Math.max(addDuration(newCal, start, { amount: workingDays, unit: "working-days" }).getTime(), floor);
  return next === due.getTime() ? undefined : new Date(next);
}

/**
 * Every running deadline of the given open cases whose due instant changes when the cases are
 * timed with `after` instead of `before`, with the old and new due; unchanged ones are left out.
 */
export function deadlineImpact(cases: readonly RunningCase[], now: Date): DeadlineShift[] {
  const out: DeadlineShift[] = [];
  for (const c of cases) {
    for (const deadline of c.deadlines) {
      const next = retimedDueAt(c.before, c.after, deadline, now);
      if (!next) continue;
      const [, newCal] = calendarsOf(c.before, c.after, deadline)!;
      out.push({
        caseId: c.id,
        deadlineId: deadline.id,
        kind: deadline.kind,
        policyId: deadline.policyId,
        paused: deadline.pausedAt !== undefined,
        fromDueAt: deadline.dueAt,
        toDueAt: next.toISOString(),
        workingDays: workingDaysBetween(newCal, new Date(deadline.dueAt), next),
      });
    }
  }
  return out;
}

/** A case's deadlines with the shifts of `deadlineImpact` applied (ladder progress kept: nothing is sent again). */
export function applyShifts(
  caseId: string,
  deadlines: readonly Deadline[],
  shifts: readonly DeadlineShift[],
): Deadline[] {
  const moved = new Map(shifts.filter((s) => s.caseId === caseId).map((s) => [s.deadlineId, s.toDueAt]));
  return deadlines.map((d) => (moved.has(d.id) ? { ...d, dueAt: moved.get(d.id)! } : d));
}
