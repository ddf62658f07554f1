// CASL's order over HTTP (ADR 029): a later rule wins, so a deny followed by an allow gives the
// allow, and the list, the case page and "who can see this case" all say so. A deny on the lead
// unit leaves the cases that have none yet.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportCase } from "#app/server/cases.server";
import { publishTownshipConfig } from "#app/server/config-publish.server";
import { transitionCase } from "#app/server/workflow.server";
import { HttpSession, startAppOn, type AppProcess } from "#tests/setup/app-process";
import { seededDatabase, teardown, validDispute, type Seeded, latestVersion } from "./helpers";

let s: Seeded;
let app: AppProcess;
let extra = 0;
const ids: Record<"own" | "neighbour" | "undispatched" | "dispatched", string> = {
  own: "",
  neighbour: "",
  undispatched: "",
  dispatched: "",
};
const titles = {
  own: "本人上报：邻里噪音",
  neighbour: "同网格他人上报：占道",
  undispatched: "尚未分派：楼道堆物",
  dispatched: "已分派至安全平台：路灯",
};

beforeAll(async () => {
  s = await seededDatabase();
  const { row: v1, source } = await latestVersion(s.db, "east-lake");
  const template = (v1.document as { permissions: unknown[] }).permissions;
  extra = template.length;
  // The township's own appended rules stay (east-lake lets units read what is sent to them).
  const own = (source.permissions as { $append?: unknown[] } | undefined)?.$append ?? [];
  source.permissions = {
    $append: [
      ...own,
      // Grid workers: nothing … then their own cases after all (the later rule wins).
      { posts: ["grid-worker"], action: "read", subject: "Case", scope: "township", inverted: true },
      { posts: ["grid-worker"], action: "read", subject: "Case", scope: "own" },
      // Platform leads: every case, except those dispatched to their own unit.
      { posts: ["platform-lead"], action: "read", subject: "Case", scope: "township" },
      { posts: ["platform-lead"], action: "read", subject: "Case", scope: "assigned", inverted: true },
    ],
  };
  const published = await publishTownshipConfig(s.db, source, { by: "test", now: new Date() });
  if (!published.ok) throw new Error(JSON.stringify(published));
  // A second grid worker in Qiaotou grid 1, so the grid has a case east.grid1 did not report.
  await s.db.membership.updateMany({
    where: { user: { login: "east.grid3" }, tenant: { code: "east-lake" } },
    data: { unitId: "grid-qiaotou-1" },
  });
  const report = async (login: string, key: keyof typeof ids) => {
    const r = await reportCase(
      await s.context(login),
      {
        categoryId: "dispute",
        data: { ...validDispute, summary: titles[key] },
      },
      new Date(),
    );
    if (!r.ok) throw new Error(JSON.stringify(r.refusal));
    ids[key] = r.caseId;
  };
  await report("east.grid1", "own");
  await report("east.grid3", "neighbour");
  await report("east.village", "undispatched");
  await report("east.village", "dispatched");
  // Triaged, then dispatched with the safety platform as its lead unit.
  const routing = await s.context("east.routing");
  for (const [transitionId, input, expectedVersion] of [
    ["triage", { gradeId: "general" }, 1],
    ["dispatch", { leadUnitId: "platform-safety" }, 2],
  ] as const) {
    const fired = await transitionCase(
      s.db,
      routing,
      ids.dispatched,
      { transitionId, input, expectedVersion },
      new Date(),
    );
    if (!fired.ok) throw new Error(JSON.stringify(fired));
  }
  app = await startAppOn(s.database);
});
afterAll(async () => {
  await app?.stop();
  await teardown(s);
});

const loggedIn = (login: string) => HttpSession.as(app.url, login);

/** What the list and the case pages show this person, per case. */
async function seen(login: string) {
  const http = await loggedIn(login);
  const list = await (await http.request("/t/east-lake")).text();
  const out: Record<string, { listed: boolean; page: number }> = {};
  for (const key of Object.keys(ids) as Array<keyof typeof ids>) {
    out[key] = {
      listed: list.includes(titles[key]),
      page: (await http.request(`/t/east-lake/cases/${ids[key]}`)).status,
    };
  }
  return out;
}

/** The "who can see this case" row of one member: allowed, and the rule marked as deciding. */
async function explained(caseId: string, login: string) {
  const res = await (await loggedIn("east.director")).request(`/t/east-lake/cases/${caseId}/access`);
  expect(res.status).toBe(200);
  const row =
    (await res.text()).match(new RegExp(`<tr data-login="${login.replace(".", "\\.")}">([\\s\\S]*?)</tr>`))?.[1] ?? "";
  return {
    allowed: row.includes("可查看") && !row.includes("不可查看"),
    decidedBy: Number(row.match(/data-rule="(\d+)" data-decides="1"/)?.[1] ?? -1),
  };
}

describe("a later rule wins, in every place that asks", () => {
  it("a grid worker denied everything, then allowed their own cases, lists and opens their own case only", async () => {
    const grid1 = await seen("east.grid1");
    expect(grid1.own).toEqual({ listed: true, page: 200 });
    // The deny still overrides the template's earlier "own unit" rule for the neighbour's case.
    expect(grid1.neighbour).toEqual({ listed: false, page: 404 });
  });

  it("who can see this case agrees: the grid worker can, by the later allow", async () => {
    expect(await explained(ids.own, "east.grid1")).toEqual({ allowed: true, decidedBy: extra + 1 });
    expect(await explained(ids.neighbour, "east.grid1")).toEqual({ allowed: false, decidedBy: extra });
  });

  it("a deny on the lead unit keeps the cases with no lead unit yet, in the list, the page and the explainer", async () => {
    const safety = await seen("east.safety");
    expect(safety.undispatched).toEqual({ listed: true, page: 200 });
    expect(safety.dispatched).toEqual({ listed: false, page: 404 });
    expect(await explained(ids.undispatched, "east.safety")).toEqual({ allowed: true, decidedBy: extra + 2 });
    expect(await explained(ids.dispatched, "east.safety")).toEqual({ allowed: false, decidedBy: extra + 3 });
  });
});
