// Issue 6, deadline impact preview, in a real browser: a case is dispatched today with a handling
// deadline of 5 working days; the East Lake admin adds tomorrow's working day to the township's
// calendar as a day off, sees that case in the impact table (by number only: the admin may not read
// cases) one working day later, publishes, and the routing post sees the new due on the case screen.
import path from "node:path";
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { addDuration, addWorkingDays, buildCalendar, parseCalendarFile } from "#engine/calendar";
import { localDate } from "#engine/time";
import { reportCase } from "#app/server/cases.server";
import { ARTIFACTS, hasBrowser, poll, useE2EApp } from "#tests/setup/e2e";

const ZONE = "Asia/Shanghai";

const official = parseCalendarFile(
  JSON.parse(readFileSync(new URL("../../tenants/calendars/cn-mainland.json", import.meta.url), "utf8")),
);
/** As the app shows an instant (useWhen): Chinese, Asia/Shanghai, 24-hour clock. */
const shown = (d: Date | string) => new Date(d).toLocaleString("zh-CN", { timeZone: "Asia/Shanghai", hour12: false });

describe.runIf(hasBrowser)("deadline impact preview in Chromium", () => {
  const e2e = useE2EApp();
  const title = "桥头村5组邻里噪音纠纷（日历调整）";

  it("the admin adds a day off, sees the case whose due moves, publishes, and the case screen shows the new due", async () => {
    // Today, on the real clock the app runs on: reported and dispatched, due in 5 working days.
    const now = new Date();
    const reported = await reportCase(
      await e2e.context("east.grid1"),
      { categoryId: "dispute", data: { summary: title, parties: 2, location: "桥头村5组" } },
      now,
    );
    if (!reported.ok) throw new Error(JSON.stringify(reported));
    await e2e.fire(reported.caseId, "east.routing", "triage", { gradeId: "general" }, now);
    await e2e.fire(reported.caseId, "east.routing", "dispatch", { leadUnitId: "platform-safety" }, now);
    const oldDue = (await e2e.db.case.findUniqueOrThrow({ where: { id: reported.caseId } })).dueAt!;
    // The next working day becomes a day off: the case gets one more day.
    const dayOff = addWorkingDays(buildCalendar(official, { timeZone: ZONE }), localDate(ZONE, now), 1);
    const newDue = addDuration(buildCalendar(official, { timeZone: ZONE, holidays: [dayOff] }), now, {
      amount: 5,
      unit: "working-days",
    });
    expect(newDue.getTime()).toBeGreaterThan(oldDue.getTime());

    const admin = await e2e.loginAs("east.admin");
    admin.on("pageerror", (e) => console.log("[pageerror]", e.message));
    await admin.goto(e2e.app.url + "/t/east-lake/admin/config");
    await admin.getByRole("tab", { name: /工作日历/ }).click();
    // Opening the calendar changes nothing by itself.
    expect(await admin.getByRole("tab", { name: /工作日历/ }).textContent()).not.toContain("已修改");
    await admin
      .getByRole("group", { name: "节假日（休息日）" })
      .getByRole("button", { name: "添加", exact: true })
      .click();
    await admin.locator("#cfg-calendars_cn-mainland_holidays_0").fill(dayOff);

    const impact = admin.getByTestId("deadline-impact");
    const row = impact.locator(`tr[data-case="${reported.number}"]`);
    await poll(() => row.count()).toBe(1);
    expect(await admin.getByTestId("impact-count").textContent()).toMatch(/^1 件未结事件的 1 个期限将改变/);
    const cells = await row.locator("td").allTextContents();
    expect(cells).toEqual([reported.number, "（无权查看）", "办理期限", shown(oldDue), shown(newDue), "+1 个工作日"]);
    // Not readable by the admin: no link, no title.
    expect(await row.getByRole("link").count()).toBe(0);
    expect(await impact.textContent()).not.toContain(title);
    expect(await admin.getByTestId("config-changes").textContent()).toContain(dayOff);
    await admin.screenshot({ path: path.join(ARTIFACTS, "deadline-impact-preview.png"), fullPage: true });

    await admin.getByTestId("publish-config").click();
    await admin.waitForURL(/\/admin\?published=2&retimed=1$/);
    await expect
      .poll(() => admin.getByRole("status").first().textContent())
      .toContain("1 件未结事件的期限已按新日历重新计算");
    await admin.context().close();

    const routing = await e2e.loginAs("east.routing");
    await routing.goto(`${e2e.app.url}/t/east-lake/cases/${reported.caseId}`);
    const handle = routing.getByTestId("deadlines").locator('tr[data-deadline="handle"]');
    expect(await handle.locator("td").nth(1).textContent()).toBe(shown(newDue));
    // Counted on the corrected calendar: the day off is not a working day left.
    expect(await handle.locator("td").nth(2).textContent()).toContain("剩余 5 个工作日");
    expect(
      await routing.getByTestId("audit-trail").locator('li[data-type="case.deadlines-retimed"]').textContent(),
    ).toContain("按新工作日历调整期限");
    await routing.screenshot({ path: path.join(ARTIFACTS, "deadline-impact-case.png"), fullPage: true });
    await routing.context().close();
  });
});
