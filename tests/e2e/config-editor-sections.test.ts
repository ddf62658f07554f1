// Issue 6 in a real browser: the East Lake admin changes a scoring rule's points and renames a
// workbench tab in the config editor, sees each change in the diff, publishes each as a version,
// and the routing post's workbench shows the renamed tab.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ARTIFACTS, hasBrowser, poll, useE2EApp } from "#tests/setup/e2e";

describe.runIf(hasBrowser)("scoring rules and workbenches in the config editor, in Chromium", () => {
  const e2e = useE2EApp();

  it("the admin changes a rule's points and renames a tab; the routing post's workbench follows", async () => {
    const admin = await e2e.loginAs("east.admin");
    admin.on("pageerror", (e) => console.log("[pageerror]", e.message));
    await admin.goto(e2e.app.url + "/t/east-lake/admin/config");

    await admin.getByRole("tab", { name: /考评规则/ }).click();
    expect(await admin.getByTestId("section-note").textContent()).toContain("只用于发布之后发生的事项");
    const form = admin.getByTestId("section-form");
    // Rules are listed with their own names, facts and targets as choices, in Chinese.
    expect(await admin.locator("#cfg-scoring_4_name_zh").inputValue()).toBe("被发督办单");
    expect(await form.getByLabel("计分对象").first().locator("option:checked").textContent()).toBe("牵头单位");
    const points = admin.locator("#cfg-scoring_4_points");
    expect(await points.inputValue()).toBe("-2");
    await points.fill("-4");
    await poll(() => admin.getByTestId("config-changes").textContent()).toContain(
      "考评规则“被发督办单”的分值：-2 → -4",
    );
    expect(await admin.getByRole("tab", { name: /考评规则/ }).textContent()).toContain("（已修改）");
    await admin.screenshot({ path: path.join(ARTIFACTS, "config-editor-scoring.png"), fullPage: true });
    await admin.getByTestId("publish-config").click();
    await admin.waitForURL(/\/admin\?published=2$/);

    await admin.goto(e2e.app.url + "/t/east-lake/admin/config");
    await admin.getByRole("tab", { name: /工作台/ }).click();
    const tabName = admin.locator("#cfg-views_0_tabs_0_name_zh");
    expect(await tabName.inputValue()).toBe("待研判");
    // Posts are ticked, not typed.
    const posts = admin.locator("#cfg-views_0_posts");
    expect(await posts.getByRole("checkbox", { name: /全体成员/ }).isChecked()).toBe(false);
    expect(await posts.getByRole("checkbox", { name: /（routing）/ }).isChecked()).toBe(true);
    await tabName.fill("待研判（新）");
    await poll(() => admin.getByTestId("config-changes").textContent()).toContain("“待研判” → “待研判（新）”");
    await admin.screenshot({ path: path.join(ARTIFACTS, "config-editor-views.png"), fullPage: true });
    await admin.getByTestId("publish-config").click();
    await admin.waitForURL(/\/admin\?published=3$/);
    await admin.context().close();

    const tenant = await e2e.db.tenant.findUniqueOrThrow({ where: { code: "east-lake" } });
    const v3 = await e2e.db.configVersion.findFirstOrThrow({ where: { tenantId: tenant.id, version: 3 } });
    expect((v3.source as { scoring?: unknown }).scoring).toEqual({ rules: [{ id: "supervision-sheet", points: -4 }] });

    const routing = await e2e.loginAs("east.routing");
    await routing.goto(e2e.app.url + "/t/east-lake/work");
    await poll(() => routing.getByTestId("tab-to-triage").textContent()).toContain("待研判（新）");
    await routing.screenshot({ path: path.join(ARTIFACTS, "config-editor-workbench.png"), fullPage: true });
    await routing.context().close();
  });
});
