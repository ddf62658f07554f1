// The standards body in Chromium: its editor sees which township runs which template version,
// drafts the next guideline version from the newest one, is stopped for missing release notes,
// checks, publishes, and finds the new version at the top of the registry with its notes.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ARTIFACTS, hasBrowser, useE2EApp } from "#tests/setup/e2e";

describe.runIf(hasBrowser)("standards body in Chromium", () => {
  const e2e = useE2EApp();

  it("publishes the next template version with release notes and sees the townships on each version", async () => {
    const page = await e2e.loginAs("std.editor");
    await page.goto(e2e.app.url + "/t");
    await page.getByTestId("standards-bodies").getByRole("link").click();
    await page.waitForURL(/\/s\/demo-standards$/);

    const guideline = page.locator('section[data-template="command-room-guideline"]');
    const v1 = guideline.locator('tr[data-ref="command-room-guideline@1.0.0"]');
    // The URL changes before the registry renders (client navigation): wait for the row itself.
    await v1.getByTestId("version-townships").locator("li").first().waitFor();
    expect(
      await v1
        .getByTestId("version-townships")
        .locator("li")
        .evaluateAll((els) => els.map((el) => el.getAttribute("data-township"))),
    ).toEqual(["east-lake", "west-hill"]);
    expect(await v1.getByTestId("version-townships").textContent()).toContain("东湖镇");
    // What upgrading to the newest version would take each of them (a dry run).
    expect(await v1.locator('li[data-township="east-lake"]').getByTestId("upgrade-readiness").textContent()).toMatch(
      /^升级到 1\.\d+\.0 有 2 处冲突，需乡镇决定$/,
    );
    expect(await v1.locator('li[data-township="west-hill"]').getByTestId("upgrade-readiness").textContent()).toMatch(
      /^可直接升级到 1\.\d+\.0$/,
    );

    await guideline.getByRole("link", { name: "起草下一版" }).click();
    await page.waitForURL(/\/s\/demo-standards\/publish\?from=command-room-guideline$/);
    const editor = page.getByLabel("模板 JSON");
    const text = await editor.inputValue();
    expect(text.indexOf('"kind"')).toBeLessThan(text.indexOf('"categories"'));
    const draft = JSON.parse(text) as { version: string; categories: Array<{ id: string; name: { zh: string } }> };
    expect(draft.version).toMatch(/^1\.\d+\.0$/);
    draft.categories[0]!.name.zh = "矛盾纠纷（2027 修订）";
    // As a paste: typing 100 KB of JSON key by key is not what anyone does.
    await editor.evaluate(
      (el, text) => {
        (el as HTMLTextAreaElement).value = text;
      },
      JSON.stringify(draft, null, 2),
    );

    await page.getByRole("button", { name: "检查" }).click();
    await expect.poll(() => page.getByTestId("release-issues").textContent()).toContain("请填写更新说明");
    // Nothing typed is lost on the way back.
    expect(await editor.inputValue()).toContain("矛盾纠纷（2027 修订）");

    await page.getByLabel("更新说明（中文）").fill("矛盾纠纷类别更名；其余不变。");
    await page.getByLabel("更新说明（英文，可选）").fill("Dispute category renamed; nothing else changed.");
    await page.getByRole("button", { name: "检查" }).click();
    await expect
      .poll(() => page.getByTestId("release-check").getByRole("status").textContent())
      .toContain(`command-room-guideline@${draft.version}`);
    expect(await page.getByTestId("release-changes").textContent()).toContain("矛盾纠纷（2027 修订）");
    expect(await page.getByTestId("release-upgradable").textContent()).toContain("2 个");
    expect(await page.getByTestId("release-upgrades").locator('li[data-township="east-lake"]').textContent()).toContain(
      "2 处冲突",
    );
    expect(await page.getByTestId("release-upgrades").locator('li[data-township="west-hill"]').textContent()).toContain(
      "可直接升级",
    );
    await page.screenshot({ path: path.join(ARTIFACTS, "standards-publish-check.png"), fullPage: true });

    await page.getByRole("button", { name: "发布", exact: true }).click();
    await page.waitForURL(/\/s\/demo-standards\?published=/);
    // The check's own status may still be on screen for a moment after the URL changes.
    await expect
      .poll(() => page.getByRole("status").first().textContent())
      .toContain(`command-room-guideline@${draft.version} 已发布`);
    const newest = guideline.locator("tbody tr").first();
    expect(await newest.getAttribute("data-ref")).toBe(`command-room-guideline@${draft.version}`);
    expect(await newest.textContent()).toContain("矛盾纠纷类别更名");
    expect(await newest.textContent()).toContain("最新");
    expect(await guideline.getByTestId("template-usage").textContent()).toBe("2 个乡镇在用，其中 2 个未用最新版");
    await page.screenshot({ path: path.join(ARTIFACTS, "standards-registry.png"), fullPage: true });

    const row = await e2e.db.templateVersion.findUniqueOrThrow({
      where: { templateId_version: { templateId: "command-room-guideline", version: draft.version } },
    });
    expect(row.notesEn).toBe("Dispute category renamed; nothing else changed.");
  });

  it("refuses invalid JSON in both languages and keeps the text", async () => {
    const page = await e2e.loginAs("std.editor");
    await page.goto(e2e.app.url + "/s/demo-standards/publish");
    await page.getByTestId("lang-switch").click();
    await page.getByLabel("Template JSON").waitFor();
    await page.getByLabel("Template JSON").fill('{ "kind": "template", ');
    await page.getByRole("button", { name: "Check" }).click();
    await expect.poll(() => page.getByTestId("release-issues").textContent()).toContain("Not valid JSON");
    expect(await page.getByTestId("release-issues").textContent()).toContain("不是有效的 JSON");
    expect(await page.getByLabel("Template JSON").inputValue()).toBe('{ "kind": "template", ');
  });
});
