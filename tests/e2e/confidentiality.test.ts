// Confidentiality in the browser: a grid worker cannot reach another village's case, an export
// without permission is refused, and a permitted export is watermarked and audited.
import { readFileSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";
import { hasBrowser, useE2EApp } from "#tests/setup/e2e";

describe.runIf(hasBrowser)("confidentiality in Chromium", () => {
  let caseUrl = "";

  const e2e = useE2EApp();
  beforeAll(async () => {
    caseUrl = await e2e.reportOverHttp("east.grid1", {
      summary: "桥头村宅基地纠纷",
      parties: 2,
      location: "桥头村2组",
      partyPhone: "13700003333",
    });
  });

  it("a grid worker of another village can neither open nor list the case", async () => {
    const page = await e2e.loginAs("east.grid3", { acceptDownloads: true });
    const res = await page.goto(caseUrl);
    expect(res?.status()).toBe(404);
    expect(await page.content()).not.toContain("桥头村宅基地纠纷");
    await page.goto(e2e.app.url + "/t/east-lake");
    expect(await page.content()).not.toContain("桥头村宅基地纠纷");
    await page.context().close();
  });

  it("a grid worker has no export button, and a forged export request is refused", async () => {
    const page = await e2e.loginAs("east.grid1", { acceptDownloads: true });
    await page.goto(e2e.app.url + "/t/east-lake");
    expect(await page.getByTestId("export-csv").count()).toBe(0);
    // Submit the export form anyway, from the app's own page (same origin, valid session).
    const status = await page.evaluate(async () => {
      const res = await fetch("/t/east-lake/export", { method: "POST", body: new URLSearchParams({ format: "csv" }) });
      return res.status;
    });
    expect(status).toBe(403);
    await page.context().close();
  });

  it("the routing post exports a watermarked file, and the director sees the export in the audit log", async () => {
    const page = await e2e.loginAs("east.routing", { acceptDownloads: true });
    await page.goto(e2e.app.url + "/t/east-lake");
    const [download] = await Promise.all([page.waitForEvent("download"), page.getByTestId("export-csv").click()]);
    const text = readFileSync((await download.path())!, "utf8");
    expect(text).toContain("桥头村宅基地纠纷");
    expect(text).toMatch(/网格通导出 · 王敏（东湖镇流转督办）（east\.routing）/);
    expect(text).toContain("仅限内部使用");
    // The routing post may export but not read the audit log.
    expect((await page.goto(e2e.app.url + "/t/east-lake/audit"))?.status()).toBe(403);
    await page.context().close();

    const director = await e2e.loginAs("east.director", { acceptDownloads: true });
    await director.goto(e2e.app.url + "/t/east-lake/audit");
    const log = await director.getByTestId("audit-log").textContent();
    expect(log).toContain("导出事件列表");
    expect(log).toContain("王敏（东湖镇流转督办）");
    expect(await director.getByTestId("chain-status").textContent()).toContain("审计链校验通过");
    await director.context().close();
  });
});
