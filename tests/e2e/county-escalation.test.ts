// Issue 15 items 1–2 in a real browser: East Lake's director escalates a major hazard; the county
// dispatcher finds it on the county workbench and dispatches it to the county police with the
// township assisting; the police handler accepts and reports back; the dispatcher approves; East
// Lake's routing sees every county step in its trail, reviews and closes the case.
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ARTIFACTS, hasBrowser, poll, useE2EApp } from "#tests/setup/e2e";

describe.runIf(hasBrowser)("escalation to the county and back, in Chromium", () => {
  const e2e = useE2EApp();
  const title = "桥头工业区化工储罐泄漏风险";
  let townshipUrl = "";
  let countyUrl = "";

  const stateOf = (page: Page) => page.getByTestId("case-state").textContent();
  const action = (page: Page, name: string) =>
    page.getByTestId("case-actions").getByRole("button", { name, exact: true });
  const form = (page: Page) => page.getByTestId("transition-form");
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `county-${name}.png`), fullPage: true });

  async function fire(
    page: Page,
    name: string,
    state: string,
    fill?: (f: ReturnType<Page["getByTestId"]>) => Promise<void>,
  ) {
    await action(page, name).click();
    if (fill) {
      await fill(form(page));
      await form(page).getByRole("button", { name: "提交" }).click();
    }
    await poll(() => stateOf(page)).toBe(state);
  }

  it("East Lake reports, triages as major, and its director escalates it to the county", async () => {
    const grid = await e2e.loginAs("east.grid1");
    await grid.goto(e2e.app.url + "/t/east-lake/report");
    await grid.getByLabel("事件类别").selectOption("safety-hazard");
    await grid.getByLabel("隐患描述").fill(title);
    await grid.getByLabel("隐患类型").selectOption("其他");
    await grid.getByLabel("隐患位置").fill("桥头工业区");
    await grid.getByRole("button", { name: "提交" }).click();
    await grid.waitForURL(/\/t\/east-lake\?reported=/);
    await grid.getByTestId("case-list").getByRole("link", { name: title }).click();
    await grid.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    townshipUrl = grid.url();
    await grid.context().close();

    const routing = await e2e.loginAs("east.routing");
    await routing.goto(townshipUrl);
    await fire(routing, "分级研判", "研判中", async (f) => {
      await f.getByLabel("事件等级").selectOption({ label: "重大多跨事件" });
    });
    await routing.context().close();

    const director = await e2e.loginAs("east.director");
    await director.goto(townshipUrl);
    await fire(director, "上报县级", "已上报县级", async (f) => {
      await f.getByLabel("理由").fill("涉及危化品，需县公安和应急部门处置");
    });
    await poll(async () => {
      await director.reload();
      return director.getByTestId("audit-trail").textContent();
    }).toContain("县社会治理中心已接收");
    await shot(director, "1-township-escalated");
    await director.context().close();
  });

  it("the county dispatcher lands on the county workbench and dispatches to the police, the township assisting", async () => {
    const page = await e2e.loginAs("county.dispatch");
    await page.waitForURL(/\/t\/demo-county\/work/);
    await poll(() => page.getByRole("link", { name: title }).count()).toBe(1);
    await shot(page, "2-county-workbench");
    await page.getByRole("link", { name: title }).click();
    await page.waitForURL(/\/t\/demo-county\/cases\/[0-9a-f-]{36}$/);
    countyUrl = page.url();
    expect(await stateOf(page)).toBe("待研判分发");
    expect(await page.content()).toContain("东湖镇");
    await fire(page, "交办部门", "已交办部门", async (f) => {
      const lead = f.getByLabel("牵头部门");
      expect(await lead.locator("option").allTextContents()).toEqual(
        expect.arrayContaining(["县公安局", "县自然资源局"]),
      );
      await lead.selectOption({ label: "县公安局" });
      await f.getByLabel("县应急管理局").check();
      await f.getByLabel("东湖镇（属地）").check();
      await f.getByLabel("交办意见").fill("公安牵头处置，应急局、东湖镇协助");
    });
    expect(await page.getByTestId("lead-unit").textContent()).toBe("县公安局");
    // The county's own deadline, on the county's policy: ten working days.
    expect(await page.getByTestId("deadlines").textContent()).toMatch(/10 个工作日/);
    await shot(page, "3-county-dispatched");
    await page.context().close();
  });

  it("a department that was not assigned gets a 404; the police handler accepts and reports back", async () => {
    const land = await e2e.loginAs("dept.land");
    expect((await land.goto(countyUrl))?.status()).toBe(404);
    await land.context().close();

    const police = await e2e.loginAs("dept.police");
    await police.waitForURL(/\/t\/demo-county\/work/);
    await poll(() => police.getByRole("link", { name: title }).count()).toBe(1);
    await shot(police, "4-department-workbench");
    await police.goto(countyUrl);
    await fire(police, "部门签收", "部门办理中");
    await fire(police, "部门反馈", "部门已反馈", async (f) => {
      await f.getByLabel("处置结果").fill("储罐已清空，企业停产整改");
      await f.getByLabel("采取措施").fill("现场封控，危化品转运");
    });
    await shot(police, "5-department-reported");
    await police.context().close();
  });

  it("the dispatcher approves; the result reaches East Lake, whose routing reviews and closes it", async () => {
    const page = await e2e.loginAs("county.dispatch");
    await page.goto(countyUrl);
    await fire(page, "审核办结，反馈属地", "已办结并反馈属地", async (f) => {
      await f.getByLabel("处置结果").fill("储罐已清空，企业停产整改，隐患消除");
    });
    await page.context().close();

    const routing = await e2e.loginAs("east.routing");
    await routing.goto(townshipUrl);
    await poll(async () => {
      await routing.reload();
      return stateOf(routing);
    }).toBe("已反馈");
    const trail = routing.getByTestId("audit-trail");
    for (const step of ["交办部门", "部门签收", "部门反馈", "审核办结，反馈属地"])
      expect(await trail.textContent()).toContain(step);
    expect(await trail.textContent()).toContain("县公安局");
    expect(await trail.textContent()).toContain("隐患消除");
    await shot(routing, "6-township-result");
    await fire(routing, "审核通过", "待回访", async (f) => {
      await f.getByLabel("审核意见").fill("县级处置到位");
    });
    await fire(routing, "回访办结", "已办结", async (f) => {
      await f.getByLabel("群众满意度").selectOption({ label: "满意" });
    });
    await shot(routing, "7-township-closed");
    await routing.context().close();
  });
});
