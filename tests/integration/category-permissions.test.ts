// Who may report which category, over HTTP (issue 16 item 6, ADR 046): East Lake lets grid
// workers report disputes and hazards only. The report form offers a grid worker just those, a
// forbidden category's form does not open, and a forged POST is refused with a 403 in the
// person's language, with no case written.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { publishTownshipConfig } from "#app/server/config-publish.server";
import { HttpSession, startAppOn, type AppProcess } from "#tests/setup/app-process";
import { seededDatabase, teardown, validDispute, type Seeded, latestVersion } from "./helpers";

let s: Seeded;
let app: AppProcess;

beforeAll(async () => {
  s = await seededDatabase();
  const { source } = await latestVersion(s.db, "east-lake");
  const own = (source.permissions as { $append?: unknown[] } | undefined)?.$append ?? [];
  source.permissions = {
    $append: [
      ...own,
      // The template lets every member report; grid workers lose that, then get two categories back.
      { posts: ["grid-worker"], action: "create", subject: "Case", inverted: true },
      { posts: ["grid-worker"], action: "create", subject: "Case", categories: ["dispute", "safety-hazard"] },
      // And read a category-narrowed rule, so lists and the workbench's SQL filter on the category.
      { posts: ["grid-worker"], action: "read", subject: "Case", categories: ["public-service"], inverted: true },
    ],
  };
  const published = await publishTownshipConfig(s.db, source, { by: "test", now: new Date() });
  if (!published.ok) throw new Error(JSON.stringify(published));
  app = await startAppOn(s.database);
});
afterAll(async () => {
  await app?.stop();
  await teardown(s);
});

/** The category ids the report form's picker offers. */
async function offered(http: HttpSession) {
  const res = await http.request("/t/east-lake/report");
  expect(res.status).toBe(200);
  const select = /<select id="category"[\s\S]*?<\/select>/.exec(await res.text())?.[0] ?? "";
  return [...select.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]);
}

const forged = (http: HttpSession, categoryId: string, headers: Record<string, string> = {}) =>
  http.request("/t/east-lake/report", {
    method: "POST",
    headers,
    body: new URLSearchParams({ payload: JSON.stringify({ categoryId, data: { summary: "路灯不亮已一周" } }) }),
  });

const casesOf = async (login: string, categoryId: string) =>
  s.db.case.count({ where: { categoryId, reporter: { login }, tenant: { code: "east-lake" } } });

describe("a category-restricted grid worker", () => {
  it("is offered only the categories they may report; the command room all of them", async () => {
    expect(await offered(await HttpSession.as(app.url, "east.grid1"))).toEqual(["dispute", "safety-hazard"]);
    expect(await offered(await HttpSession.as(app.url, "east.routing"))).toEqual([
      "dispute",
      "safety-hazard",
      "public-service",
    ]);
  });

  it("does not get a forbidden category's form by naming it in the address", async () => {
    const http = await HttpSession.as(app.url, "east.grid1");
    const forbidden = await (await http.request("/t/east-lake/report?category=public-service")).text();
    expect(forbidden).not.toContain('data-testid="intake-form"');
    const allowed = await (await http.request("/t/east-lake/report?category=dispute")).text();
    expect(allowed).toContain('data-testid="intake-form"');
  });

  it.each([
    { lang: "zh-CN", says: "您无权上报“民生服务”类事件" },
    { lang: "en", says: "You may not report cases of category &quot;Public service&quot;" },
  ])("is refused a forged POST with a 403 that says why ($lang), and no case is written", async ({ lang, says }) => {
    const http = await HttpSession.as(app.url, "east.grid1");
    const res = await forged(http, "public-service", { "Accept-Language": lang });
    expect(res.status).toBe(403);
    expect(await res.text()).toContain(says);
    expect(await casesOf("east.grid1", "public-service")).toBe(0);
  });

  it("opens their list and workbench, whose queries filter on the category of a narrowed rule", async () => {
    const grid = await HttpSession.as(app.url, "east.grid1");
    expect((await grid.request("/t/east-lake")).status).toBe(200);
    expect((await grid.request("/t/east-lake/work")).status).toBe(200);
  });

  it("still reports a dispute, and the command room a public-service case", async () => {
    const grid = await HttpSession.as(app.url, "east.grid1");
    await grid.reportCase("east-lake", "dispute", validDispute);
    expect(await casesOf("east.grid1", "dispute")).toBe(1);
    const res = await forged(await HttpSession.as(app.url, "east.routing"), "public-service");
    expect(res.status).toBe(302);
    expect(await casesOf("east.routing", "public-service")).toBe(1);
  });
});
