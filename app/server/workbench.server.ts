// The workbench (工作台): the user's workbench from the config's views, each tab's count, and one
// tab's page of cases with search and filters. Every query is AND-ed with the user's read rules.
import { columnsOf, tabFilter, workbenchesFor, workbenchFor, type CaseFilter, type ViewColumn } from "#engine/views";
import { pickText, type Locale } from "#engine/i18n";
import type { Prisma } from "#app/generated/prisma/client";
import { requirePage } from "./params.server";
import { accessibleCases } from "./permissions.server";
import type { TenantContext } from "./tenancy.server";

const WORKBENCH_PAGE_SIZE = 20;

/** A filter description from the engine as a Prisma filter on Case. */
function caseWhere(f: CaseFilter): Prisma.CaseWhereInput {
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

const rowSelect = {
  id: true,
  number: true,
  title: true,
  workflowId: true,
  categoryId: true,
  gradeId: true,
  platformId: true,
  state: true,
  orgUnitId: true,
  leadUnitId: true,
  dueAt: true,
  createdAt: true,
  reporter: { select: { displayName: true } },
} as const;

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
      rows: [],
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

  return ctx.db.transaction(async (tx) => {
    const counts: number[] = [];
    for (const t of wb.tabs) counts.push(await tx.case.count({ where: base(tabFilter(t, ctx.actor, now)) }));
    const total = await tx.case.count({ where: listWhere });
    const rows = await tx.case.findMany({
      where: listWhere,
      // Due work first when the tab is about deadlines; otherwise newest first.
      orderBy: tab.filter.due ? [{ dueAt: "asc" }, { createdAt: "desc" }] : [{ createdAt: "desc" }],
      take: WORKBENCH_PAGE_SIZE,
      skip: (page - 1) * WORKBENCH_PAGE_SIZE,
      select: rowSelect,
    });
    return {
      workbench: { id: wb.id, name: pickText(wb.name, locale) },
      others,
      tabs: wb.tabs.map((t, i) => ({ id: t.id, name: pickText(t.name, locale), count: counts[i] ?? 0 })),
      activeTab: tab.id,
      columns: [...columnsOf(wb)],
      rows,
      total,
      page,
      pageSize: WORKBENCH_PAGE_SIZE,
    };
  });
}
