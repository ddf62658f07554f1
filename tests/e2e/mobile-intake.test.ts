// A grid worker on a phone-sized screen reports a case with the phone's location and a photo.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { ARTIFACTS, hasBrowser, useE2EApp } from "#tests/setup/e2e";

// A 1×1 PNG.
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==",
  "base64",
);

describe.runIf(hasBrowser)("phone-sized intake", () => {
  const e2e = useE2EApp();

  it("reports with location and photo on a 390×844 screen", async () => {
    const page = await e2e.loginAs("east.grid1", {
      viewport: { width: 390, height: 844 },
      isMobile: true,
      hasTouch: true,
      geolocation: { latitude: 29.0301, longitude: 119.1752, accuracy: 12 },
      permissions: ["geolocation"],
    });
    await page.goto(e2e.app.url + "/t/east-lake/report?category=safety-hazard");
    // Nothing wider than the screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);

    await page.getByLabel("隐患描述").fill("路边电线杆倾斜");
    await page.getByLabel("隐患类型").selectOption("道路");
    await page.getByLabel("隐患位置").fill("桥头村口");
    await page.getByTestId("locate").click();
    await expect.poll(() => page.getByTestId("point").textContent()).toContain("29.0301, 119.1752");
    await page.getByLabel("地址").fill("桥头村村口公交站旁");
    const dir = mkdtempSync(path.join(tmpdir(), "gridwork-photo-"));
    writeFileSync(path.join(dir, "现场.png"), PNG);
    await page.getByLabel("现场照片").setInputFiles(path.join(dir, "现场.png"));
    await page.screenshot({ path: path.join(ARTIFACTS, "mobile-intake.png"), fullPage: true });
    await page.getByRole("button", { name: "提交" }).click();
    await page.waitForURL(/\/t\/east-lake\?reported=/);
    expect(await page.getByTestId("case-list").textContent()).toContain("路边电线杆倾斜");

    const saved = await e2e.db.case.findFirstOrThrow({
      where: { title: "路边电线杆倾斜" },
      include: { attachments: true },
    });
    expect(saved.location).toEqual({ lat: 29.0301, lng: 119.1752, accuracy: 12, address: "桥头村村口公交站旁" });
    expect(saved.attachments.map((a) => [a.name, a.contentType, a.size])).toEqual([
      ["现场.png", "image/png", PNG.length],
    ]);
    await page.context().close();
  });
});
