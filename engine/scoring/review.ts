// Periodic review (复盘): figures and reports for a township and the county.
import type { TownshipConfig } from "#schemas/township-config";
import type { Fact, FactName } from "./facts";
import type { MemberLike, ScoreLineLike } from "./lines";
import { inPeriod, type Period, type PeriodLike } from "./periods";
import { round } from "./shared";
import { rank, type Ranked, rate, type Rated, rollup, scoringTargets, type TargetGroup } from "./totals";

const rate01 = (part: number, whole: number) => (whole ? round(part / whole) : null);

export type PeriodFigures = {
  reported: number;
  closedOnTime: number;
  closedLate: number;
  /** Closed on time / closed, cases and tasks; null when nothing closed. */
  onTimeRate: number | null;
  overdue: number;
  returned: number;
  escalated: number;
  sheets: number;
  talks: number;
  revisits: number;
  satisfied: number;
  dissatisfied: number;
  /** Satisfied / revisits; null without revisits. */
  satisfactionRate: number | null;
  appealsUpheld: number;
  appealsRejected: number;
};

/** Counts of a period's facts, for the monthly review and the dashboards. */
export function periodFigures(facts: readonly Fact[], period: PeriodLike): PeriodFigures {
  const n: Partial<Record<FactName, number>> = {};
  for (const f of facts) if (inPeriod(period, f.at)) n[f.name] = (n[f.name] ?? 0) + 1;
  const c = (name: FactName) => n[name] ?? 0;
  const onTime = c("case.closed-on-time") + c("task.completed-on-time");
  const late = c("case.closed-late") + c("task.completed-late");
  return {
    reported: c("case.reported"),
    closedOnTime: onTime,
    closedLate: late,
    onTimeRate: rate01(onTime, onTime + late),
    overdue: c("case.overdue"),
    returned: c("case.returned"),
    escalated: c("case.escalated"),
    sheets: c("supervision.sheet-issued"),
    talks: c("supervision.talk-ordered"),
    revisits: c("revisit.recorded"),
    satisfied: c("revisit.satisfied"),
    dissatisfied: c("revisit.dissatisfied"),
    satisfactionRate: rate01(c("revisit.satisfied"), c("revisit.recorded")),
    appealsUpheld: c("appeal.upheld"),
    appealsRejected: c("appeal.rejected"),
  };
}

export type PeriodReport = {
  period: Period;
  figures: PeriodFigures;
  /** Ranked totals per group of targets (platforms, villages, grids, units, people). */
  rankings: Partial<Record<TargetGroup, Ranked[]>>;
  /** Rated totals per group that has rating levels in config. */
  ratings: Partial<Record<TargetGroup, Rated[]>>;
};

/** A township's review of one period (复盘): figures, rankings per group, ratings. */
export function periodReport(
  config: TownshipConfig,
  input: { facts: readonly Fact[]; lines: readonly ScoreLineLike[]; period: Period; members?: readonly MemberLike[] },
): PeriodReport {
  const totals = rollup(input.lines, {
    base: config.scoring?.base ?? 0,
    targets: scoringTargets(config, input.members),
    period: input.period,
  });
  const rankings: Partial<Record<TargetGroup, Ranked[]>> = {};
  const ratings: Partial<Record<TargetGroup, Rated[]>> = {};
  for (const group of [...new Set(totals.map((t) => t.group))].sort()) {
    const ofGroup = totals.filter((t) => t.group === group);
    rankings[group] = rank(ofGroup);
    const levels = config.scoring?.ratings?.[group];
    if (levels) ratings[group] = rate(rankings[group], levels);
  }
  return { period: input.period, figures: periodFigures(input.facts, input.period), rankings, ratings };
}

export type CountyReport = {
  period: Period;
  /** One row per township, best on-time rate first (ties by tenant id). */
  townships: Array<{
    tenantId: string;
    figures: PeriodFigures;
    levels: Partial<Record<TargetGroup, Record<string, number>>>;
  }>;
  /** The townships' figures added up (rates recomputed from the sums). */
  figures: PeriodFigures;
};

/** The county's view of one period: its townships' reports side by side. */
export function countyReport(
  period: Period,
  townships: ReadonlyArray<{ tenantId: string; report: PeriodReport }>,
): CountyReport {
  const rows = townships.map(({ tenantId, report }) => {
    const levels: Partial<Record<TargetGroup, Record<string, number>>> = {};
    for (const [group, rated] of Object.entries(report.ratings) as Array<[TargetGroup, Rated[]]>) {
      const counts: Record<string, number> = {};
      for (const r of rated) counts[r.level] = (counts[r.level] ?? 0) + 1;
      levels[group] = counts;
    }
    return { tenantId, figures: report.figures, levels };
  });
  rows.sort(
    (a, b) => (b.figures.onTimeRate ?? -1) - (a.figures.onTimeRate ?? -1) || a.tenantId.localeCompare(b.tenantId),
  );
  const sum = (k: keyof PeriodFigures) => rows.reduce((s, r) => s + ((r.figures[k] as number | null) ?? 0), 0);
  const figures: PeriodFigures = {
    reported: sum("reported"),
    closedOnTime: sum("closedOnTime"),
    closedLate: sum("closedLate"),
    onTimeRate: rate01(sum("closedOnTime"), sum("closedOnTime") + sum("closedLate")),
    overdue: sum("overdue"),
    returned: sum("returned"),
    escalated: sum("escalated"),
    sheets: sum("sheets"),
    talks: sum("talks"),
    revisits: sum("revisits"),
    satisfied: sum("satisfied"),
    dissatisfied: sum("dissatisfied"),
    satisfactionRate: rate01(sum("satisfied"), sum("revisits")),
    appealsUpheld: sum("appealsUpheld"),
    appealsRejected: sum("appealsRejected"),
  };
  return { period, townships: rows, figures };
}
