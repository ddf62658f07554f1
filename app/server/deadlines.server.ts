// How a running deadline looks on a screen: due instant, working days left on the case's own
// policy calendar (holidays and 调休 make-up days included), and a colour for the eye; and what a
// changed calendar would do to the open cases' deadlines (docs/decisions/016).
import { workingDaysBetween } from "#engine/calendar";
import type { Deadline } from "#engine/case-state";
import type { CompiledConfig } from "#engine/config/index";
import { deadlineImpact, withRunningCalendars, type DeadlineShift, type RunningCase } from "#engine/deadline-impact";
import { getConfigVersion } from "./config.server";
import type { Client } from "./db.server";

/** Up to this many working days left, a deadline shows orange ("due soon"). */
export const DUE_SOON_WORKING_DAYS = 2;

type DeadlineColour = "green" | "orange" | "red" | "grey";

export type DeadlineView = {
  id: string;
  kind: string;
  startedAt: string;
  dueAt: string;
  paused: boolean;
  /** Working days left (negative when overdue; 0 on the due date); a paused clock counts at its pause. */
  workingDaysLeft: number;
  overdue: boolean;
  /** Whole working days past the due date (0 when overdue on the due date itself, or not overdue). */
  overdueWorkingDays: number;
  colour: DeadlineColour;
};

/** green: more than 2 working days left; orange: 2 or fewer; red: overdue; grey: paused. */
export function deadlineView(compiled: CompiledConfig, deadline: Deadline, now: Date): DeadlineView {
  const policy = compiled.policies.get(deadline.policyId);
  const calendar = compiled.calendar(policy?.calendar);
  const due = new Date(deadline.dueAt);
  const at = deadline.pausedAt ? new Date(deadline.pausedAt) : now;
  const workingDaysLeft = workingDaysBetween(calendar, at, due);
  const overdue = at.getTime() > due.getTime();
  const paused = deadline.pausedAt !== undefined;
  return {
    id: deadline.id,
    kind: deadline.kind,
    startedAt: deadline.startedAt,
    dueAt: deadline.dueAt,
    paused,
    workingDaysLeft,
    overdue,
    overdueWorkingDays: overdue ? Math.max(0, -workingDaysLeft) : 0,
    colour: paused ? "grey" : overdue ? "red" : workingDaysLeft <= DUE_SOON_WORKING_DAYS ? "orange" : "green",
  };
}

/** All of a case's deadlines as views, running ones first, each group by due instant. */
export function deadlineViews(compiled: CompiledConfig, deadlines: readonly Deadline[], now: Date): DeadlineView[] {
  return deadlines
    .map((d) => deadlineView(compiled, d, now))
    .sort((a, b) => Number(a.paused) - Number(b.paused) || a.dueAt.localeCompare(b.dueAt));
}

export type OpenCase = {
  id: string;
  number: string;
  title: string;
  version: number;
  configVersion: number;
  deadlines: Deadline[];
  nextCheckAt: Date | null;
  /** The config the case is timed with once the draft is published. */
  after: CompiledConfig;
};

/**
 * The tenant's open cases with deadlines, and what timing them with `draft`'s calendars instead of
 * `current`'s (the latest published version) does to their due instants. The preview and the
 * publish both call this, in their own transaction (`client`), so preview == outcome.
 */
export async function openCaseImpact(
  client: Client,
  tenantId: string,
  current: CompiledConfig,
  draft: CompiledConfig,
  now: Date,
): Promise<{ cases: OpenCase[]; shifts: DeadlineShift[] }> {
  const rows = await client.case.findMany({
    where: { tenantId, closedAt: null },
    orderBy: { number: "asc" },
    select: {
      id: true,
      number: true,
      title: true,
      version: true,
      configVersion: true,
      deadlines: true,
      nextCheckAt: true,
    },
  });
  const owns = new Map<number, CompiledConfig>();
  const cases: OpenCase[] = [];
  const running: RunningCase[] = [];
  for (const row of rows) {
    const deadlines = (row.deadlines ?? []) as Deadline[];
    if (!deadlines.length) continue;
    let own = owns.get(row.configVersion);
    if (!own) {
      const found = await getConfigVersion(client, tenantId, row.configVersion);
      if (!found) throw new Error(`Case ${row.id}: config version ${row.configVersion} is missing`);
      owns.set(row.configVersion, (own = found.compiled));
    }
    const after = withRunningCalendars(own, draft);
    cases.push({ ...row, deadlines, after });
    running.push({ id: row.id, deadlines, before: withRunningCalendars(own, current), after });
  }
  return { cases, shifts: deadlineImpact(running, now) };
}
