// The workbench (工作台): the user's workbench from the config's views, each tab's count, and one
// tab's page of cases with search and filters. Every query is AND-ed with the user's read rules.
import {
  columnsOf,
  tabFilter,
  workbenchesFor,
  workbenchFor,
  type CaseFilter,
  type ViewColumn,
  type WorkbenchTab,
} from "#engine/views";
import { pickText, type Locale } from "#engine/i18n";
import { Prisma } from "#app/generated/prisma/client";
import { caseWhereSql } from "./case-sql.server";
import { requirePage } from "./params.server";
import { accessibleCases } from "./permissions.server";
import type { TenantContext } from "./tenancy.server";

const WORKBENCH_PAGE_SIZE = 20;

/** A filter description from the engine as a Prisma filter on Case. */
export function caseWhere(f: CaseFilter): Prisma.CaseWhereInput {
  const and: Prisma.CaseWhereInput[] = [];
  if (f.states) and.push({ state: { in: f.states } });
  if (f.grades) and.push({ gradeId: { in: f.grades } });
  if (f.categories) and.push({ categoryId: { in: f.categories } });
  if (f.reporterId) and.push({ reporterId: f.reporterId });
  if (f.orgUnitId) and.push({ orgUnitId: f.orgUnitId });
  if (f.assignedUnitId)
    and.push({ OR: [{ leadUnitId: f.assignedUnitId }, { assistUnitIds: { has: f.assignedUnitId } }] });
  if (f.hasDue || f.dueFrom || f.dueBefore) {
    and.push({
      dueAt: {
        not: null,
        ...(f.dueFrom ? { gte: new Date(f.dueFrom) } : {}),
        ...(f.dueBefore ? { lt: new Date(f.dueBefore) } : {}),
      },
    });
    // A running deadline on a closed case is not work any more.
    and.push({ closedAt: null });
  }
  if (f.supervised === true) and.push({ sheets: { some: { status: "open" } } });
  if (f.supervised === false) and.push({ sheets: { none: { status: "open" } } });
  return { AND: and };
}

export type WorkbenchQuery = {
  workbench?: string | null;
  tab?: string | null;
  q?: string | null;
  category?: string | null;
  grade?: string | null;
  state?: string | null;
  page?: number;
};

export function parseWorkbenchQuery(url: URL): WorkbenchQuery {
  const s = url.searchParams;
  return {
    workbench: s.get("wb"),
    tab: s.get("tab"),
    q: s.get("q"),
    category: s.get("category"),
    grade: s.get("grade"),
    state: s.get("state"),
    page: requirePage(s.get("page"), 1),
  };
}

/** The case columns each view column shows (the row's id is always read, for the link). */
const COLUMN_SQL: Record<ViewColumn, string> = {
  number: 'c."number"',
  title: 'c."title"',
  category: 'c."categoryId"',
  grade: 'c."gradeId"',
  status: 'c."workflowId", c."state"',
  orgUnit: 'c."orgUnitId"',
  platform: 'c."platformId"',
  reporter: 'u."displayName" AS "reporterName"',
  reportedAt: 'c."createdAt"',
  dueAt: 'c."dueAt"',
  leadUnit: 'c."leadUnitId"',
};

/** A listed case: only the fields of the workbench's columns are present. */
type WorkbenchRow = {
  id: string;
  number?: string;
  title?: string;
  workflowId?: string;
  categoryId?: string;
  gradeId?: string;
  platformId?: string;
  state?: string;
  orgUnitId?: string;
  leadUnitId?: string | null;
  dueAt?: Date | null;
  createdAt?: Date;
  reporter?: { displayName: string };
};

type RawRow = Omit<WorkbenchRow, "reporter"> & { reporterName?: string | null; counts: number[] };

export async function loadWorkbench(ctx: TenantContext, query: WorkbenchQuery, now: Date, locale: Locale) {
  const config = ctx.compiled.config;
  const wb = workbenchFor(config, ctx.membership.posts, query.workbench);
  const others = workbenchesFor(config, ctx.membership.posts).map((w) => ({
    id: w.id,
    name: pickText(w.name, locale),
  }));
  if (!wb)
    return {
      workbench: null,
      others,
      tabs: [],
      activeTab: null,
      columns: [] as ViewColumn[],
      rows: [] as WorkbenchRow[],
      total: 0,
      page: 1,
      pageSize: WORKBENCH_PAGE_SIZE,
    };
  const tab = wb.tabs.find((t) => t.id === query.tab) ?? wb.tabs[0]!;
  const read = accessibleCases(ctx.ability);
  const base = (f: CaseFilter): Prisma.CaseWhereInput => ({ AND: [{ tenantId: ctx.tenant.id }, read, caseWhere(f)] });

  // Search and the list filters narrow the open tab only; tab counts stay the tab's own totals.
  const narrow: Prisma.CaseWhereInput[] = [];
  const q = query.q?.trim().slice(0, 100);
  if (q) narrow.push({ OR: [{ title: { contains: q, mode: "insensitive" } }, { number: { contains: q } }] });
  if (query.category) narrow.push({ categoryId: query.category });
  if (query.grade) narrow.push({ gradeId: query.grade });
  if (query.state) narrow.push({ state: query.state });
  const listWhere: Prisma.CaseWhereInput = { AND: [base(tabFilter(tab, ctx.actor, now)), ...narrow] };
  const page = query.page ?? 1;

  // One statement: every tab's count and the list's total as COUNT(*) FILTER over the readable
  // cases, and the page, which carries the counts on each row (or on one empty row).
  const tenant = Prisma.sql`c."tenantId" = ${ctx.tenant.id}::uuid`;
  const readSql = caseWhereSql(read);
  const tabSql = (t: WorkbenchTab) => caseWhereSql(caseWhere(tabFilter(t, ctx.actor, now)));
  const countsSql = Prisma.join(
    [...wb.tabs.map(tabSql), Prisma.sql`${tabSql(tab)} AND ${caseWhereSql({ AND: narrow })}`].map(
      (w) => Prisma.sql`COUNT(*) FILTER (WHERE ${w})::int`,
    ),
    ", ",
  );
  const columns = columnsOf(wb);
  const selected = Prisma.raw(["c.id", ...columns.map((col) => COLUMN_SQL[col])].join(", "));
  const reporterJoin = columns.includes("reporter")
    ? Prisma.sql`LEFT JOIN "User" u ON u.id = c."reporterId"`
    : Prisma.empty;
  const order = tab.filter.due
    ? Prisma.sql`c."dueAt" ASC NULLS LAST, c."createdAt" DESC, c.id`
    : Prisma.sql`c."createdAt" DESC, c.id`;
  const listSql = caseWhereSql(listWhere);
  const raw = await ctx.db.transaction(
    (tx) => tx.$queryRaw<RawRow[]>`
      WITH counts AS (SELECT ARRAY[${countsSql}] AS counts FROM "Case" c WHERE ${tenant} AND ${readSql}),
      page AS (
        SELECT ${selected}, row_number() OVER (ORDER BY ${order}) AS ord
        FROM "Case" c ${reporterJoin}
        WHERE ${listSql}
        ORDER BY ${order}
        LIMIT ${WORKBENCH_PAGE_SIZE} OFFSET ${(page - 1) * WORKBENCH_PAGE_SIZE}
      )
      SELECT page.*, counts.counts FROM counts LEFT JOIN page ON TRUE ORDER BY page.ord`,
  );
  const counts = raw[0]?.counts ?? [];
  const rows: WorkbenchRow[] = raw
    .filter((r) => r.id !== null)
    .map(({ counts: _, ord: __, reporterName, ...r }: RawRow & { ord?: unknown }) =>
      columns.includes("reporter") ? { ...r, reporter: { displayName: reporterName ?? "" } } : r,
    );
  return {
    workbench: { id: wb.id, name: pickText(wb.name, locale) },
    others,
    tabs: wb.tabs.map((t, i) => ({ id: t.id, name: pickText(t.name, locale), count: counts[i] ?? 0 })),
    activeTab: tab.id,
    columns: [...columns],
    rows,
    total: counts[wb.tabs.length] ?? 0,
    page,
    pageSize: WORKBENCH_PAGE_SIZE,
  };
}
