// The "due and overdue" watch: open cases with a running deadline, most urgent first, and who is
// duty leader today. Everything through withTenant and the user's read rules.
import type { Deadline, Mode } from "#engine/case-state";
import type { CompiledConfig } from "#engine/config/index";
import { dutyDate, dutyLeaderOn, isDutyLeader } from "#engine/rota";
import { getTenantConfig } from "./config.server";
import { deadlineView, DUE_SOON_WORKING_DAYS, type DeadlineView } from "./deadlines.server";
import type { Db } from "./db.server";
import { accessibleCases } from "./permissions.server";
import type { TenantContext } from "./tenancy.server";
import { getDutyRota } from "./workflow.server";

export type DueFilter = "all" | "overdue" | "soon";

export function parseDueFilter(value: string | null): DueFilter {
  return value === "overdue" || value === "soon" ? value : "all";
}

export type DueRow = {
  id: string;
  number: string;
  title: string;
  state: string;
  workflowId: string;
  categoryId: string;
  gradeId: string;
  leadUnitId: string | null;
  openSheets: number;
  /** The most urgent running deadline. */
  deadline: DeadlineView;
};

/**
 * Open cases the user may read that have a running deadline (`Case.dueAt`, the earliest running
 * due instant), sorted by due. Working days are counted on each case's own config version and
 * policy calendar, so the filter runs here rather than in SQL; `take` bounds the scan.
 */
export async function listDueCases(
  db: Db,
  ctx: TenantContext,
  now: Date,
  filter: DueFilter = "all",
  take = 500,
): Promise<DueRow[]> {
  const rows = await ctx.db.transaction((tx) =>
    tx.case.findMany({
      where: {
        AND: [{ tenantId: ctx.tenant.id }, accessibleCases(ctx.ability), { dueAt: { not: null }, closedAt: null }],
      },
      orderBy: { dueAt: "asc" },
      take,
      select: {
        id: true,
        number: true,
        title: true,
        state: true,
        workflowId: true,
        categoryId: true,
        gradeId: true,
        leadUnitId: true,
        configVersion: true,
        deadlines: true,
        _count: { select: { sheets: { where: { status: "open" } } } },
      },
    }),
  );
  const configs = new Map<number, CompiledConfig>();
  const out: DueRow[] = [];
  for (const row of rows) {
    let compiled = configs.get(row.configVersion);
    if (!compiled) {
      compiled = (await getTenantConfig(db, ctx.tenant.id, row.configVersion))?.compiled ?? ctx.compiled;
      configs.set(row.configVersion, compiled);
    }
    const running = ((row.deadlines ?? []) as Deadline[])
      .filter((d) => !d.pausedAt)
      .map((d) => deadlineView(compiled, d, now));
    running.sort((a, b) => a.dueAt.localeCompare(b.dueAt));
    const deadline = running[0];
    if (!deadline) continue;
    if (filter === "overdue" && !deadline.overdue) continue;
    if (filter === "soon" && (deadline.overdue || deadline.workingDaysLeft > DUE_SOON_WORKING_DAYS)) continue;
    const { configVersion: _v, deadlines: _d, _count, ...rest } = row;
    out.push({ ...rest, openSheets: _count.sheets, deadline });
  }
  return out;
}

const supervisoryCache = new WeakMap<CompiledConfig, ReadonlySet<string>>();

/** Posts whose work is watching deadlines, read from the config: leadership, whoever may fire a
 * transition that issues sheets or talks, and whoever a deadline policy notifies or copies. */
export function supervisoryPosts(compiled: CompiledConfig): ReadonlySet<string> {
  // Asked on every township page (navigation); compiled configs are cached, so is this.
  let posts = supervisoryCache.get(compiled);
  if (!posts) supervisoryCache.set(compiled, (posts = findSupervisoryPosts(compiled)));
  return posts;
}

function findSupervisoryPosts(compiled: CompiledConfig): Set<string> {
  const posts = new Set<string>(compiled.leadershipPosts);
  const known = (id: unknown) => typeof id === "string" && compiled.posts.has(id);
  for (const workflow of compiled.workflows.values()) {
    for (const t of workflow.transitions ?? []) {
      if ((t.effects ?? []).some((e) => e.type === "supervision-sheet" || e.type === "principal-talk"))
        (t.by ?? []).filter(known).forEach((p) => posts.add(p));
    }
  }
  for (const policy of compiled.policies.values()) {
    for (const r of [...(policy.reminders ?? []), ...(policy.wartimeReminders ?? [])])
      (r.notify ?? []).filter(known).forEach((p) => posts.add(p));
    for (const step of policy.overdueLadder ?? []) {
      const params = (step.params ?? {}) as Record<string, unknown>;
      for (const key of ["to", "copy", "posts"])
        if (Array.isArray(params[key])) (params[key] as unknown[]).filter(known).forEach((p) => posts.add(p as string));
      if (known(params.principal)) posts.add(params.principal as string);
    }
  }
  return posts;
}

/** Whether the due/supervision screens belong in this user's navigation. */
export async function watchesDeadlines(db: Db, ctx: TenantContext, now: Date): Promise<boolean> {
  const supervisory = supervisoryPosts(ctx.compiled);
  if (ctx.membership.posts.some((p) => supervisory.has(p))) return true;
  const rota = await getDutyRota(db, ctx.tenant.id);
  return isDutyLeader(
    ctx.compiled,
    rota,
    { userId: ctx.user.id, posts: ctx.membership.posts },
    now,
    ctx.tenant.mode as Mode,
  );
}

export type DutyToday = { date: string; leaders: string[]; allLeadership: boolean; leadershipPosts: string[] };

/** Who is duty leader on today's duty date (handover time applied); in wartime, the whole leadership. */
export async function dutyLeaderToday(db: Db, ctx: TenantContext, now: Date): Promise<DutyToday> {
  const tenant = await db.tenant.findUniqueOrThrow({ where: { id: ctx.tenant.id }, select: { mode: true } });
  const rota = await getDutyRota(db, ctx.tenant.id);
  const on = dutyLeaderOn(ctx.compiled, rota, dutyDate(ctx.compiled, now), tenant.mode);
  const ids = new Set(on.userIds);
  const members = await ctx.db.transaction((tx) =>
    tx.membership.findMany({
      where: {
        tenantId: ctx.tenant.id,
        active: true,
        OR: [{ userId: { in: [...ids] } }, ...(on.allLeadership ? [{ posts: { hasSome: on.leadershipPosts } }] : [])],
      },
      select: { userId: true, user: { select: { displayName: true } } },
      orderBy: { createdAt: "asc" },
    }),
  );
  return {
    date: on.date,
    leaders: members.map((m) => m.user.displayName),
    allLeadership: on.allLeadership,
    leadershipPosts: on.leadershipPosts,
  };
}
