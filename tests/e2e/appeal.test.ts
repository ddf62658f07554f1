// An appeal (申诉) against a deduction in a real browser: a case dispatched to the command room is
// returned by the director (server paths, simulated clock), so the "returned" rule deducts from
// the command room. The director opens 考评排名, appeals the line through the configured form
// (an empty submit first), lands on the appeal case, and finds the appeal beside the line; the
// inspection post upholds it and the reversal line appears.
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { periodOf } from "#engine/scoring/index";
import { reportCase } from "#app/server/cases.server";
import { ARTIFACTS, hasBrowser, poll, useE2EApp } from "#tests/setup/e2e";

const ZONE = "Asia/Shanghai";

const dispute = { summary: "村道占用纠纷", parties: 2, location: "桥头村3组", partyPhone: "13800002222" };
const reason = "该事件属村级调解范围，退回后已由村工作站办理，不应扣分";

describe.runIf(hasBrowser)("appealing a deduction in Chromium", () => {
  const e2e = useE2EApp();
  let director: Page;

  /**
   * A simulated clock ending before now, in the current month: the appeal is filed in the browser
   * at real time, and 考评排名 opens on the current month.
   */
  const tick = (() => {
    let t = Math.max(Date.now() - 10 * 60_000, Date.parse(periodOf(ZONE, "month", new Date()).start));
    return () => new Date((t += 1000));
  })();

  const lines = (page: Page) => page.getByTestId("score-lines").locator("tbody tr");
  const returnedLine = (page: Page) => lines(page).filter({ hasText: "签收前退回" }).filter({ hasNotText: "申诉撤销" });
  async function openScores(page: Page) {
    await page.getByRole("link", { name: "考评排名", exact: true }).click();
    await page.getByTestId("score-lines").waitFor();
  }

  it("the director returns a case dispatched to the command room: a deduction for the command room", async () => {
    const r = await reportCase(await e2e.context("east.grid1"), { categoryId: "dispute", data: dispute }, tick());
    if (!r.ok) throw new Error(JSON.stringify(r));
    await e2e.fire(r.caseId, "east.routing", "triage", { gradeId: "general" }, tick());
    await e2e.fire(r.caseId, "east.routing", "dispatch", { leadUnitId: "command-room" }, tick());
    await e2e.fire(r.caseId, "east.director", "return", { reason: "请分流至村工作站" }, tick());
    await e2e.scoreJobs();
    expect(await e2e.db.scoreEntry.count({ where: { rule: "returned", targetId: "command-room", points: -1 } })).toBe(
      1,
    );
  });

  it("the director appeals the deduction from 考评排名 through the configured form", async () => {
    director = await e2e.loginAs("east.director");
    director.on("pageerror", (e) => console.log("[pageerror]", e.message));
    await director.goto(e2e.app.url + "/t/east-lake");
    await openScores(director);

    // Only the command room's deduction offers the appeal (the grid's +0.5 for reporting does not).
    expect(await lines(director).count()).toBeGreaterThan(1);
    expect(await director.getByTestId("score-lines").getByTestId("appeal-link").count()).toBe(1);
    const link = returnedLine(director).getByRole("link", { name: "对“签收前退回”-1 分申诉" });
    expect(await link.textContent()).toBe("申诉");
    await link.focus();
    await director.keyboard.press("Enter");
    await director.waitForURL(/\/t\/east-lake\/appeals\/new\?entry=/);

    expect(await director.getByTestId("disputed-rule").textContent()).toBe("签收前退回");
    expect(await director.getByTestId("disputed-points").textContent()).toBe("-1");
    expect(await director.getByTestId("disputed-line").textContent()).toContain("综合信息指挥室");
    const form = director.getByTestId("appeal-form");
    expect(await form.getByRole("heading").first().textContent()).toBe("考评申诉");

    // Empty: the required grounds are marked, and nothing is filed.
    await form.getByRole("button", { name: "提交" }).click();
    await poll(() => form.textContent()).toContain("此项为必填项");
    expect(director.url()).toContain("/appeals/new");
    expect(await e2e.db.case.count({ where: { workflowId: "score-appeal" } })).toBe(0);
    await director.screenshot({ path: path.join(ARTIFACTS, "appeal-form.png"), fullPage: true });

    await form.getByLabel("申诉理由").fill(reason);
    await form.getByRole("button", { name: "提交" }).click();
    await director.waitForURL(/\/t\/east-lake\/cases\/[0-9a-f-]{36}\?appealed=/);
    const appeal = await e2e.db.case.findFirstOrThrow({ where: { workflowId: "score-appeal" } });
    await poll(() => director.getByTestId("appeal-filed").textContent()).toBe(
      `申诉已提交，编号 ${appeal.number}。审核结果将通知您。`,
    );
    expect(await director.getByTestId("case-state").textContent()).toBe("已提交");
    expect(await director.locator('[data-field="reason"]').textContent()).toBe(reason);

    // Back on the scores page the line shows the appeal, not the link.
    await openScores(director);
    const shown = returnedLine(director).getByTestId("line-appeal");
    await poll(() => shown.textContent()).toBe(`${appeal.number} 已提交`);
    expect(await returnedLine(director).getByTestId("appeal-link").count()).toBe(0);
    expect(await shown.getByRole("link").getAttribute("href")).toBe(`/t/east-lake/cases/${appeal.id}`);
  });

  it("the inspection post upholds it and the reversal line appears", async () => {
    // No demo login holds the inspection post: one is added, and the uphold goes through the server path.
    const tenant = await e2e.db.tenant.findUniqueOrThrow({ where: { code: "east-lake" } });
    const inspector = await e2e.db.user.create({
      data: { login: "east.inspector", passwordHash: "x", displayName: "督查员" },
    });
    await e2e.db.membership.create({
      data: { tenantId: tenant.id, userId: inspector.id, posts: ["inspection"], unitId: "command-room" },
    });
    const appeal = await e2e.db.case.findFirstOrThrow({ where: { workflowId: "score-appeal" } });
    await e2e.fire(appeal.id, "east.inspector", "uphold", { reason: "经核实，该事件应由村工作站办理" }, new Date());
    await e2e.scoreJobs();

    await director.reload();
    const reversal = lines(director).filter({ hasText: "申诉撤销" });
    await poll(() => reversal.count()).toBe(1);
    expect(await reversal.textContent()).toContain("签收前退回");
    expect(await reversal.textContent()).toContain("+1");
    expect(await reversal.getByTestId("appeal-link").count()).toBe(0);
    expect(await returnedLine(director).getByTestId("line-appeal").textContent()).toBe(`${appeal.number} 申诉成立`);
    // The ranking nets out: the command room is back at the base.
    expect(
      await director.getByTestId("ranking-unit").locator('tr[data-target="command-room"]').textContent(),
    ).toContain("1000");
    await director.screenshot({ path: path.join(ARTIFACTS, "appeal.png"), fullPage: true });
  });
});
