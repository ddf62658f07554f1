// Issue 15 item 3 in a real browser: county.dispatch sends a task down to East Lake and West Hill;
// each township's routing finds it on its workbench and feeds back; the county's progress view
// shows both fed back, and the dispatcher accepts one and sends the other back with a reason.
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ARTIFACTS, hasBrowser, useE2EApp } from "#tests/setup/e2e";

describe.runIf(hasBrowser)("a task from the county to two townships, in Chromium", () => {
  const e2e = useE2EApp();
  const title = "汛前山塘水库隐患排查";
  let progressUrl = "";

  const poll = <T>(fn: () => Promise<T> | T) => expect.poll(fn, { timeout: 20_000, interval: 200 });
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `tasks-${name}.png`), fullPage: true });
  const rows = (page: Page) =>
    page
      .getByTestId("task-row")
      .evaluateAll((rs) => rs.map((r) => `${r.getAttribute("data-township")}:${r.getAttribute("data-progress")}`));

  it("county.dispatch sends the task down to East Lake and West Hill", async () => {
    const page = await e2e.loginAs("county.dispatch");
    await page.goto(e2e.app.url + "/t/demo-county/report");
    await page.getByLabel("事件类别").selectOption("county-task");
    await page.getByLabel("任务名称").fill(title);
    await page.getByLabel("任务要求").fill("排查辖区山塘水库，逐一反馈");
    await page.getByLabel("东湖镇").check();
    await page.getByLabel("西山乡").check();
    await page.getByLabel("要求反馈日期").fill("2099-06-30");
    await shot(page, "1-create");
    await page.getByRole("button", { name: "提交" }).click();
    await page.waitForURL(/reported=/);
    await page.getByRole("link", { name: title }).first().click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    await page.getByTestId("task-progress-link").click();
    await page.waitForURL(/\/progress$/);
    progressUrl = page.url();
    await poll(async () => {
      await page.reload();
      return rows(page);
    }).toEqual(["东湖镇:arrived", "西山乡:arrived"]);
    await shot(page, "2-arrived");
    await page.context().close();
  });

  for (const [login, code] of [
    ["east.routing", "east-lake"],
    ["west.routing", "west-hill"],
  ] as const) {
    it(`${login} finds the task on the workbench and feeds back`, async () => {
      const page = await e2e.loginAs(login);
      await page.goto(`${e2e.app.url}/t/${code}/work`);
      await page.locator("a", { hasText: "上级交办" }).first().click();
      await page.getByRole("link", { name: title }).click();
      await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
      await page.getByTestId("case-actions").getByRole("button", { name: "任务反馈", exact: true }).click();
      await page.getByTestId("transition-form").getByLabel("办理结果").fill("已排查山塘3处，均无隐患");
      await page.getByTestId("transition-form").getByRole("button", { name: "提交" }).click();
      await poll(() => page.getByTestId("case-state").textContent()).toBe("已反馈县级");
      await shot(page, `3-${code}-fed-back`);
      await page.context().close();
    });
  }

  it("the county sees both fed back, accepts one and sends the other back", async () => {
    const page = await e2e.loginAs("county.dispatch");
    await page.goto(progressUrl);
    expect(await rows(page)).toEqual(["东湖镇:fed-back", "西山乡:fed-back"]);
    await page
      .locator('[data-testid=task-row][data-township="东湖镇"]')
      .getByRole("button", { name: "验收通过" })
      .click();
    await page.waitForURL(/done=1/);
    const west = page.locator('[data-testid=task-row][data-township="西山乡"]');
    await west.getByLabel("退回理由").fill("缺少现场照片");
    await west.getByRole("button", { name: "退回重办" }).click();
    await poll(() => rows(page)).toEqual(["东湖镇:accepted", "西山乡:in-progress"]);
    await expect.poll(() => west.textContent()).toContain("退回：缺少现场照片");
    await shot(page, "4-evaluated");
    await page.context().close();
  });
});
