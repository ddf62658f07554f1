// In a real browser: a crafted redirectTo does not take a login off the site, and with JavaScript
// off, Back after logout does not show the case from the browser's cache.
import { beforeAll, describe, expect, it } from "vitest";
import { DEMO_PASSWORD, hasBrowser, useE2EApp } from "#tests/setup/e2e";

describe.runIf(hasBrowser)("session leaks in Chromium", () => {
  let caseUrl = "";
  const e2e = useE2EApp();
  beforeAll(async () => {
    caseUrl = await e2e.reportOverHttp("east.grid1", {
      summary: "桥头村鱼塘承包纠纷",
      parties: 2,
      location: "桥头村3组",
      partyPhone: "13700004444",
    });
  });

  it("stays on the site after login from a link whose redirectTo hides a tab (/%09/evil.example)", async () => {
    const context = await e2e.browser.newContext();
    const page = await context.newPage();
    // A query string as a phishing link would carry it: the form's hidden field gets it decoded.
    await page.goto(`${e2e.app.url}/login?redirectTo=/%09/evil.example`);
    await page.getByLabel("账号").fill("east.grid1");
    await page.getByLabel("密码").fill(DEMO_PASSWORD);
    await Promise.all([
      page.waitForEvent("framenavigated", { predicate: (f) => !f.url().includes("/login") }),
      page.getByRole("button", { name: "登录" }).click(),
    ]);
    expect(new URL(page.url()).origin).toBe(new URL(e2e.app.url).origin);
    await context.close();
  });

  it("with JavaScript off, Back after logout shows the login page, not the case", async () => {
    const page = await e2e.loginAs("east.routing", { javaScriptEnabled: false });
    await page.goto(caseUrl);
    expect(await page.content()).toContain("13700004444");
    await page.getByRole("button", { name: "退出" }).click();
    await page.waitForURL(/\/login/);
    await page.goBack();
    await page.waitForLoadState();
    const html = await page.content();
    expect(html).not.toContain("桥头村鱼塘承包纠纷");
    expect(html).not.toContain("13700004444");
    expect(new URL(page.url()).pathname).toBe("/login");
    await page.context().close();
  });
});
