// Attack matrix, generated from the seeded configs: every tenant route × every demo user (each post
// and org place) × cases of other grids, villages, platforms and townships. The oracle is the
// engine's ability for that user; the HTTP layer must agree with it exactly: status, body and counts.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { prepareConfig } from "#engine/config/index";
import { compileTownshipConfig } from "#app/server/config.server";
import { buildAbility, caseSubject, rulesFor } from "#engine/permissions";
import { createPrisma, type Db } from "#app/server/db.server";
import { loadDemoSeed } from "#app/server/seed.server";
import { templateLookupFromDir } from "#app/server/tenant-files.server";
import { HttpSession, startAppOn, type AppProcess } from "#tests/setup/app-process";
import { createTestDatabase, type TestDatabase } from "#tests/setup/services";

const { seed, townships } = loadDemoSeed("tenants");
const lookup = templateLookupFromDir("tenants/templates");
const compiled = new Map(
  townships.map(({ source }) => {
    const prepared = prepareConfig(source, lookup);
    if (!prepared.ok) throw new Error("demo config invalid");
    return [prepared.config.id, compileTownshipConfig(prepared.config)];
  }),
);

const reports: Array<{ login: string; town: string; categoryId: string; data: Record<string, unknown> }> = [
  {
    login: "east.grid1",
    town: "east-lake",
    categoryId: "dispute",
    data: { summary: "桥头一组邻里纠纷", parties: 2, location: "桥头村1组", partyPhone: "13900002222" },
  },
  {
    login: "east.grid3",
    town: "east-lake",
    categoryId: "safety-hazard",
    data: { summary: "山下村危房隐患", hazardType: "房屋", location: "山下村3号" },
  },
  { login: "east.routing", town: "east-lake", categoryId: "public-service", data: { summary: "老人办理社保咨询" } },
  { login: "west.grid1", town: "west-hill", categoryId: "market-complaint", data: { summary: "农贸市场缺斤少两" } },
  {
    login: "west.routing",
    town: "west-hill",
    categoryId: "dispute",
    data: { summary: "西山社区停车纠纷", parties: 4, location: "西山社区北门" },
  },
];

let database: TestDatabase;
let db: Db;
let app: AppProcess;
const sessions = new Map<string, HttpSession>();
type CaseRow = {
  id: string;
  number: string;
  tenantId: string;
  orgUnitId: string;
  platformId: string;
  categoryId: string;
  reporterId: string;
  title: string;
  town: string;
};
let cases: CaseRow[] = [];
const tenantCode = new Map<string, string>();

beforeAll(async () => {
  database = await createTestDatabase();
  app = await startAppOn(database);
  db = createPrisma(database.url, database.kind === "pglite");
  for (const u of seed.users) {
    const http = new HttpSession(app.url);
    await http.login(u.login);
    sessions.set(u.login, http);
  }
  for (const r of reports) {
    const res = await sessions
      .get(r.login)!
      .post(`/t/${r.town}/report`, { payload: JSON.stringify({ categoryId: r.categoryId, data: r.data }) });
    if (res.status !== 302) throw new Error(`${r.login} could not report: ${res.status} ${await res.text()}`);
  }
  for (const t of await db.tenant.findMany()) tenantCode.set(t.id, t.code);
  cases = (await db.case.findMany({ orderBy: { number: "asc" } })).map((c) => ({
    ...c,
    town: tenantCode.get(c.tenantId)!,
  }));
});
afterAll(async () => {
  await db?.$disconnect();
  await app?.stop();
  await database?.drop();
});

async function expectedVisible(login: string, town: string): Promise<Set<string>> {
  const user = await db.user.findUniqueOrThrow({ where: { login } });
  const membership = await db.membership.findFirst({ where: { userId: user.id, tenant: { code: town } } });
  if (!membership) return new Set();
  const ability = buildAbility(
    rulesFor(compiled.get(town)!, {
      userId: user.id,
      tenantId: membership.tenantId,
      unitId: membership.unitId,
      posts: membership.posts,
    }),
  );
  return new Set(cases.filter((c) => ability.can("read", caseSubject(c))).map((c) => c.id));
}

const towns = [...compiled.keys()];
const matrix = seed.users.flatMap((u) => towns.map((town) => [u.login, town] as const));

describe("attack matrix", () => {
  it("has cases in several grids, villages, platforms and both townships to attack", () => {
    expect(new Set(cases.map((c) => c.orgUnitId)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(cases.map((c) => c.platformId)).size).toBeGreaterThanOrEqual(3);
    expect(new Set(cases.map((c) => c.town)).size).toBe(2);
  });

  it.each(matrix)("%s in %s: detail pages open exactly the cases the rules allow", async (login, town) => {
    const visible = await expectedVisible(login, town);
    const http = sessions.get(login)!;
    for (const c of cases) {
      const res = await http.request(`/t/${town}/cases/${c.id}`);
      const body = await res.text();
      const allowed = visible.has(c.id);
      expect({ case: c.number, town: c.town, status: res.status }).toEqual({
        case: c.number,
        town: c.town,
        status: allowed ? 200 : 404,
      });
      if (!allowed) expect(body).not.toContain(c.title);
    }
  });

  it.each(matrix)("%s in %s: the list and its count show exactly the allowed cases", async (login, town) => {
    const visible = await expectedVisible(login, town);
    const res = await sessions.get(login)!.request(`/t/${town}`);
    const isMember = seed.users.find((u) => u.login === login)!.memberships.some((m) => m.township === town);
    expect(res.status).toBe(isMember ? 200 : 404);
    const body = await res.text();
    for (const c of cases)
      expect(body.includes(c.title), `${c.number} in ${login}'s list of ${town}`).toBe(visible.has(c.id));
    if (isMember) expect(body).toContain(visible.size ? `共 ${visible.size} 件` : "暂无事件");
  });

  it.each(seed.users.map((u) => [u.login]))(
    "%s cannot reach a township they do not belong to, or guessed ids",
    async (login) => {
      const http = sessions.get(login)!;
      const mine = new Set(seed.users.find((u) => u.login === login)!.memberships.map((m) => m.township));
      for (const town of towns.filter((t) => !mine.has(t))) {
        for (const path of [`/t/${town}`, `/t/${town}/report`, `/t/${town}/cases/${cases[0]!.id}`]) {
          expect((await http.request(path)).status, path).toBe(404);
        }
        const post = await http.post(`/t/${town}/report`, {
          payload: JSON.stringify({ categoryId: "dispute", data: reports[0]!.data }),
        });
        expect(post.status).toBe(404);
      }
      const town = [...mine][0]!;
      for (const id of ["00000000-0000-0000-0000-000000000000", "not-a-uuid", "' OR '1'='1"]) {
        expect((await http.request(`/t/${town}/cases/${encodeURIComponent(id)}`)).status).toBe(404);
      }
    },
  );

  it("changing hidden form fields cannot move a case to another unit, reporter or township", async () => {
    const http = sessions.get("east.grid1")!;
    const west = await db.tenant.findUniqueOrThrow({ where: { code: "west-hill" } });
    const forged = {
      ...reports[0]!.data,
      summary: "伪造字段测试事件",
      tenantId: west.id,
      orgUnitId: "grid-shanxia-1",
      reporterId: "00000000-0000-0000-0000-000000000000",
    };
    const res = await http.post("/t/east-lake/report", {
      payload: JSON.stringify({ categoryId: "dispute", data: forged, tenantId: west.id, orgUnitId: "grid-shanxia-1" }),
    });
    expect(res.status).toBe(302);
    const saved = await db.case.findFirstOrThrow({ where: { title: "伪造字段测试事件" }, include: { reporter: true } });
    expect(tenantCode.get(saved.tenantId)).toBe("east-lake");
    expect(saved.orgUnitId).toBe("grid-qiaotou-1");
    expect(saved.reporter.login).toBe("east.grid1");
  });

  it("replaying a request after logout is refused and saves nothing", async () => {
    const http = new HttpSession(app.url);
    await http.login("east.grid1");
    const jar = (http as unknown as { cookies: Map<string, string> }).cookies;
    const cookie = jar.get("gw_session")!;
    await http.post("/logout", {});
    jar.set("gw_session", cookie);
    const before = await db.case.count();
    const res = await http.post("/t/east-lake/report", {
      payload: JSON.stringify({ categoryId: "dispute", data: { ...reports[0]!.data, summary: "注销后重放" } }),
    });
    expect(res.status).toBe(302);
    expect(res.headers.get("location")).toMatch(/^\/login/);
    expect(await db.case.count()).toBe(before);
  });
});
