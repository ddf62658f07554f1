// The big-screen dashboard (大屏): case counts by platform, grade and status, the on-time rate,
// overdue cases, open supervision sheets and a 30-day trend of reported vs closed. A township's
// figures only count what the user may read; a county's are per-township aggregate counts.
import { doneStates, lastDays, townshipDay } from "#engine/views";
import type { Prisma } from "#app/generated/prisma/client";
import type { Db } from "./db.server";
import { accessibleCases } from "./permissions.server";
import type { TenantContext } from "./tenancy.server";
import { countyTimeZone } from "./config.server";

const TREND_DAYS = 30;

type Count = { key: string; count: number };
type TrendPoint = { day: string; reported: number; closed: number };

export type DashboardFigures = {
  total: number;
  open: number;
  overdue: number;
  openSheets: number;
  byPlatform: Count[];
  byGrade: Count[];
  byState: Count[];
  /** Closed cases, and those of them none of whose deadlines was missed; rate null when none closed. */
  onTime: { closed: number; onTime: number; rate: number | null };
  trend: TrendPoint[];
};

const sorted = (rows: Array<{ key: string; count: number }>) =>
  rows.filter((r) => r.count > 0).sort((a, b) => b.count - a.count || a.key.localeCompare(b.key));

function trendOf(zone: string, now: Date, reported: Date[], closed: Date[]): TrendPoint[] {
  const days = lastDays(zone, now, TREND_DAYS);
  const points = new Map(days.map((day) => [day, { day, reported: 0, closed: 0 }]));
  for (const at of reported) {
    const p = points.get(townshipDay(zone, at));
    if (p) p.reported++;
  }
  for (const at of closed) {
    const p = points.get(townshipDay(zone, at));
    if (p) p.closed++;
  }
  return days.map((d) => points.get(d)!);
}

/**
 * Figures for one township as this user may see them. "Closed" means in a done state (final, or
 * listed in `views.doneStates`); a closed case is on time when none of the clocks stopped as done
 * on it was late. The engine records that per clock (`cleared[].met` on each transition's audit
 * entry), which is the truth: `Case.dueAt` is cleared when handling ends.
 */
export async function townshipDashboard(ctx: TenantContext, now: Date): Promise<DashboardFigures> {
  const done = doneStates(ctx.compiled);
  const readable: Prisma.CaseWhereInput = { AND: [{ tenantId: ctx.tenant.id }, accessibleCases(ctx.ability)] };
  const since = new Date(now.getTime() - TREND_DAYS * 86_400_000);
  return ctx.db.transaction(async (tx) => {
    const group = async (by: "platformId" | "gradeId" | "state") => {
      const rows = await tx.case.groupBy({ by: [by], where: readable, _count: { _all: true } });
      return sorted(rows.map((r) => ({ key: String((r as Record<string, unknown>)[by]), count: r._count._all })));
    };
    const byPlatform = await group("platformId");
    const byGrade = await group("gradeId");
    const byState = await group("state");
    const total = byState.reduce((n, r) => n + r.count, 0);
    const closedWhere: Prisma.CaseWhereInput = {
      AND: [readable, { OR: [{ state: { in: done } }, { closedAt: { not: null } }] }],
    };
    const closed = await tx.case.count({ where: closedWhere });
    const overdue = await tx.case.count({
      where: { AND: [readable, { closedAt: null, state: { notIn: done }, dueAt: { lt: now } }] },
    });
    const openSheets = await tx.supervisionSheet.count({
      where: { tenantId: ctx.tenant.id, status: "open", case: readable },
    });
    const late = await tx.auditEvent.findMany({
      where: {
        tenantId: ctx.tenant.id,
        type: "case.transition",
        case: closedWhere,
        data: { path: ["cleared"], array_contains: [{ reason: "done", met: false }] },
      },
      select: { caseId: true },
      distinct: ["caseId"],
    });
    const reported = await tx.case.findMany({
      where: { AND: [readable, { createdAt: { gte: since } }] },
      select: { createdAt: true },
    });
    const closings = done.length
      ? await tx.auditEvent.findMany({
          where: {
            tenantId: ctx.tenant.id,
            type: "case.transition",
            at: { gte: since },
            case: readable,
            OR: done.map((s) => ({ data: { path: ["to"], equals: s } })),
          },
          select: { at: true },
        })
      : [];
    return {
      total,
      open: total - closed,
      overdue,
      openSheets,
      byPlatform,
      byGrade,
      byState,
      onTime: { closed, onTime: closed - late.length, rate: closed ? (closed - late.length) / closed : null },
      trend: trendOf(
        ctx.compiled.defaults.timeZone,
        now,
        reported.map((r) => r.createdAt),
        closings.map((c) => c.at),
      ),
    };
  });
}

type CountyTownshipFigures = {
  code: string;
  name: string;
  nameEn: string | null;
  total: number;
  open: number;
  overdue: number;
  openSheets: number;
};
export type CountyDashboard = {
  townships: CountyTownshipFigures[];
  trend: TrendPoint[];
  totals: { total: number; open: number; overdue: number; openSheets: number };
};

/**
 * A county's view: counts per township only, no case content. Like listCountyTownships, it reads
 * through the owner connection with an explicit parent filter. "Open" here is `closedAt` unset
 * (townships' done states differ by config; closedAt is set on final states everywhere).
 */
export async function countyDashboard(db: Db, countyId: string, now: Date): Promise<CountyDashboard> {
  const townships = await db.tenant.findMany({
    where: { parentId: countyId, kind: "township" },
    select: { id: true, code: true, name: true, nameEn: true },
    orderBy: { code: "asc" },
  });
  const ids = townships.map((t) => t.id);
  const zone = await countyTimeZone(db, countyId);
  if (!ids.length)
    return {
      townships: [],
      trend: trendOf(zone, now, [], []),
      totals: { total: 0, open: 0, overdue: 0, openSheets: 0 },
    };
  const since = new Date(now.getTime() - TREND_DAYS * 86_400_000);
  const inCounty = { tenantId: { in: ids } };
  const [all, open, overdue, sheets, reported, closed] = await Promise.all([
    db.case.groupBy({ by: ["tenantId"], where: inCounty, _count: { _all: true } }),
    db.case.groupBy({ by: ["tenantId"], where: { ...inCounty, closedAt: null }, _count: { _all: true } }),
    db.case.groupBy({
      by: ["tenantId"],
      where: { ...inCounty, closedAt: null, dueAt: { lt: now } },
      _count: { _all: true },
    }),
    db.supervisionSheet.groupBy({ by: ["tenantId"], where: { ...inCounty, status: "open" }, _count: { _all: true } }),
    db.case.findMany({ where: { ...inCounty, createdAt: { gte: since } }, select: { createdAt: true } }),
    db.case.findMany({ where: { ...inCounty, closedAt: { gte: since } }, select: { closedAt: true } }),
  ]);
  const by = (rows: Array<{ tenantId: string; _count: { _all: number } }>) =>
    new Map(rows.map((r) => [r.tenantId, r._count._all]));
  const [allBy, openBy, overdueBy, sheetsBy] = [by(all), by(open), by(overdue), by(sheets)];
  const rows = townships.map((t) => ({
    code: t.code,
    name: t.name,
    nameEn: t.nameEn,
    total: allBy.get(t.id) ?? 0,
    open: openBy.get(t.id) ?? 0,
    overdue: overdueBy.get(t.id) ?? 0,
    openSheets: sheetsBy.get(t.id) ?? 0,
  }));
  const sum = (k: "total" | "open" | "overdue" | "openSheets") => rows.reduce((n, r) => n + r[k], 0);
  return {
    townships: rows,
    trend: trendOf(
      zone,
      now,
      reported.map((r) => r.createdAt),
      closed.flatMap((r) => (r.closedAt ? [r.closedAt] : [])),
    ),
    totals: { total: sum("total"), open: sum("open"), overdue: sum("overdue"), openSheets: sum("openSheets") },
  };
}
