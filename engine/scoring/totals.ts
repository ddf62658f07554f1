// Totals, rankings and ratings.
import type { OrgUnitGroup, TownshipConfig } from "#schemas/township-config";
import type { Text } from "#engine/i18n";
import { unitGroup } from "#engine/org";
import type { MemberLike, ScoreLineLike, ScoreTarget } from "./lines";
import { inPeriod, type PeriodLike } from "./periods";
import { type RatingLevel, type Ratings, round } from "./shared";

export type TargetGroup = OrgUnitGroup | "user";
export type TargetInfo = ScoreTarget & { group: TargetGroup };

/** Everyone a township scores: its units by group, and its members. */
export function scoringTargets(config: TownshipConfig, members: readonly MemberLike[] = []): TargetInfo[] {
  const units = (config.org?.units ?? []).map(
    (u): TargetInfo => ({ kind: "unit", id: u.id, group: unitGroup(u.kind) }),
  );
  const users = [...new Set(members.map((m) => m.userId))]
    .sort()
    .map((id): TargetInfo => ({ kind: "user", id, group: "user" }));
  return [...units, ...users];
}

export type Total = {
  target: ScoreTarget;
  group: TargetGroup;
  /** The period's key, when rolled up for a period. */
  period?: string;
  /** The base plus the points. */
  score: number;
  points: number;
  additions: number;
  deductions: number;
  lines: number;
};

export type RollupOptions = {
  /** Every target starts from it (scoring.base); default 0. */
  base?: number;
  /** Targets to include even without lines (they score the base), with their group. */
  targets?: readonly TargetInfo[];
  /** Only lines in this period count. */
  period?: PeriodLike;
};

const targetKey = (t: ScoreTarget) => `${t.kind}:${t.id}`;

/** Totals per target (for a period); targets not in `targets` are grouped as unit or user. */
export function rollup(lines: readonly ScoreLineLike[], options: RollupOptions = {}): Total[] {
  const base = options.base ?? 0;
  const periodKey = options.period?.key;
  const totals = new Map<string, Total>();
  const totalOf = (target: ScoreTarget, group: TargetGroup) => {
    const key = targetKey(target);
    let t = totals.get(key);
    if (!t) {
      t = {
        target: { kind: target.kind, id: target.id },
        group,
        ...(periodKey ? { period: periodKey } : {}),
        score: base,
        points: 0,
        additions: 0,
        deductions: 0,
        lines: 0,
      };
      totals.set(key, t);
    }
    return t;
  };
  for (const t of options.targets ?? []) totalOf(t, t.group);
  for (const line of lines) {
    if (options.period && !inPeriod(options.period, line.at)) continue;
    const t = totalOf(line.target, line.target.kind === "user" ? "user" : "unit");
    t.points = round(t.points + line.points);
    if (line.points > 0) t.additions = round(t.additions + line.points);
    else t.deductions = round(t.deductions + line.points);
    t.lines++;
    t.score = round(base + t.points);
  }
  return [...totals.values()].sort(
    (a, b) => a.group.localeCompare(b.group) || targetKey(a.target).localeCompare(targetKey(b.target)),
  );
}

export type Ranked = Total & { rank: number };

/** Highest score first; equal scores share a rank and the next rank skips (1, 2, 2, 4); ties listed by target. */
export function rank(totals: readonly Total[]): Ranked[] {
  const sorted = [...totals].sort(
    (a, b) => b.score - a.score || targetKey(a.target).localeCompare(targetKey(b.target)),
  );
  let previous: Ranked | undefined;
  return sorted.map((t, i) => {
    const r: Ranked = { ...t, rank: previous && previous.score === t.score ? previous.rank : i + 1 };
    previous = r;
    return r;
  });
}

export type Rated = Total & { level: string; levelName: Text };

/** The level of each total: the first whose `min` the score reaches, else the last (no `min`). */
export function rate(totals: readonly Total[], levels: readonly RatingLevel[]): Rated[] {
  if (!levels.length) return [];
  const last = levels[levels.length - 1]!;
  return totals.map((t) => {
    const level = levels.find((l) => l.min === undefined || t.score >= l.min) ?? last;
    return { ...t, level: level.level, levelName: level.name };
  });
}

/** 三色管理: grids rated by scoring.ratings.grid (green / yellow / red). */
export function rateGrids(totals: readonly Total[], ratings: Ratings | undefined): Rated[] {
  return rate(
    totals.filter((t) => t.group === "grid"),
    ratings?.grid ?? [],
  );
}
