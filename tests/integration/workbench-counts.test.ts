// The workbench counts every tab in one SQL statement (ADR 034). These tests hold it to the
// per-tab Prisma counts it replaced, on real PostgreSQL under row-level security: for every
// member's workbenches and tabs, with search and list filters, with a deny rule before an allow,
// and for hand-written rule lists over every case column a permission can name.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Prisma } from "#app/generated/prisma/client";
import { reportCase } from "#app/server/cases.server";
import { caseWhereSql } from "#app/server/case-sql.server";
import { publishTownshipConfig } from "#app/server/config-publish.server";
import { accessibleCases, buildCaseAbility } from "#app/server/permissions.server";
import { transitionCase } from "#app/server/workflow.server";
import { caseWhere, loadWorkbench, type WorkbenchQuery } from "#app/server/workbench.server";
import type { RawRule } from "#engine/permissions";
import { tabFilter, workbenchesFor } from "#engine/views";
import { seededDatabase, teardown, validDispute, type Seeded } from "./helpers";

let s: Seeded;
let tenantId = "";
const LOGINS = [
  "east.routing",
  "east.director",
  "east.grid1",
  "east.grid3",
  "east.safety",
  "east.village",
  "east.admin",
];
// Monday 2026-03-02 10:00 in Shanghai, and later instants when deadlines have passed.
const T0 = new Date(Date.UTC(2026, 2, 2, 2));
const INSTANTS = [T0, new Date(T0.getTime() + 4 * 86400_000), new Date(T0.getTime() + 30 * 86400_000)];

beforeAll(async () => {
  s = await seededDatabase();
  tenantId = (await s.db.tenant.findUniqueOrThrow({ where: { code: "east-lake" } })).id;
  const report = async (login: string, summary: string) => {
    const r = await reportCase(
      await s.context(login),
      { categoryId: "dispute", data: { ...validDispute, summary } },
      T0,
    );
    if (!r.ok) throw new Error(JSON.stringify(r.refusal));
    return r.caseId;
  };
  const fire = async (id: string, steps: Array<[string, unknown, string?]>) => {
    for (const [transitionId, input, login = "east.routing"] of steps) {
      const row = await s.db.case.findUniqueOrThrow({ where: { id } });
      const r = await transitionCase(
        s.db,
        await s.context(login),
        id,
        { transitionId, input, expectedVersion: row.version },
        new Date(T0.getTime() + row.version * 60_000),
      );
      if (!r.ok) throw new Error(`${transitionId}: ${JSON.stringify(r)}`);
    }
  };
  const reporters = ["east.grid1", "east.grid3", "east.village", "east.grid1", "east.grid3", "east.village"];
  const ids: string[] = [];
  for (const [i, login] of reporters.entries()) ids.push(await report(login, `纠纷 ${i} 100%_x`));
  await fire(ids[1]!, [["triage", { gradeId: "general" }]]);
  await fire(ids[2]!, [
    ["triage", { gradeId: "general" }],
    ["dispatch", { leadUnitId: "platform-safety", assistUnitIds: ["police-station"] }],
  ]);
  await fire(ids[3]!, [
    ["triage", { gradeId: "general" }],
    ["dispatch", { leadUnitId: "police-station", assistUnitIds: ["platform-safety"] }],
  ]);
  await fire(ids[4]!, [
    ["triage", { gradeId: "general" }],
    ["dispatch", { leadUnitId: "platform-safety" }],
    ["accept", undefined, "east.safety"],
  ]);
  // An open supervision sheet on one case, a closed one on another.
  for (const [i, status] of [
    [2, "open"],
    [4, "closed"],
  ] as const) {
    await s.db.supervisionSheet.create({
      data: {
        tenantId,
        caseId: ids[i]!,
        number: `DB-${i}`,
        trigger: "manual",
        issuedAt: T0,
        toUnitIds: [],
        toUserIds: [],
        copyPosts: [],
        status,
        dedupeKey: `test-${i}`,
      },
    });
  }
  // Published after the cases moved, so the platform lead could still accept theirs.
  const v1 = await s.db.configVersion.findFirstOrThrow({ where: { tenantId }, orderBy: { version: "desc" } });
  const source = structuredClone(v1.source) as Record<string, unknown>;
  source.permissions = {
    $append: [
      // A deny before an allow (the later rule wins) and an allow before a deny.
      { posts: ["grid-worker"], action: "read", subject: "Case", scope: "township", inverted: true },
      { posts: ["grid-worker"], action: "read", subject: "Case", scope: "own" },
      { posts: ["platform-lead"], action: "read", subject: "Case", scope: "township" },
      { posts: ["platform-lead"], action: "read", subject: "Case", scope: "assigned", inverted: true },
    ],
  };
  const published = await publishTownshipConfig(s.db, source, { by: "test", now: new Date() });
  if (!published.ok) throw new Error(JSON.stringify(published));
});
afterAll(() => teardown(s));

type Ctx = Awaited<ReturnType<Seeded["context"]>>;

/** What the workbench showed before ADR 034: one Prisma count per tab, the total and the page. */
async function perTabPrisma(ctx: Ctx, workbench: string, query: WorkbenchQuery, now: Date) {
  const wb = workbenchesFor(ctx.compiled.config, ctx.membership.posts).find((w) => w.id === workbench)!;
  const tab = wb.tabs.find((t) => t.id === query.tab) ?? wb.tabs[0]!;
  const base = (t: typeof tab): Prisma.CaseWhereInput => ({
    AND: [{ tenantId: ctx.tenant.id }, accessibleCases(ctx.ability), caseWhere(tabFilter(t, ctx.actor, now))],
  });
  const narrow: Prisma.CaseWhereInput[] = [];
  if (query.q)
    narrow.push({ OR: [{ title: { contains: query.q, mode: "insensitive" } }, { number: { contains: query.q } }] });
  if (query.category) narrow.push({ categoryId: query.category });
  if (query.state) narrow.push({ state: query.state });
  return ctx.db.transaction(async (tx) => {
    const counts: number[] = [];
    for (const t of wb.tabs) counts.push(await tx.case.count({ where: base(t) }));
    const listWhere = { AND: [base(tab), ...narrow] };
    const total = await tx.case.count({ where: listWhere });
    const ids = (await tx.case.findMany({ where: listWhere, select: { id: true } })).map((r) => r.id).sort();
    return { counts, total, ids };
  });
}

describe("grouped tab counts", () => {
  it("equal the per-tab Prisma counts for every member, workbench, tab, filter and instant", async () => {
    let compared = 0;
    let nonZero = 0;
    for (const login of LOGINS) {
      const ctx = await s.context(login);
      for (const wb of workbenchesFor(ctx.compiled.config, ctx.membership.posts)) {
        for (const t of wb.tabs) {
          for (const now of INSTANTS) {
            for (const narrow of [
              {},
              { q: "纠纷" },
              { q: "100%_" },
              { q: "%" },
              { category: "dispute", state: "triage" },
            ]) {
              const query = { workbench: wb.id, tab: t.id, ...narrow };
              const got = await loadWorkbench(ctx, query, now, "zh-CN");
              const want = await perTabPrisma(ctx, wb.id, query, now);
              const label = `${login} ${wb.id}/${t.id} ${now.toISOString()} ${JSON.stringify(narrow)}`;
              expect(
                got.tabs.map((x) => x.count),
                label,
              ).toEqual(want.counts);
              expect(got.total, label).toBe(want.total);
              // Fewer than a page here, so the page is every listed case.
              expect(got.rows.map((r) => r.id).sort(), label).toEqual(want.ids);
              compared++;
              nonZero += want.counts.filter((n) => n > 0).length;
            }
          }
        }
      }
    }
    // The comparison covered real data, not only empty tabs.
    expect(compared).toBeGreaterThan(50);
    expect(nonZero).toBeGreaterThan(50);
  });

  it("a deny before an allow: a grid worker counts only the cases they reported", async () => {
    const ctx = await s.context("east.grid1");
    const own = await s.db.case.count({ where: { tenantId, reporterId: ctx.user.id } });
    const all = await s.db.case.count({ where: { tenantId } });
    const wb = await loadWorkbench(ctx, {}, T0, "zh-CN");
    expect(own).toBeLessThan(all);
    expect(wb.total).toBeLessThanOrEqual(own);
    expect(wb.rows.length).toBe(wb.total);
  });

  it("lists the view's columns only, with the reporter's name where the view shows it", async () => {
    const wb = await loadWorkbench(await s.context("east.routing"), { tab: "to-triage" }, T0, "zh-CN");
    expect(wb.rows.length).toBeGreaterThan(0);
    const row = wb.rows[0]!;
    expect(row.number).toMatch(/\d/);
    expect(row.createdAt).toBeInstanceOf(Date);
    expect(row).not.toHaveProperty("reporter"); // the command room's view has no reporter column
    expect(row).not.toHaveProperty("platformId");
  });
});

describe("a permission's Prisma filter as SQL", () => {
  const rule = (conditions: RawRule["conditions"], inverted = false): RawRule =>
    ({ action: "read", subject: "Case", conditions, ...(inverted ? { inverted } : {}) }) as RawRule;
  const t = () => ({ tenantId });
  // Built when a test runs, after the tenant exists.
  const ruleSets: Record<string, () => RawRule[]> = {
    none: () => [],
    township: () => [rule(t())],
    "deny before allow": () => [rule(t(), true), rule({ ...t(), orgUnitId: "grid-qiaotou-1" })],
    "allow then deny on a nullable column": () => [rule(t()), rule({ ...t(), leadUnitId: "platform-safety" }, true)],
    "allow then deny on the array column": () => [rule(t()), rule({ ...t(), assistUnitIds: "police-station" }, true)],
    "assigned, lead or assisting": () => [
      rule({ ...t(), leadUnitId: "police-station" }),
      rule({ ...t(), assistUnitIds: "police-station" }),
    ],
    "lists, one empty": () => [
      rule({ ...t(), orgUnitId: { $in: ["grid-qiaotou-1", "grid-shanxia-1"] } }),
      rule({ ...t(), platformId: { $in: [] } }),
      rule({ ...t(), assistUnitIds: { $in: ["platform-safety"] } }, true),
    ],
    "two conditions in one deny": () => [
      rule(t()),
      rule({ ...t(), leadUnitId: "platform-safety", orgUnitId: "grid-qiaotou-1" }, true),
    ],
  };
  it.each(Object.keys(ruleSets))("%s: the same count as Prisma", async (name) => {
    const ability = buildCaseAbility(ruleSets[name]!());
    const where = { AND: [{ tenantId }, accessibleCases(ability)] };
    const ctx = await s.context("east.routing");
    const [prisma, sql] = await ctx.db.transaction(async (tx) => [
      await tx.case.count({ where }),
      (
        await tx.$queryRaw<Array<{ n: number }>>`SELECT COUNT(*)::int AS n FROM "Case" c WHERE ${caseWhereSql(where)}`
      )[0]!.n,
    ]);
    expect(sql).toBe(prisma);
  });

  it("refuses a field or an operator it does not know instead of guessing", () => {
    expect(() => caseWhereSql({ data: { equals: {} } } as Prisma.CaseWhereInput)).toThrow(/data/);
    expect(() => caseWhereSql({ state: { startsWith: "r" } })).toThrow(/startsWith/);
  });
});
