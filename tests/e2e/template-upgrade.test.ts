// The township admin's template upgrade in Chromium: East Lake's admin sees the template version
// the township is on and what 1.1.0 brings, previews the upgrade, decides the two conflicts (one
// bad JSON value first, refused without losing the other choice), publishes version 2 on 1.1.0,
// and the new category can be reported at once; the new workbench view appears for the command room.
import path from "node:path";
import type { Page } from "playwright-core";
import { describe, expect, it } from "vitest";
import { ARTIFACTS, hasBrowser, useE2EApp } from "#tests/setup/e2e";

const FROM = "command-room-guideline@1.0.0";
const TO = "command-room-guideline@1.1.0";

describe.runIf(hasBrowser)("template upgrade in Chromium", () => {
  const e2e = useE2EApp();
  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `template-upgrade-${name}.png`), fullPage: true });

  it("east.admin upgrades East Lake to 1.1.0, deciding its conflicts, and the new category is usable", async () => {
    const page = await e2e.loginAs("east.admin");
    await page.goto(e2e.app.url + "/t/east-lake/admin");
    await page.getByRole("link", { name: "模板升级" }).click();
    await page.waitForURL(/\/t\/east-lake\/admin\/upgrade$/);
    expect(await page.getByTestId("current-template").textContent()).toContain(FROM);

    const next = page.locator(`section[data-ref="${TO}"]`);
    expect(await next.getByRole("heading", { level: 2 }).textContent()).toBe(`新版本 ${TO}`);
    expect(await next.getByTestId("release-notes").textContent()).toContain("新增“生态环境”事件类别");
    const templateChanges = await next.getByTestId("template-changes").textContent();
    expect(templateChanges).toContain("新增类别“生态环境”");
    expect(templateChanges).toContain("时限规则“review”的办理时限：5 个工作日 → 3 个工作日");

    await next.getByRole("button", { name: "预览升级到 1.1.0" }).click();
    const preview = page.getByTestId("upgrade-preview");
    await expect.poll(() => preview.getByTestId("conflict-count").textContent()).toBe("2 处冲突需要决定");
    expect(await preview.getByRole("heading", { level: 2 }).textContent()).toBe(`升级预览：${FROM} → ${TO}`);
    const zh = preview.locator('fieldset[data-path="/posts/flexible/name/zh"]');
    const en = preview.locator('fieldset[data-path="/posts/flexible/name/en"]');
    expect(await zh.locator("legend").textContent()).toContain("岗位“应急机动岗”的名称（中文）");
    expect(await zh.getByTestId("value-base").locator("pre").textContent()).toBe('"机动岗位"');
    expect(await zh.getByTestId("value-ours").locator("pre").textContent()).toBe('"应急机动岗"');
    expect(await zh.getByTestId("value-theirs").locator("pre").textContent()).toBe('"综合机动岗"');
    expect(await zh.textContent()).toContain("本镇修改了 /posts/flexible/name/zh，新版模板也改了它，且改法不同");
    expect(await page.getByTestId("publish-upgrade").count()).toBe(0);
    await shot(page, "1-conflicts");

    // Keep the township's Chinese name; write an English one of our own, first without JSON quotes.
    await zh.getByLabel("保留本镇的值").check();
    await en.getByLabel("填写自定义值").check();
    await en.getByLabel("自定义值（JSON）").fill("Emergency and general-duty post");
    await preview.getByRole("button", { name: "按所选决定重新预览" }).click();
    await expect.poll(() => en.getByTestId("conflict-error").textContent()).toContain("不是有效的 JSON");
    expect(await preview.getByTestId("conflict-count").textContent()).toBe("1 处冲突需要决定");
    // Nothing typed or chosen is lost.
    expect(await zh.getByLabel("保留本镇的值").isChecked()).toBe(true);
    expect(await zh.getAttribute("data-decided")).toBe("yes");
    expect(await en.getByLabel("填写自定义值").isChecked()).toBe(true);
    expect(await en.getByLabel("自定义值（JSON）").inputValue()).toBe("Emergency and general-duty post");

    await en.getByLabel("自定义值（JSON）").fill('"Emergency and general-duty post"');
    await preview.getByRole("button", { name: "按所选决定重新预览" }).click();
    await expect.poll(() => preview.getByTestId("conflict-count").textContent()).toBe("所有冲突都已决定");
    const changes = await preview.getByTestId("upgrade-changes").textContent();
    expect(changes).toContain("新增类别“生态环境”");
    expect(changes).toContain("“Emergency standby post” → “Emergency and general-duty post”");
    // The shorter review time limit moves no running deadline; the preview says so, as the editor does.
    expect(await preview.getByTestId("impact-policies-note").textContent()).toBe(
      "时限规则的修改只适用于发布后上报的事件；已上报的事件仍按上报时的规则计时。",
    );
    expect(await page.getByTestId("deadline-impact").count()).toBe(0);
    await shot(page, "2-decided");

    await page.getByRole("button", { name: "发布升级（第 2 版）" }).click();
    await page.waitForURL(/\/t\/east-lake\/admin\?published=2$/);
    await expect.poll(() => page.getByTestId("config-version").textContent()).toBe("v2");
    expect(await page.getByRole("status").textContent()).toBe("第 2 版已发布");
    expect(await page.getByTestId("config-template").textContent()).toBe(TO);
    const audit = await e2e.db.auditEvent.findFirstOrThrow({ where: { type: "config.upgraded" } });
    expect(audit.data).toMatchObject({ from: FROM, to: TO, version: 2 });

    // The upgrade screen now has nothing newer to offer.
    await page.goto(e2e.app.url + "/t/east-lake/admin/upgrade");
    expect(await page.getByTestId("current-template").textContent()).toContain(TO);
    expect(await page.getByTestId("up-to-date").textContent()).toBe("已是最新发布的模板版本");

    // The new category is in the report form and takes a case.
    await page.goto(e2e.app.url + "/t/east-lake/report");
    const category = page.getByLabel("事件类别");
    expect(await category.locator("option").allTextContents()).toContain("生态环境");
    await category.selectOption("eco-environment");
    await page.getByLabel("问题描述").fill("山下村小河漂浮垃圾");
    await page.getByLabel("问题类型").selectOption("垃圾堆放");
    await page.getByLabel("问题位置").fill("山下村石桥下游");
    await shot(page, "3-new-category");
    await page.getByRole("button", { name: "提交" }).click();
    await page.waitForURL(/\/t\/east-lake\?reported=/);
    const filed = await e2e.db.case.findFirstOrThrow({
      where: { title: "山下村小河漂浮垃圾" },
      select: { categoryId: true, configVersion: true },
    });
    expect(filed).toEqual({ categoryId: "eco-environment", configVersion: 2 });
    await page.context().close();

    // The command room's workbench has the new "to revisit" view; the routing post may not upgrade.
    const routing = await e2e.loginAs("east.routing");
    await routing.goto(e2e.app.url + "/t/east-lake/work");
    await routing.getByTestId("workbench-tabs").waitFor();
    expect(await routing.getByTestId("tab-to-revisit").textContent()).toContain("待回访");
    const denied = await routing.goto(e2e.app.url + "/t/east-lake/admin/upgrade");
    expect(denied?.status()).toBe(403);
    await routing.context().close();
  });
});
