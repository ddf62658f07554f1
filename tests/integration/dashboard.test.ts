// Workbench tabs and the dashboard figures on real PostgreSQL, with a simulated clock: each tab
// lists the right cases, and every figure counts only what the user may read.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportCase } from "#app/server/cases.server";
import { countyDashboard, townshipDashboard } from "#app/server/dashboard.server";
import { loadWorkbench } from "#app/server/workbench.server";
import { seededDatabase, teardown, validDispute, type Seeded } from "./helpers";

let s: Seeded;
// Monday 2026-03-02 09:00 in Shanghai; `day(d, h)` is h:00 Shanghai on 2026-03-d.
const day = (d: number, h = 10) => new Date(Date.UTC(2026, 2, d, h - 8));
const ids: Record<string, string> = {};

const fire = (login: string, key: string, transitionId: string, input: unknown, now: Date) =>
  s.fire(ids[key]!, login, transitionId, input, now);

async function report(key: string, login: string, summary: string, now: Date, township = "east-lake") {
  const r = await reportCase(
    await s.context(login, township),
    { categoryId: "dispute", data: { ...validDispute, summary } },
    now,
  );
  if (!r.ok) throw new Error(`report ${key}: ${JSON.stringify(r)}`);
  ids[key] = r.caseId;
}

async function dispatch(key: string, at: Date) {
  await fire("east.routing", key, "triage", { gradeId: "general" }, new Date(at.getTime() + 3600_000));
  await fire(
    "east.routing",
    key,
    "dispatch",
    { leadUnitId: "platform-safety", assistUnitIds: ["police-station"] },
    new Date(at.getTime() + 2 * 3600_000),
  );
  await fire("east.safety", key, "accept", undefined, new Date(at.getTime() + 3 * 3600_000));
}

async function tab(login: string, tabId: string, now: Date, extra: Record<string, string> = {}) {
  const wb = await loadWorkbench(await s.context(login), { tab: tabId, ...extra }, now, "zh-CN");
  return { ...wb, ids: wb.rows.map((r) => Object.entries(ids).find(([, id]) => id === r.id)?.[0]).sort() };
}

beforeAll(async () => {
  s = await seededDatabase();
  // A: reported by grid 1, untouched. B: grid 1, triaged. C: grid 3, handling (due end of Mon 9 Mar).
  // D: grid 1, handled on time and closed. E: grid 3, handled late and closed. W: another township.
  await report("A", "east.grid1", "桥头村噪音纠纷", day(2));
  await report("B", "east.grid1", "桥头村宅基地纠纷", day(2, 11));
  await fire("east.routing", "B", "triage", { gradeId: "difficult" }, day(2, 12));
  await report("C", "east.grid3", "山下村水渠纠纷", day(2, 9));
  await dispatch("C", day(2, 9));
  await report("D", "east.grid1", "桥头村停车纠纷", day(3));
  await dispatch("D", day(3));
  await fire("east.safety", "D", "report-back", { result: "已调解" }, day(4));
  await fire("east.routing", "D", "review", { opinion: "同意" }, day(4, 15));
  await fire("east.routing", "D", "close", { satisfaction: "satisfied", method: "phone" }, day(5));
  await report("E", "east.grid3", "山下村租赁纠纷", day(3, 9));
  await dispatch("E", day(3, 9));
  await fire("east.safety", "E", "report-back", { result: "已处理" }, day(16));
  await fire("east.routing", "E", "review", { opinion: "同意" }, day(16, 15));
  await fire("east.routing", "E", "close", { satisfaction: "satisfied", method: "visit" }, day(17));
  await fire("east.routing", "C", "supervise", undefined, day(6));
  await report("W", "west.grid1", "西山社区噪音纠纷", day(4), "west-hill");
});
afterAll(() => teardown(s));

describe("workbench tabs", () => {
  it("the command room's tabs list the right cases, with counts", async () => {
    const soon = day(8); // Sunday: C is due by the end of Monday 9 March.
    const wb = await tab("east.routing", "to-triage", soon);
    expect(wb.workbench?.id).toBe("command-room");
    expect(wb.ids).toEqual(["A"]);
    expect(Object.fromEntries(wb.tabs.map((t) => [t.id, t.count]))).toEqual({
      "to-triage": 1,
      "to-dispatch": 1,
      "due-soon": 1,
      overdue: 0,
      supervised: 1,
      "county-tasks": 0,
    });
    expect((await tab("east.routing", "to-dispatch", soon)).ids).toEqual(["B"]);
    expect((await tab("east.routing", "due-soon", soon)).ids).toEqual(["C"]);
    expect((await tab("east.routing", "supervised", soon)).ids).toEqual(["C"]);
    const later = await tab("east.routing", "overdue", day(11));
    expect(later.ids).toEqual(["C"]);
    expect(later.tabs.find((t) => t.id === "due-soon")!.count).toBe(0);
  });

  it("search and filters narrow the open tab; tab counts stay", async () => {
    const wb = await loadWorkbench(
      await s.context("east.routing"),
      { workbench: "command-room", tab: "to-triage", q: "宅基地" },
      day(8),
      "zh-CN",
    );
    expect(wb.rows).toEqual([]);
    expect(wb.tabs.find((t) => t.id === "to-triage")!.count).toBe(1);
    const number = (await s.db.case.findUniqueOrThrow({ where: { id: ids.A! } })).number;
    expect((await tab("east.routing", "to-triage", day(8), { q: number })).ids).toEqual(["A"]);
    expect((await tab("east.routing", "to-triage", day(8), { grade: "major" })).ids).toEqual([]);
  });

  it("a platform lead's to-do is what is dispatched to their unit", async () => {
    const wb = await tab("east.safety", "my-todo", day(8));
    expect(wb.workbench?.id).toBe("assignee");
    expect(wb.ids).toEqual(["C"]);
    expect((await tab("east.safety", "due-soon", day(8))).ids).toEqual(["C"]);
  });

  it("a grid worker sees what they reported and their grid, never more", async () => {
    const mine = await tab("east.grid1", "reported-by-me", day(8));
    expect(mine.workbench?.id).toBe("grid");
    expect(mine.ids).toEqual(["A", "B", "D"]);
    expect((await tab("east.grid3", "my-grid", day(8))).ids).toEqual(["C", "E"]);
    // Asking for the command room's workbench gives the grid worker their own.
    const asked = await loadWorkbench(
      await s.context("east.grid1"),
      { workbench: "command-room", tab: "supervised" },
      day(8),
      "zh-CN",
    );
    expect(asked.workbench?.id).toBe("grid");
  });

  it("a member without a workbench gets none", async () => {
    const wb = await loadWorkbench(await s.context("east.admin"), {}, day(8), "zh-CN");
    expect(wb.workbench).toBeNull();
    expect(wb.rows).toEqual([]);
  });
});

describe("dashboard figures", () => {
  it("the command room sees the whole township", async () => {
    const f = await townshipDashboard(await s.context("east.routing"), day(11));
    expect(f.total).toBe(5);
    expect(f.open).toBe(3);
    expect(f.overdue).toBe(1);
    expect(f.openSheets).toBe(1);
    expect(f.byPlatform).toEqual([{ key: "platform-safety", count: 5 }]);
    expect(f.byGrade).toEqual([
      { key: "general", count: 4 },
      { key: "difficult", count: 1 },
    ]);
    expect(f.byState).toEqual([
      { key: "closed", count: 2 },
      { key: "handling", count: 1 },
      { key: "reported", count: 1 },
      { key: "triage", count: 1 },
    ]);
    // D was handled within its deadline, E after it.
    expect(f.onTime).toEqual({ closed: 2, onTime: 1, rate: 0.5 });
    expect(f.trend).toHaveLength(30);
    expect(f.trend.at(-1)!.day).toBe("2026-03-11");
    const byDay = Object.fromEntries(
      f.trend.filter((p) => p.reported || p.closed).map((p) => [p.day, [p.reported, p.closed]]),
    );
    expect(byDay).toEqual({ "2026-03-02": [3, 0], "2026-03-03": [2, 0], "2026-03-05": [0, 1] });
  });

  it("a grid worker's dashboard counts only what they may read", async () => {
    const f = await townshipDashboard(await s.context("east.grid1"), day(18));
    expect(f.total).toBe(3); // A, B, D: reported in their grid
    expect(f.overdue).toBe(0);
    expect(f.openSheets).toBe(0); // the sheet is on C, in another grid
    expect(f.onTime).toEqual({ closed: 1, onTime: 1, rate: 1 });
    const other = await townshipDashboard(await s.context("east.grid3"), day(18));
    expect(other.total).toBe(2);
    expect(other.openSheets).toBe(1);
    expect(other.onTime).toEqual({ closed: 1, onTime: 0, rate: 0 });
    expect(other.trend.reduce((n, p) => n + p.closed, 0)).toBe(1);
  });

  it("the county sees aggregate counts per township", async () => {
    const county = await s.db.tenant.findFirstOrThrow({ where: { code: "demo-county" } });
    const f = await countyDashboard(s.db, county.id, day(11));
    expect(f.townships.map((t) => [t.code, t.total, t.open, t.overdue, t.openSheets])).toEqual([
      ["east-lake", 5, 5, 1, 1],
      ["west-hill", 1, 1, 0, 0],
    ]);
    expect(f.totals).toEqual({ total: 6, open: 6, overdue: 1, openSheets: 1 });
    expect(Object.keys(f.townships[0]!).sort()).toEqual([
      "code",
      "name",
      "nameEn",
      "open",
      "openSheets",
      "overdue",
      "total",
    ]);
  });
});
