// Issue 6 in a real browser: the county admin onboards a township from the template (importing its
// villages and grids from a CSV file, with a bad file first), adds its first staff, publishes; the
// new township admin logs in with the one-time password; the new grid worker files the first case.
// Then a township admin renames a category and shortens a deadline in the config editor, sees the
// diff, publishes, and the report page shows the new name.
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ARTIFACTS, chooseOwnPassword, hasBrowser, useE2EApp } from "#tests/setup/e2e";

describe.runIf(hasBrowser)("onboarding and config editing in Chromium", () => {
  let files: string;

  const e2e = useE2EApp();
  beforeAll(async () => {
    files = mkdtempSync(path.join(tmpdir(), "gridwork-org-"));
  });
  afterAll(async () => {
    if (files) rmSync(files, { recursive: true, force: true });
  });

  const shot = (page: Page, name: string) =>
    page.screenshot({ path: path.join(ARTIFACTS, `onboarding-${name}.png`), fullPage: true });

  it("a county admin onboards a township; its admin and grid worker log in and the first case is filed", async () => {
    const page = await e2e.loginAs("county.admin");
    await page.getByTestId("counties").getByRole("link", { name: "示范县社会治理中心" }).click();
    await page.waitForURL(/\/c\/demo-county$/);
    expect(await page.getByTestId("county-townships").textContent()).toContain("东湖镇");
    await page.getByRole("link", { name: "接入新乡镇" }).click();
    await page.waitForURL(/\/c\/demo-county\/onboard$/);

    // 1. Template: the guideline's first version (1.1.0 is published too, for the upgrade screen).
    await page.getByLabel("模板版本").selectOption("command-room-guideline@1.0.0");
    await page.getByRole("button", { name: "下一步" }).click();

    // 2. The township's own facts; it keeps every template platform.
    await page.getByLabel("中文名称").fill("南湖镇");
    await page.getByLabel("英文名称").fill("South Lake Town");
    await page.getByLabel("乡镇编号").fill("south-lake");
    expect(await page.getByRole("checkbox", { name: /平安法治平台/ }).isChecked()).toBe(true);
    // It has no public-service platform: its category moves to the safety platform in the same step.
    await page.getByRole("checkbox", { name: /公共服务平台/ }).uncheck();
    const remap = page.getByLabel("“公共服务平台”不再保留，它办理的 1 个事件类别（民生服务）：");
    expect(await remap.inputValue()).toBe("-");
    await remap.selectOption({ label: "改由“平安法治平台”办理" });
    await shot(page, "0-platforms");
    await page.getByRole("button", { name: "下一步" }).click();

    // 3. Villages and grids from a file: a bad file is refused row by row, a good one fills the table.
    const bad = path.join(files, "bad.csv");
    writeFileSync(
      bad,
      "kind,id,name,name_en,parent,gridType\nvillage,village-nanhu,南湖村,,,\ngrid,grid-nanhu-1,南湖村第一网格,,village-nowhere,comprehensive\n",
    );
    await page.getByLabel("从 CSV/XLSX 文件导入").setInputFiles(bad);
    await expect
      .poll(() => page.getByTestId("import-report").textContent())
      .toContain("第 3 行：上级“village-nowhere”不存在");
    expect(await page.getByTestId("import-report").textContent()).toContain(
      'Row 3: parent "village-nowhere" does not exist',
    );
    expect(await page.getByTestId("org-table").locator("tbody tr").count()).toBe(0);

    const good = path.join(files, "villages-grids.csv");
    writeFileSync(
      good,
      "kind,id,name,name_en,parent,gridType\nvillage,village-nanhu,南湖村,Nanhu Village,,\ngrid,grid-nanhu-1,南湖村第一网格,Nanhu grid 1,village-nanhu,comprehensive\n",
    );
    await page.getByLabel("从 CSV/XLSX 文件导入").setInputFiles(good);
    await expect.poll(() => page.getByTestId("import-status").textContent()).toContain("已导入 2 行");
    expect(await page.getByTestId("org-table").locator("tbody tr").count()).toBe(2);
    expect(await page.getByLabel("第 2 行 上级").inputValue()).toBe("village-nanhu");
    await shot(page, "1-villages-grids");
    await page.getByRole("button", { name: "下一步" }).click();

    // 4. The first people: the admin's login follows the code; one grid worker in the new grid.
    expect(await page.getByLabel("账号", { exact: true }).inputValue()).toBe("south-lake.admin");
    await page.getByLabel("姓名", { exact: true }).fill("郑洁（南湖镇管理员）");
    await page.getByRole("button", { name: "添加人员" }).click();
    expect(await page.getByLabel("第 1 人 账号").inputValue()).toBe("south-lake.");
    await page.getByLabel("第 1 人 账号").fill("south-lake.grid1");
    await page.getByLabel("第 1 人 姓名").fill("林晓（南湖村第一网格）");
    await page.getByLabel("第 1 人 岗位").selectOption("grid-worker");
    // A grid worker is offered the grids only; the township's one grid is picked already.
    expect(await page.getByLabel("第 1 人 所在单位").locator("option:not([disabled])").allTextContents()).toEqual([
      "南湖村第一网格（grid-nanhu-1）",
    ]);
    expect(await page.getByLabel("第 1 人 所在单位").inputValue()).toBe("grid-nanhu-1");
    await page.getByRole("button", { name: "下一步" }).click();

    // 5. Preview: counts, the changes against the template, the first category's intake form.
    await expect
      .poll(() => page.getByTestId("preview-counts").locator('[data-section="grids"]').textContent(), {
        timeout: 15_000,
      })
      .toBe("网格01");
    expect(await page.getByTestId("preview-changes").textContent()).toContain("新增单位“南湖村第一网格”");
    expect(await page.getByTestId("preview-changes").textContent()).toContain("删除单位“公共服务平台”");
    expect(await page.getByTestId("preview-form").locator("h3").textContent()).toBe("表单预览：矛盾纠纷上报");
    expect(await page.getByTestId("preview-form").getByLabel("事件概要").count()).toBe(1);
    await shot(page, "2-preview");
    await page.getByRole("button", { name: "发布", exact: true }).click();

    await page.getByTestId("credentials").waitFor();
    expect(await page.getByRole("status").textContent()).toBe("乡镇“南湖镇”已接入，配置第 1 版已发布");
    const adminPassword = (await page.getByTestId("password-south-lake.admin").textContent())!;
    const gridPassword = (await page.getByTestId("password-south-lake.grid1").textContent())!;
    expect(adminPassword).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    await shot(page, "3-one-time-passwords");
    await page.getByRole("link", { name: "返回乡镇列表" }).click();
    await page.waitForURL(/\/c\/demo-county\?onboarded=south-lake/);
    const row = page.getByTestId("county-townships").locator('tr[data-code="south-lake"]');
    expect(await row.textContent()).toContain("command-room-guideline@1.0.0");
    await page.close();

    // The new township admin logs in with the one-time password, must choose their own first,
    // and sees config version 1.
    const admin = await e2e.loginAs("south-lake.admin", { password: adminPassword });
    expect(await admin.getByTestId("password-required").textContent()).toContain("一次性密码");
    await chooseOwnPassword(admin, adminPassword, "南湖镇管理员2026春");
    expect(await admin.getByTestId("password-changed").textContent()).toContain("密码已修改");
    await admin.getByRole("link", { name: "南湖镇" }).click();
    await admin.getByRole("link", { name: "配置管理" }).click();
    await expect.poll(() => admin.getByTestId("config-version").textContent()).toBe("v1");
    expect(await admin.getByTestId("config-template").textContent()).toBe("command-room-guideline@1.0.0");
    await admin.close();

    // The new grid worker files the township's first case.
    const grid = await e2e.loginAs("south-lake.grid1", { password: gridPassword });
    await chooseOwnPassword(grid, gridPassword, "南湖村第一网格2026");
    await grid.getByRole("link", { name: "南湖镇" }).click();
    await grid.getByRole("link", { name: "上报事件" }).click();
    await grid.getByLabel("事件类别").selectOption("dispute");
    await grid.getByLabel("事件概要").fill("南湖村邻里噪音纠纷");
    await grid.getByLabel("涉及人数").fill("2");
    await grid.getByLabel("发生地点").fill("南湖村3组");
    await grid.getByRole("button", { name: "提交" }).click();
    await grid.waitForURL(/\/t\/south-lake\?reported=/);
    await expect.poll(() => grid.getByRole("status").textContent()).toMatch(/事件已上报，编号 \d{4}-000001/);
    expect(await grid.getByTestId("case-list").locator("tbody tr").first().textContent()).toContain("南湖村第一网格");
    await shot(grid, "4-first-case");
    await grid.close();
  });

  it("a township admin renames a category and shortens a deadline, sees the diff, publishes, and the report page follows", async () => {
    const page = await e2e.loginAs("east.admin");
    await page.getByRole("link", { name: "东湖镇" }).click();
    await page.getByRole("link", { name: "配置管理" }).click();
    await expect.poll(() => page.getByTestId("config-version").textContent()).toBe("v1");
    await page.getByRole("link", { name: "编辑配置" }).click();
    await page.waitForURL(/\/admin\/config$/);

    const name = page.locator("#cfg-categories_0_name_zh");
    expect(await name.inputValue()).toBe("矛盾纠纷");
    await name.fill("邻里纠纷");
    await page.getByRole("tab", { name: /办理时限/ }).click();
    const amount = page.locator("#cfg-deadlinePolicies_standard_handle_amount");
    expect(await amount.inputValue()).toBe("5");
    await amount.fill("3");

    await expect
      .poll(() => page.getByTestId("config-changes").textContent(), { timeout: 15_000 })
      .toContain("类别“矛盾纠纷”的名称（中文）：“矛盾纠纷” → “邻里纠纷”");
    expect(await page.getByTestId("config-changes").textContent()).toContain(
      "时限规则“standard”的办理时限：5 个工作日 → 3 个工作日",
    );
    expect(await page.getByRole("tab", { name: /事件类别/ }).textContent()).toContain("（已修改）");
    await shot(page, "5-config-diff");

    // A value that breaks the config shows the CLI's bilingual issue and cannot be published.
    await amount.fill("0");
    await expect
      .poll(() => page.getByTestId("config-issues").textContent(), { timeout: 15_000 })
      .toContain("/deadlinePolicies/standard/handle/amount");
    expect(await page.getByTestId("publish-config").isDisabled()).toBe(true);
    await amount.fill("3");
    await expect
      .poll(() => page.getByTestId("config-changes").textContent(), { timeout: 15_000 })
      .toContain("5 个工作日 → 3 个工作日");

    await page.getByTestId("publish-config").click();
    await page.waitForURL(/\/admin\?published=2$/);
    // The editor's own status may still be on screen for a moment after the URL changes.
    await expect.poll(() => page.getByRole("status").first().textContent()).toBe("第 2 版已发布");
    expect(await page.getByTestId("config-version").textContent()).toBe("v2");

    await page.getByRole("link", { name: "上报事件" }).click();
    await page.waitForURL(/\/t\/east-lake\/report$/);
    await expect.poll(() => page.getByLabel("事件类别").locator("option").allTextContents()).toContain("邻里纠纷");
    expect(await page.getByLabel("事件类别").locator("option").allTextContents()).not.toContain("矛盾纠纷");
    await page.getByLabel("事件类别").selectOption("dispute");
    await expect.poll(() => page.getByTestId("intake-form").locator("h2").textContent()).toBe("矛盾纠纷上报");
    await shot(page, "6-report-renamed");

    // The form designer works from the keyboard: add a field, name it, move it up; the preview follows.
    await page.goto(e2e.app.url + "/t/east-lake/admin/forms/intake-service");
    await page.getByTestId("add-field").focus();
    await page.keyboard.press("Enter");
    const title = page.locator("#f-2-title-zh");
    await title.fill("反映人");
    await expect.poll(() => page.getByTestId("designer-preview").getByLabel("反映人").count()).toBe(1);
    await page.locator("#move-up-field3").focus();
    await page.keyboard.press("Enter");
    await expect
      .poll(() => page.getByTestId("designer-fields").locator("li").nth(1).getAttribute("data-key"))
      .toBe("field3");
    await expect.poll(() => page.evaluate(() => document.activeElement?.id)).toBe("move-up-field3");
    await expect
      .poll(() => page.getByTestId("designer-changes").textContent(), { timeout: 15_000 })
      .toContain("表单“民生诉求”");
    await shot(page, "7-form-designer");
    await page.close();
  });
});
