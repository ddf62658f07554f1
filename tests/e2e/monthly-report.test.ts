// The monthly review (月度复盘) in a real browser: a month of cases is driven through the server
// paths against the app's database (simulated clock, March 2026), the score jobs run, and the
// director opens the review, sees the rankings with grid colours and the charts, and downloads
// the watermarked XLSX.
import path from "node:path";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { reportCase } from "#app/server/cases.server";
import { sweepDueCases } from "#app/server/workflow.server";
import { ARTIFACTS, hasBrowser, useE2EApp } from "#tests/setup/e2e";

const at = (local: string) => new Date(`2026-${local.replace(" ", "T")}:00+08:00`);
const dispute = { summary: "邻里噪音纠纷", parties: 3, location: "桥头村5组", partyPhone: "13800001111" };

describe.runIf(hasBrowser)("monthly review in Chromium", () => {
  const e2e = useE2EApp();

  async function open(login: string, when: Date) {
    const r = await reportCase(await e2e.context(login), { categoryId: "dispute", data: dispute }, when);
    if (!r.ok) throw new Error(JSON.stringify(r));
    return r.caseId;
  }

  it("a month of cases is scored", async () => {
    // On time and satisfied.
    const a = await open("east.grid1", at("03-02 09:00"));
    await e2e.fire(a, "east.routing", "triage", { gradeId: "general" }, at("03-02 10:00"));
    await e2e.fire(a, "east.routing", "dispatch", { leadUnitId: "platform-safety" }, at("03-02 11:00"));
    await e2e.fire(a, "east.safety", "accept", undefined, at("03-02 12:00"));
    await e2e.fire(a, "east.safety", "report-back", { result: "已调解" }, at("03-04 10:00"));
    await e2e.fire(a, "east.routing", "review", { opinion: "同意" }, at("03-04 15:00"));
    await e2e.fire(a, "east.routing", "close", { satisfaction: "satisfied" }, at("03-05 10:00"));
    // Late with a supervision sheet, unsatisfied.
    const b = await open("east.grid1", at("03-02 09:30"));
    await e2e.fire(b, "east.routing", "triage", { gradeId: "general" }, at("03-02 10:00"));
    await e2e.fire(b, "east.routing", "dispatch", { leadUnitId: "platform-safety" }, at("03-02 11:00"));
    await e2e.fire(b, "east.safety", "accept", undefined, at("03-02 12:00"));
    await sweepDueCases(e2e.db, at("03-10 10:00"));
    await e2e.fire(b, "east.safety", "report-back", { result: "已处理" }, at("03-11 10:00"));
    await e2e.fire(b, "east.routing", "review", { opinion: "同意" }, at("03-11 15:00"));
    await e2e.fire(b, "east.routing", "close", { satisfaction: "unsatisfied" }, at("03-12 10:00"));
    await e2e.scoreJobs();
    expect(await e2e.db.scoreEntry.count({ where: { origin: "rule" } })).toBeGreaterThan(5);
  });

  it("the director reads the review, sees rankings and charts, and downloads the XLSX", async () => {
    const context = await e2e.browser.newContext({ acceptDownloads: true });
    const page = await context.newPage();
    page.on("pageerror", (e) => console.log("[pageerror]", e.message));
    await page.goto(e2e.app.url + "/login");
    await page.getByLabel("账号").fill("east.director");
    await page.getByLabel("密码").fill("gridwork-demo");
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForURL(/\/t$/);
    await page.goto(e2e.app.url + "/t/east-lake/reports/2026-03");
    await expect.poll(() => page.getByTestId("monthly-review").locator("h1").textContent()).toBe("2026-03 月度复盘");

    const all = page.getByTestId("review-figures").locator('tr[data-row="all"]');
    expect(await all.textContent()).toContain("50%"); // one of two closed on time
    expect(await page.getByTestId("review-figures").textContent()).toContain("平安法治");
    const grids = page.getByTestId("review-ranking-grid");
    expect(await grids.locator("tbody tr").first().textContent()).toMatch(/^1/);
    expect(await grids.locator('[data-level="yellow"]').count()).toBe(1);
    expect(await grids.textContent()).toContain("桥头村第一网格");
    expect(await page.getByTestId("chart-grids").locator("rect").count()).toBe(3);
    expect(await page.getByTestId("chart-on-time").locator("svg").getAttribute("aria-label")).toBe("各平台按期办结率");
    await page.screenshot({ path: path.join(ARTIFACTS, "monthly-report.png"), fullPage: true });

    const [download] = await Promise.all([
      page.waitForEvent("download"),
      page.getByTestId("export-review").click(),
    ]).catch((e) => {
      console.log("[app output]", e2e.app.output().slice(-4000));
      throw e;
    });
    expect(download.suggestedFilename()).toBe("east-lake-review-2026-03.xlsx");
    const file = path.join(ARTIFACTS, "monthly-report.xlsx");
    await download.saveAs(file);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(file);
    const first = book.worksheets[0]!;
    expect(String(first.getCell(1, 1).value)).toContain("陈刚");
    expect(String(first.getCell(1, 1).value)).toContain("禁止外传");
    expect(book.worksheets.map((w) => w.name)).toEqual(expect.arrayContaining(["主要指标", "网格"]));
    const audited = await e2e.db.auditEvent.count({ where: { type: "scores.exported" } });
    expect(audited).toBe(1);

    // The scores page explains each line and links its case; a grid worker may not open either page.
    await page.goto(e2e.app.url + "/t/east-lake/scores?period=2026-03");
    expect(await page.getByTestId("score-lines").locator("tbody tr").count()).toBeGreaterThan(5);
    expect(await page.getByTestId("score-lines").textContent()).toContain("回访不满意");
    expect(await page.getByTestId("recompute").count()).toBe(1);
    await context.close();

    const grid = await e2e.browser.newPage();
    await grid.goto(e2e.app.url + "/login");
    await grid.getByLabel("账号").fill("east.grid1");
    await grid.getByLabel("密码").fill("gridwork-demo");
    await grid.getByRole("button", { name: "登录" }).click();
    await grid.waitForURL(/\/t$/);
    expect((await grid.goto(e2e.app.url + "/t/east-lake/reports/2026-03"))?.status()).toBe(403);
    await grid.close();
  });
});
