// Moving open cases to a new config version in a real browser (docs/decisions/038): East Lake has
// two cases 处置中 on version 1; version 2 renames that state 办理中 (`processing`). The admin follows
// the admin page's link, runs a dry run, is asked to choose a state for 处置中, chooses 办理中, sees
// each case's change in words, and moves both; the database holds them on version 2.
import path from "node:path";
import { describe, expect, it } from "vitest";
import { publishTownshipConfig } from "#app/server/config-publish.server";
import { reportCase } from "#app/server/cases.server";
import { ARTIFACTS, hasBrowser, useE2EApp } from "#tests/setup/e2e";

describe.runIf(hasBrowser)("moving open cases to a new config version in Chromium", () => {
  const e2e = useE2EApp();

  it("the admin maps the renamed state, reads the dry run and moves both cases", async () => {
    const ids: string[] = [];
    for (const summary of ["桥头村噪音纠纷（迁移）", "山下村邻里纠纷（迁移）"]) {
      const r = await reportCase(
        await e2e.context("east.grid1"),
        { categoryId: "dispute", data: { summary, parties: 2, location: "桥头村5组" } },
        new Date(),
      );
      if (!r.ok) throw new Error(JSON.stringify(r));
      await e2e.fire(r.caseId, "east.routing", "triage", { gradeId: "general" });
      await e2e.fire(r.caseId, "east.routing", "dispatch", { leadUnitId: "platform-safety" });
      await e2e.fire(r.caseId, "east.safety", "accept");
      ids.push(r.caseId);
    }
    const east = await e2e.db.tenant.findUniqueOrThrow({ where: { code: "east-lake" } });
    const v1 = await e2e.db.configVersion.findFirstOrThrow({ where: { tenantId: east.id, version: 1 } });
    const v2 = JSON.parse(JSON.stringify(v1.document).replaceAll('"handling"', '"processing"'));
    delete v2.extends;
    v2.workflows["case-loop"].states.processing.name = { zh: "办理中", en: "Processing" };
    const published = await publishTownshipConfig(e2e.db, v2, { by: "east.admin", now: new Date() });
    expect(published).toMatchObject({ ok: true, version: 2 });

    const page = await e2e.loginAs("east.admin", { viewport: { width: 1280, height: 900 } });
    await page.goto(e2e.app.url + "/t/east-lake/admin");
    await page.getByRole("link", { name: /迁移未结事件到最新版本（2 件在旧版本上）/ }).click();
    await page.getByRole("heading", { name: "迁移未结事件到第 2 版配置" }).waitFor();
    await page.getByRole("button", { name: "试运行" }).click();
    await page.getByTestId("dry-run-result").waitFor();
    await expect
      .poll(() => page.getByTestId("migrate-issues").textContent())
      .toContain("新版本没有状态“处置中”（2 件）");
    expect(await page.getByTestId("apply").count()).toBe(0);

    await page.getByLabel("新状态：处置中").selectOption({ label: "办理中" });
    await page.getByRole("button", { name: "试运行" }).click();
    await page.getByTestId("apply").waitFor();
    const rows = page.getByTestId("migrate-case");
    expect(await rows.count()).toBe(2);
    expect(await rows.first().textContent()).toMatch(
      /处置中 \(v1\) → 办理中 \(v2\)[\s\S]*办理期限 · 保留[\s\S]*主办：平安法治平台 · 保留/,
    );
    // What a person reads (innerText): textContent would include the page's hydration script.
    // biome-ignore lint/performance/useDomNodeTextContent: rendered text is the point here
    const text = await page.locator("body").innerText();
    for (const raw of ["true", "false", '{"', "undefined"]) expect(text).not.toContain(raw);
    await page.screenshot({ path: path.join(ARTIFACTS, "case-migration-dry-run.png"), fullPage: true });

    await page.getByRole("button", { name: "迁移这 2 件事件" }).click();
    await expect.poll(() => page.getByTestId("migrate-done").textContent()).toBe("已将 2 件事件迁移到第 2 版。");
    await page.screenshot({ path: path.join(ARTIFACTS, "case-migration-done.png"), fullPage: true });
    for (const id of ids) {
      expect(await e2e.db.case.findUniqueOrThrow({ where: { id } })).toMatchObject({
        configVersion: 2,
        state: "processing",
      });
    }
  });
});
