// The workbench and the big-screen dashboard in a real browser: the routing user opens the
// workbench generated from the config's views, switches tabs (also by keyboard), searches, and
// opens the dashboard with its SVG charts.
import path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { HttpSession } from "#tests/setup/app-process";
import { ARTIFACTS, hasBrowser, useE2EApp } from "#tests/setup/e2e";

describe.runIf(hasBrowser)("workbench and dashboard in Chromium", () => {
  const e2e = useE2EApp();
  beforeAll(async () => {
    const grid1 = new HttpSession(e2e.app.url);
    await grid1.login("east.grid1");
    for (const [summary, location] of [
      ["桥头村噪音纠纷反复", "桥头村5组"],
      ["桥头村宅基地纠纷", "桥头村2组"],
    ]) {
      const res = await grid1.post("/t/east-lake/report", {
        payload: JSON.stringify({
          categoryId: "dispute",
          data: { summary, parties: 2, location, partyPhone: "13700003333" },
        }),
      });
      expect(res.status).toBe(302);
    }
  });

  it("the routing user works through the workbench tabs and searches", async () => {
    const page = await e2e.loginAs("east.routing");
    await page.getByRole("link", { name: "东湖镇" }).click();
    await page.getByTestId("nav-work").click();
    await page.waitForURL(/\/t\/east-lake\/work/);
    await expect.poll(() => page.getByRole("heading", { level: 1 }).textContent()).toBe("指挥室工作台");
    const tabs = page.getByRole("tab");
    expect(await tabs.allTextContents()).toEqual([
      "待研判 2",
      "待交办 0",
      "即将到期 0",
      "已超期 0",
      "督办中 0",
      "上级交办 0",
    ]);
    expect(await page.getByRole("tab", { selected: true }).textContent()).toBe("待研判 2");
    expect(await page.getByTestId("workbench-list").locator("tbody tr").count()).toBe(2);
    expect(await page.getByTestId("workbench-list").locator("thead").textContent()).toContain("到期时间");

    await page.getByTestId("tab-to-dispatch").click();
    await page.waitForURL(/tab=to-dispatch/);
    await expect.poll(() => page.getByRole("tab", { selected: true }).textContent()).toBe("待交办 0");
    expect(await page.getByTestId("workbench-list").count()).toBe(0);

    await page.getByTestId("tab-to-triage").click();
    await page.waitForURL(/tab=to-triage/);
    await page.getByLabel("搜索").fill("宅基地");
    await page.getByRole("button", { name: "查询" }).click();
    await page.waitForURL(/q=/);
    await expect.poll(() => page.getByTestId("workbench-list").locator("tbody tr").count()).toBe(1);
    expect(await page.getByTestId("workbench-list").textContent()).toContain("桥头村宅基地纠纷");
    expect(await page.getByTestId("workbench-total").textContent()).toBe("共 1 件");
    // The tab still counts all its cases.
    expect(await page.getByTestId("tab-to-triage").getAttribute("data-count")).toBe("2");
    await page.close();
  });

  it("tabs are reachable with the keyboard and open with Enter", async () => {
    const page = await e2e.loginAs("east.routing");
    await page.goto(e2e.app.url + "/t/east-lake/work");
    await page.getByTestId("workbench-tabs").waitFor();
    let focused = "";
    for (let i = 0; i < 40 && focused !== "tab-to-triage"; i++) {
      await page.keyboard.press("Tab");
      focused = await page.evaluate(() => document.activeElement?.getAttribute("data-testid") ?? "");
    }
    expect(focused).toBe("tab-to-triage");
    await page.keyboard.press("Tab");
    expect(await page.evaluate(() => document.activeElement?.getAttribute("data-testid"))).toBe("tab-to-dispatch");
    await page.keyboard.press("Enter");
    await page.waitForURL(/tab=to-dispatch/);
    await expect.poll(() => page.getByRole("tab", { selected: true }).textContent()).toBe("待交办 0");
    await page.close();
  });

  it("the dashboard shows the figures as accessible charts", async () => {
    const page = await e2e.loginAs("east.routing", { viewport: { width: 1600, height: 1000 } });
    await page.goto(e2e.app.url + "/t/east-lake");
    await page.getByTestId("nav-dashboard").click();
    await page.waitForURL(/\/dashboard$/);
    await expect.poll(() => page.getByTestId("figure-total").locator(".big-figure-value").textContent()).toBe("2");
    expect(await page.getByTestId("figure-open").locator(".big-figure-value").textContent()).toBe("2");
    expect(await page.getByTestId("figure-overdue").locator(".big-figure-value").textContent()).toBe("0");
    for (const chart of ["chart-platform", "chart-grade", "chart-status", "chart-trend"]) {
      const img = page.getByTestId(chart).getByRole("img");
      expect(await img.count()).toBe(1);
      expect(await img.getAttribute("aria-label")).toBeTruthy();
      expect(await page.getByTestId(chart).locator("table").count()).toBe(1);
    }
    expect(await page.getByTestId("chart-platform").getByRole("img").getAttribute("aria-label")).toContain(
      "平安法治平台 2",
    );
    expect(await page.getByTestId("chart-status").locator("table").textContent()).toContain("已受理");
    // Dark only here.
    expect(await page.evaluate(() => getComputedStyle(document.body).backgroundColor)).toBe("rgb(11, 18, 32)");
    await page.screenshot({ path: path.join(ARTIFACTS, "dashboard.png"), fullPage: true });
    await page.getByTestId("nav-work").click();
    await page.waitForURL(/\/work/);
    await expect
      .poll(() => page.evaluate(() => getComputedStyle(document.body).backgroundColor))
      .not.toBe("rgb(11, 18, 32)");
    await page.close();
  });

  it("the county sees its townships' counts on its dashboard", async () => {
    const page = await e2e.browser.newPage();
    await page.goto(e2e.app.url + "/login");
    await page.getByLabel("账号").fill("county.admin");
    await page.getByLabel("密码").fill("gridwork-demo");
    await page.getByRole("button", { name: "登录" }).click();
    await page.waitForURL((url) => !url.pathname.startsWith("/login"));
    const res = await page.goto(e2e.app.url + "/c/demo-county/dashboard");
    expect(res?.status()).toBe(200);
    await expect.poll(() => page.getByTestId("county-figures").textContent()).toContain("东湖镇");
    expect(await page.getByTestId("figure-total").locator(".big-figure-value").textContent()).toBe("2");
    expect(await page.getByTestId("chart-townships").getByRole("img").getAttribute("aria-label")).toContain("东湖镇 2");
    // No case content on the county's screen.
    expect(await page.content()).not.toContain("宅基地");
    await page.close();
  });
});
