// The closed loop in a real browser, through the screens generated from config: a grid worker
// reports, routing triages and dispatches, the safety platform accepts and reports back, routing
// supervises and reviews, the reporter closes with satisfaction. Each step by the person whose post
// the config names, through the transition's RJSF form; with a field error, a stale version, a
// server-side refusal, the printable supervision sheet, the due list, the inbox and the mode switch.
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ARTIFACTS, hasBrowser, poll, useE2EApp } from "#tests/setup/e2e";

// A 1×1 PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

describe.runIf(hasBrowser)("the case loop in Chromium", () => {
  let caseUrl = "";
  const title = "桥头村5组邻里噪音纠纷";

  const e2e = useE2EApp();

  /** Polls with room for a busy machine (vitest's default is one second). */
  const stateOf = (page: Page) => page.getByTestId("case-state").textContent();
  const action = (page: Page, name: string) =>
    page.getByTestId("case-actions").getByRole("button", { name, exact: true });
  const form = (page: Page) => page.getByTestId("transition-form");

  /** Opens the transition's form, lets `fill` fill it, submits, and waits for the new state. */
  async function fire(
    page: Page,
    name: string,
    state: string,
    fill?: (form: ReturnType<typeof page.getByTestId>) => Promise<void>,
  ) {
    await action(page, name).click();
    if (fill) {
      await fill(form(page));
      await form(page).getByRole("button", { name: "提交" }).click();
    }
    await poll(() => stateOf(page)).toBe(state);
    await poll(() => page.getByTestId("transition-done").textContent()).toBe(`已完成：${name}`);
  }

  it("a grid worker reports a dispute and has nothing more to do on it yet", async () => {
    const page = await e2e.loginAs("east.grid1");
    await page.goto(e2e.app.url + "/t/east-lake/report");
    await page.getByLabel("事件类别").selectOption("dispute");
    await poll(() => page.getByTestId("intake-form").locator("h2").textContent()).toBe("矛盾纠纷上报");
    await page.getByLabel("事件概要").fill(title);
    await page.getByLabel("涉及人数").fill("3");
    await page.getByLabel("发生地点").fill("桥头村5组");
    await page.getByRole("button", { name: "提交" }).click();
    await page.waitForURL(/\/t\/east-lake\?reported=/);
    await page.getByTestId("case-list").getByRole("link", { name: title }).click();
    await page.waitForURL(/\/cases\/[0-9a-f-]{36}$/);
    caseUrl = page.url();
    expect(await stateOf(page)).toBe("已受理");
    expect(await page.getByTestId("case-actions").textContent()).toContain("当前没有您可办理的操作");
    expect(await page.getByTestId("deadlines").textContent()).toContain("当前没有计时中的期限");
    // The due/supervision watch is not in a grid worker's menu.
    expect(await page.getByTestId("nav-due").count()).toBe(0);
    await page.context().close();
  });

  it("routing triages (a required field first) and dispatches to the safety platform through generated forms; a stale page is told to reload", async () => {
    const page = await e2e.loginAs("east.routing");
    await page.goto(caseUrl);
    // A second tab of the same person, opened on the same version.
    const stale = await page.context().newPage();
    await stale.goto(caseUrl);

    await action(page, "分级研判").click();
    expect(await form(page).locator("h3").textContent()).toBe("分级研判");
    await form(page).getByRole("button", { name: "提交" }).click();
    await poll(() => page.locator("#root_gradeId__error").textContent()).toContain("此项为必填项");
    await form(page).getByLabel("事件等级").selectOption({ label: "一般事件" });
    await form(page).getByLabel("研判意见").fill("一般矛盾纠纷，交平安法治平台调处");
    await form(page).getByRole("button", { name: "提交" }).click();
    await poll(() => stateOf(page)).toBe("研判中");

    // Dispatch: the unit fields offer the township's units by name.
    await fire(page, "分流交办", "已交办", async (f) => {
      const lead = f.getByLabel("主办单位");
      expect(await lead.locator("option").allTextContents()).toEqual(
        expect.arrayContaining(["平安法治平台", "派出所", "桥头村第一网格"]),
      );
      // Empty means "the category's default lead unit": nothing may be chosen for the user.
      expect(await lead.inputValue()).toBe("");
      await lead.selectOption({ label: "平安法治平台" });
      await f.getByLabel("派出所").check();
      await f.getByLabel("交办意见").fill("请三个工作日内上门调解");
    });
    expect(await page.getByTestId("lead-unit").textContent()).toBe("平安法治平台");
    expect(await page.getByTestId("assignment").textContent()).toContain("派出所");
    const handle = page.getByTestId("deadlines").locator('tr[data-deadline="handle"]');
    expect(await handle.getAttribute("data-colour")).toBe("green");
    expect(await handle.textContent()).toMatch(/剩余 5 个工作日/);

    // The other tab still shows version 2: its triage is refused as stale, with a reload.
    await action(stale, "分级研判").click();
    await form(stale).getByLabel("事件等级").selectOption({ label: "疑难事件" });
    await form(stale).getByRole("button", { name: "提交" }).click();
    await poll(() => stale.getByTestId("action-error").textContent()).toContain("事件已被他人更新，请刷新后重试");
    expect(await stale.getByTestId("action-error").getAttribute("data-kind")).toBe("stale-version");
    await stale.getByTestId("reload").click();
    await poll(() => stateOf(stale)).toBe("已交办");
    await stale.close();

    // The due list has it, with its colour.
    await page.getByTestId("nav-due").click();
    await page.waitForURL(/\/due$/);
    const row = page.getByTestId("due-list").locator("tr", { hasText: title });
    expect(await row.getAttribute("data-colour")).toBe("green");
    expect(await row.textContent()).toContain("平安法治平台");
    await page.context().close();
  });

  it("the safety platform sees the dispatch in its inbox, accepts, and its report back is checked in the browser and on the server", async () => {
    const page = await e2e.loginAs("east.safety");
    await page.goto(e2e.app.url + "/t/east-lake/inbox");
    await expect
      .poll(
        async () => {
          await page.reload();
          return page.getByTestId("inbox").locator('li[data-kind="case.dispatched"]').count();
        },
        { timeout: 60_000, interval: 1000 },
      )
      .toBe(1);
    const note = page.getByTestId("inbox").locator('li[data-kind="case.dispatched"]');
    expect(await note.textContent()).toContain("事件交办");
    expect(await note.textContent()).toContain(title);
    await note.getByRole("button", { name: "标为已读" }).click();
    await poll(() => note.getAttribute("data-read")).toBe("1");
    await note.getByRole("link", { name: "查看事件" }).click();
    await page.waitForURL(caseUrl);

    await fire(page, "签收", "处置中");

    // The server refuses invalid input on its own, field by field (whatever the browser let through).
    const refused = await page.evaluate(async () => {
      const body = new URLSearchParams({
        payload: JSON.stringify({ transitionId: "report-back", input: { result: "x" }, expectedVersion: 999 }),
      });
      const res = await fetch(`${location.pathname}?_data=${encodeURIComponent("routes/t.$tenant.cases.$caseId")}`, {
        method: "POST",
        body,
      });
      return { status: res.status, body: await res.json() };
    });
    expect(refused).toMatchObject({ status: 409, body: { kind: "stale-version" } });
    const version = await page.evaluate(async () => {
      const res = await fetch(`${location.pathname}?_data=${encodeURIComponent("routes/t.$tenant.cases.$caseId")}`);
      return ((await res.json()) as { screen: { version: number } }).screen.version;
    });
    const invalid = await page.evaluate(async (expectedVersion) => {
      const body = new URLSearchParams({
        payload: JSON.stringify({ transitionId: "report-back", input: { result: "x" }, expectedVersion }),
      });
      const res = await fetch(`${location.pathname}?_data=${encodeURIComponent("routes/t.$tenant.cases.$caseId")}`, {
        method: "POST",
        body,
      });
      return { status: res.status, body: await res.json() };
    }, version);
    expect(invalid).toMatchObject({
      status: 422,
      body: { kind: "invalid-input", issues: [{ path: "/input/result", message: "不应少于 2 个字符" }] },
    });

    // In the browser: the same rule, shown at the field.
    await action(page, "处置反馈").click();
    await form(page).getByLabel("处置结果").fill("好");
    await form(page).getByRole("button", { name: "提交" }).click();
    await poll(() => page.locator("#root_result__error").textContent()).toContain("不应少于 2 个字符");
    expect(await stateOf(page)).toBe("处置中");
    await page.context().close();
  });

  it("routing supervises: a numbered supervision sheet, printable without the app around it", async () => {
    const page = await e2e.loginAs("east.routing");
    await page.goto(caseUrl);
    await fire(page, "督办", "处置中");
    const sheets = page.getByTestId("case-sheets");
    expect(await sheets.textContent()).toContain("督办中");
    expect(await sheets.textContent()).toContain("平安法治平台");
    await sheets.getByRole("link", { name: "打印版" }).click();
    await page.waitForURL(/\/sheets\/[0-9a-f-]{36}$/);
    expect(await page.getByTestId("sheet").locator("h1").textContent()).toBe("东湖镇督办单");
    expect(await page.getByTestId("sheet-number").textContent()).toMatch(/^\d{4}-000001$/);
    expect(await page.getByTestId("sheet-matter").textContent()).toContain(title);
    expect(await page.getByTestId("sheet-matter").textContent()).toContain("矛盾纠纷");
    expect(await page.getByTestId("sheet-responsible").textContent()).toBe("平安法治平台");
    expect(await page.getByTestId("sheet-label").textContent()).toBe("督办");
    expect(await page.getByTestId("sheet").textContent()).toContain("签发人");
    expect(await page.getByTestId("sheet").textContent()).toContain("承办单位签收");
    await page.emulateMedia({ media: "print" });
    expect(await page.locator("header.top").isVisible()).toBe(false);
    expect(await page.getByTestId("township-name").isVisible()).toBe(false);
    expect(await page.getByTestId("sheet").isVisible()).toBe(true);
    await page.screenshot({ path: path.join(ARTIFACTS, "supervision-sheet-print.png"), fullPage: true });
    await page.emulateMedia({ media: "screen" });

    await page.getByTestId("nav-supervision").click();
    await page.waitForURL(/\/supervision$/);
    expect(await page.getByTestId("open-sheets").textContent()).toContain(title);
    await page.context().close();
  });

  it("the safety platform reports back: the handling clock pauses (grey) and the review clock runs", async () => {
    const page = await e2e.loginAs("east.safety");
    await page.goto(caseUrl);
    await fire(page, "处置反馈", "已反馈", async (f) => {
      await f.getByLabel("处置结果").fill("已上门调解，双方达成协议");
      await f.getByLabel("采取措施").fill("上门调解两次，签订调解协议");
    });
    const deadlines = page.getByTestId("deadlines");
    expect(await deadlines.locator('tr[data-deadline="handle"]').getAttribute("data-colour")).toBe("grey");
    expect(await deadlines.locator('tr[data-deadline="handle"]').textContent()).toContain("已暂停计时");
    expect(await deadlines.locator('tr[data-deadline="review"]').getAttribute("data-colour")).toMatch(
      /^(green|orange)$/,
    );
    await page.context().close();
  });

  it("routing approves the report back", async () => {
    const page = await e2e.loginAs("east.routing");
    await page.goto(caseUrl);
    await fire(page, "审核通过", "待回访", async (f) => {
      await f.getByLabel("审核意见").fill("处置到位，同意");
    });
    expect(await page.getByTestId("deadlines").textContent()).toContain("当前没有计时中的期限");
    await page.context().close();
  });

  it("the reporter closes the case after the revisit: 已办结 with the whole trail", async () => {
    const page = await e2e.loginAs("east.grid1");
    await page.goto(caseUrl);
    // The revisit note and a photo go on the case as a comment and an attachment.
    await page.getByTestId("comments").getByRole("textbox").fill("电话回访，当事人表示满意");
    await page.getByTestId("comments").getByRole("button", { name: "发表评论" }).click();
    await poll(() => page.getByTestId("comments").locator("li").count()).toBe(1);
    expect(await page.getByTestId("comments").textContent()).toContain("电话回访，当事人表示满意");
    await page
      .getByTestId("attachments")
      .locator('input[type="file"]')
      .setInputFiles({ name: "回访.png", mimeType: "image/png", buffer: PNG });
    await page.getByTestId("attachments").getByRole("button", { name: "上传" }).click();
    await poll(() => page.getByTestId("attachments").getByRole("link", { name: "回访.png" }).count()).toBe(1);
    await fire(page, "回访办结", "已办结", async (f) => {
      await f.getByLabel("群众满意度").selectOption({ label: "满意" });
      await f.getByLabel("回访方式").selectOption({ label: "电话" });
    });
    const trail = page.getByTestId("audit-trail");
    const text = (await trail.textContent()) ?? "";
    for (const step of [
      "上报事件",
      "分级研判",
      "分流交办",
      "签收",
      "督办",
      "处置反馈",
      "审核通过",
      "发表评论",
      "上传附件",
      "回访办结",
    ])
      expect(text).toContain(step);
    for (const who of ["王敏（东湖镇流转督办）", "钱勇（平安法治平台牵头领导）", "李娜（桥头村第一网格）"])
      expect(text).toContain(who);
    expect(text).toContain("群众满意度：满意");
    expect(text).toContain("主办单位：平安法治平台");
    expect(text).toContain("协办单位：派出所");
    expect(await trail.locator('li[data-type="case.transition"]').count()).toBe(7);
    expect(await page.getByTestId("case-sheets").textContent()).toContain("已销号");
    await page.screenshot({ path: path.join(ARTIFACTS, "case-loop-detail.png"), fullPage: true });

    // English: the same screen in English.
    await page.getByTestId("lang-switch").click();
    await poll(() => page.getByTestId("audit-trail").textContent()).toContain("Close after revisit");
    expect(await stateOf(page)).toBe("Closed");
    await page.getByTestId("lang-switch").click();
    await poll(() => stateOf(page)).toBe("已办结");
    await page.context().close();
  });

  it("the director switches to wartime with a reason: the header shows 战时; and back", async () => {
    const page = await e2e.loginAs("east.director");
    await page.goto(e2e.app.url + "/t/east-lake/due");
    expect(await page.getByTestId("mode-now").textContent()).toBe("平时");
    expect(await page.getByTestId("wartime-badge").count()).toBe(0);
    await page.getByLabel("切换理由").fill("防汛Ⅳ级应急响应启动");
    await page.getByRole("button", { name: "切换为战时" }).click();
    await poll(() => page.getByTestId("mode-now").textContent()).toBe("战时");
    expect(await page.getByTestId("wartime-badge").textContent()).toBe("战时");
    expect(await page.getByTestId("duty-today").textContent()).toContain("战时全体领导24小时在岗");
    expect(await page.getByTestId("duty-leaders").textContent()).toContain("陈刚（东湖镇主任）");
    await page.screenshot({ path: path.join(ARTIFACTS, "due-wartime.png"), fullPage: true });
    await page.getByLabel("切换理由").fill("应急响应结束");
    await page.getByRole("button", { name: "切换为平时" }).click();
    await poll(() => page.getByTestId("mode-now").textContent()).toBe("平时");
    expect(await page.getByTestId("wartime-badge").count()).toBe(0);
    await page.context().close();

    // Routing may watch deadlines but not switch modes.
    const routing = await e2e.loginAs("east.routing");
    await routing.goto(e2e.app.url + "/t/east-lake/due");
    expect(await routing.getByTestId("mode-switch").count()).toBe(0);
    await routing.context().close();
  });
});
