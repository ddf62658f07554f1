// The walking skeleton in a real browser: log in, report a case through the generated form (one
// invalid submission first), see it in the list, and fail to open it from the other township.
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ARTIFACTS, hasBrowser, useE2EApp } from "#tests/setup/e2e";

describe.runIf(hasBrowser)("walking skeleton in Chromium", () => {
  let caseUrl = "";

  const e2e = useE2EApp();

  async function login(page: Page, user: string, password = "gridwork-demo") {
    await page.goto(e2e.app.url + "/");
    await page.waitForURL(/\/login/);
    await page.getByLabel("账号").fill(user);
    await page.getByLabel("密码").fill(password);
    await page.getByRole("button", { name: "登录" }).click();
  }

  it("turns away a wrong password with a clear message", async () => {
    const page = await e2e.browser.newPage();
    await login(page, "east.grid1", "not-the-password");
    await expect.poll(() => page.getByTestId("login-error").textContent()).toBe("账号或密码错误");
    await page.close();
  });

  it("a grid worker reports a case through the form generated from config", async () => {
    const page = await e2e.loginAs("east.grid1");
    await page.waitForURL(/\/t$/);
    await page.getByRole("link", { name: "东湖镇" }).click();
    await page.getByRole("link", { name: "上报事件" }).click();

    // Choosing a category changes the form.
    await page.getByLabel("事件类别").selectOption("safety-hazard");
    await expect.poll(() => page.getByTestId("intake-form").locator("h2").textContent()).toBe("安全隐患上报");
    await expect.poll(() => page.getByLabel("隐患类型").count()).toBe(1);
    await page.getByLabel("事件类别").selectOption("dispute");
    await expect.poll(() => page.getByTestId("intake-form").locator("h2").textContent()).toBe("矛盾纠纷上报");
    expect(await page.getByLabel("隐患类型").count()).toBe(0);

    // An invalid submission shows per-field errors in Chinese and saves nothing.
    await page.getByLabel("事件概要").fill("吵架");
    await page.getByLabel("涉及人数").fill("1");
    await page.getByRole("button", { name: "提交" }).click();
    const summaryErrors = page.locator("#root_summary__error");
    await expect.poll(() => summaryErrors.textContent()).toContain("不应少于 4 个字符");
    expect(await page.locator("#root_location__error").textContent()).toContain("此项为必填项");
    expect(page.url()).toContain("/report");

    await page.getByLabel("事件概要").fill("邻里噪音纠纷反复发生");
    await page.getByLabel("涉及人数").fill("3");
    await page.getByLabel("发生地点").fill("桥头村5组");
    await page.getByLabel("当事人电话").fill("13800001111");
    await page.getByRole("button", { name: "提交" }).click();

    await page.waitForURL(/\/t\/east-lake\?reported=/);
    await expect.poll(() => page.getByRole("status").textContent()).toMatch(/事件已上报，编号 \d{4}-000001/);
    const row = page.getByTestId("case-list").locator("tbody tr").first();
    expect(await row.textContent()).toContain("邻里噪音纠纷反复发生");
    expect(await row.textContent()).toContain("矛盾纠纷");
    expect(await row.textContent()).toContain("一般事件");
    expect(await row.textContent()).toContain("已受理");
    expect(await row.textContent()).toContain("桥头村第一网格");
    await page.screenshot({ path: path.join(ARTIFACTS, "case-list.png"), fullPage: true });

    await row.getByRole("link").click();
    await page.waitForURL(/\/cases\//);
    caseUrl = page.url();
    const detail = await page.getByTestId("case-detail").textContent();
    expect(detail).toContain("李娜（桥头村第一网格）");
    expect(await page.getByTestId("audit-trail").textContent()).toContain("上报事件");
    // A grid worker may not read the party's phone number.
    expect(await page.locator('[data-field="partyPhone"]').textContent()).toContain("138******11");

    // English switch: same page, English labels.
    await page.getByTestId("lang-switch").click();
    await expect.poll(() => page.getByTestId("case-detail").textContent()).toContain("Reporter");
    expect(await page.getByTestId("case-detail").textContent()).toContain("Dispute");
    await page.getByTestId("lang-switch").click();
    await expect.poll(() => page.getByTestId("case-detail").textContent()).toContain("上报人");
    await page.getByRole("button", { name: "退出" }).click();
    await page.waitForURL(/\/login/);
    await page.close();
  });

  it("the other township's user can neither list nor open the case", async () => {
    expect(caseUrl).toMatch(/\/t\/east-lake\/cases\/[0-9a-f-]{36}$/);
    const page = await e2e.loginAs("west.routing");
    await page.waitForURL(/\/t$/);
    expect(await page.getByTestId("townships").textContent()).not.toContain("东湖镇");

    const direct = await page.goto(caseUrl);
    expect(direct?.status()).toBe(404);
    // Guessing: the same id under the user's own township is just as unknown.
    const guessed = await page.goto(caseUrl.replace("/t/east-lake/", "/t/west-hill/"));
    expect(guessed?.status()).toBe(404);
    const list = await page.goto(e2e.app.url + "/t/west-hill");
    expect(list?.status()).toBe(200);
    expect(await page.content()).not.toContain("邻里噪音纠纷反复发生");
    await page.close();
  });
});
