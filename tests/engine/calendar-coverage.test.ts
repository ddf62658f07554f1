import { describe, expect, it } from "vitest";
import { calendarCoverageIssues, yearsInUse } from "#engine/config/checks-calendar";
import { compileConfig } from "#engine/config/compile";
import { parseCalendarFile } from "#engine/calendar";
import { demoConfig, readTenantJson } from "./helpers";
import { issueMessage } from "#app/locales/issues/index";

const ZONE = "Asia/Shanghai";

const base = parseCalendarFile(readTenantJson("calendars/cn-mainland.json"));
const compiled = compileConfig(demoConfig() as never, { calendarBases: { "cn-mainland": base } });

describe("calendar coverage", () => {
  it.each([
    [[2025, 2026], []],
    [[2026, 2027], []], // 2027 is provisional: usable, flagged in the data, not refused
    [[2027, 2028], ["calendar.year-uncovered"]],
    [[2024], ["calendar.year-uncovered"]],
  ])("years %j → %j", (years, codes) => {
    const issues = calendarCoverageIssues(compiled, years);
    expect(issues.map((i) => i.code)).toEqual(codes);
    for (const i of issues) {
      expect(i.path).toBe("/calendars/cn-mainland");
      expect(issueMessage(i).zh).toMatch(/没有 \d{4} 年/);
    }
  });

  it("checks the current year in Shanghai time", () => {
    expect(yearsInUse(ZONE, new Date("2026-12-31T16:30:00Z"))).toEqual([2027]);
    expect(yearsInUse(ZONE, new Date("2026-12-31T15:30:00Z"))).toEqual([2026]);
  });
});
