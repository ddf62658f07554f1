// Workbenches from the config's `views`: which workbench a user gets, and what each tab lists as a
// plain filter description (no Prisma here). The server ANDs it with the user's read rules.
import { addLocalDays, localDate } from "./time";
import type { CompiledConfig } from "./config/compile";
import type { Actor } from "./permissions";
import type { VIEW_COLUMNS, TownshipConfig } from "#schemas/township-config";

type Views = NonNullable<TownshipConfig["views"]>;
export type Workbench = NonNullable<Views["workbenches"]>[number];
export type WorkbenchTab = Workbench["tabs"][number];
export type ViewColumn = (typeof VIEW_COLUMNS)[number];

/** "Due soon" means the due instant is within this many hours from now (不到2日件). */
const DUE_SOON_HOURS = 48;

export const DEFAULT_COLUMNS: readonly ViewColumn[] = [
  "number",
  "title",
  "category",
  "grade",
  "status",
  "orgUnit",
  "reporter",
  "reportedAt",
];

/** Every workbench naming one of `posts` (or "*"), in config order. */
export function workbenchesFor(config: TownshipConfig, posts: readonly string[]): Workbench[] {
  return (config.views?.workbenches ?? []).filter((wb) => wb.posts.some((p) => p === "*" || posts.includes(p)));
}

/** The user's workbench: the one with `id` if they may use it, else the first that names one of their posts. */
export function workbenchFor(config: TownshipConfig, posts: readonly string[], id?: string | null): Workbench | null {
  const mine = workbenchesFor(config, posts);
  return mine.find((wb) => wb.id === id) ?? mine[0] ?? null;
}

export function columnsOf(wb: Workbench): readonly ViewColumn[] {
  return wb.columns?.length ? wb.columns : DEFAULT_COLUMNS;
}

/**
 * What a tab lists, as plain conditions that must all hold. Instants are ISO strings so the
 * description is data (comparable in tests, serialisable).
 */
export type CaseFilter = {
  states?: string[];
  grades?: string[];
  categories?: string[];
  reporterId?: string;
  orgUnitId?: string;
  /** The case is dispatched to this unit, as lead or assisting unit. */
  assignedUnitId?: string;
  /** dueAt is set (a deadline is running), and within [dueFrom, dueBefore) when given. */
  hasDue?: true;
  dueFrom?: string;
  dueBefore?: string;
  /** true: has an open supervision sheet; false: has none. */
  supervised?: boolean;
};

export function tabFilter(
  tab: Pick<WorkbenchTab, "filter">,
  actor: Pick<Actor, "userId" | "unitId">,
  now: Date,
): CaseFilter {
  const f = tab.filter;
  const out: CaseFilter = {};
  if (f.states?.length) out.states = [...f.states];
  if (f.grades?.length) out.grades = [...f.grades];
  if (f.categories?.length) out.categories = [...f.categories];
  if (f.mine === "reported") out.reporterId = actor.userId;
  else if (f.mine === "unit") out.orgUnitId = actor.unitId;
  else if (f.mine === "assigned") out.assignedUnitId = actor.unitId;
  if (f.due) {
    out.hasDue = true;
    if (f.due === "overdue") out.dueBefore = now.toISOString();
    if (f.due === "soon") {
      out.dueFrom = now.toISOString();
      out.dueBefore = new Date(now.getTime() + DUE_SOON_HOURS * 3600_000).toISOString();
    }
  }
  if (f.supervised !== undefined) out.supervised = f.supervised;
  return out;
}

/** States that count as closed (办结) on dashboards: final states plus the config's `views.doneStates`. */
export function doneStates(compiled: Pick<CompiledConfig, "config" | "workflows">): string[] {
  const out = new Set(compiled.config.views?.doneStates ?? []);
  for (const wf of compiled.workflows.values()) {
    for (const [id, s] of Object.entries(wf.states)) if (s.final) out.add(id);
  }
  return [...out].sort();
}

/** A case's local day (YYYY-MM-DD) in the township's time zone, for daily trends. */
export const townshipDay = (zone: string, at: Date): string => localDate(zone, at);

/** The last `days` local days ending with `now`'s, oldest first. */
export function lastDays(zone: string, now: Date, days: number): string[] {
  const today = townshipDay(zone, now);
  return Array.from({ length: days }, (_, i) => addLocalDays(today, i - (days - 1)));
}
