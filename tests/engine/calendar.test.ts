import { describe, expect, it } from "vitest";
import rawFile from "#tenants/calendars/cn-mainland.json";
import {
  addDuration,
  addWorkingDays,
  buildCalendar,
  coveredYears,
  dayNumber,
  endOfLocalDay,
  extendByPause,
  isWorkingDay,
  isoDate,
  parseCalendarFile,
  subtractDuration,
  workingDaysBetween,
  yearStatus,
  type Duration,
  type DurationUnit,
} from "#engine/calendar";
import { localDate } from "#engine/time";

const ZONE = "Asia/Shanghai";

const file = parseCalendarFile(rawFile);
const cal = buildCalendar(file, { timeZone: ZONE });

/** An instant given as Asia/Shanghai local time, e.g. at("2025-09-25 10:00"). */
const at = (local: string) => new Date(local.replace(" ", "T") + ":00+08:00");
/** End of a local day, 23:59:59.999 Asia/Shanghai. */
const eod = (iso: string) => new Date(`${iso}T23:59:59.999+08:00`);
const days = (from: string, to: string) => {
  const out: string[] = [];
  for (let d = dayNumber(from); d <= dayNumber(to); d++) out.push(isoDate(d));
  return out;
};

describe("shipped data: tenants/calendars/cn-mainland.json", () => {
  // Expected periods, written out independently of the data file from the official notices.
  const official: Record<string, { periods: Array<[string, string, string]>; workdays: string[] }> = {
    "2025": {
      periods: [
        ["元旦", "2025-01-01", "2025-01-01"],
        ["春节", "2025-01-28", "2025-02-04"],
        ["清明节", "2025-04-04", "2025-04-06"],
        ["劳动节", "2025-05-01", "2025-05-05"],
        ["端午节", "2025-05-31", "2025-06-02"],
        ["国庆节、中秋节", "2025-10-01", "2025-10-08"],
      ],
      workdays: ["2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"],
    },
    "2026": {
      periods: [
        ["元旦", "2026-01-01", "2026-01-03"],
        ["春节", "2026-02-15", "2026-02-23"],
        ["清明节", "2026-04-04", "2026-04-06"],
        ["劳动节", "2026-05-01", "2026-05-05"],
        ["端午节", "2026-06-19", "2026-06-21"],
        ["中秋节", "2026-09-25", "2026-09-27"],
        ["国庆节", "2026-10-01", "2026-10-07"],
      ],
      workdays: ["2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"],
    },
  };
  const officialYears = Object.entries(file.years).filter(([, y]) => y.status === "official");

  it("has official 2025 and 2026 and a provisional 2027", () => {
    expect(Object.fromEntries(Object.entries(file.years).map(([y, v]) => [y, v.status]))).toEqual({
      "2025": "official",
      "2026": "official",
      "2027": "provisional",
    });
    expect(file.id).toBe("cn-mainland");
    expect(file.years["2027"]!.source).toMatch(/NOT the official/);
    expect(file.years["2027"]!.workdays).toEqual([]);
  });

  it.each(Object.keys(official))(
    "%s has exactly every day of every holiday period and the make-up workdays",
    (year) => {
      const expected = official[year]!;
      const expectedHolidays = expected.periods.flatMap(([, from, to]) => days(from, to));
      expect([...file.years[year]!.holidays].sort()).toEqual(expectedHolidays);
      expect([...file.years[year]!.workdays].sort()).toEqual(expected.workdays);
    },
  );

  it.each(officialYears)(
    "%s: no date is both holiday and workday, dates are sorted, unique and in the year",
    (year, y) => {
      const h = new Set(y.holidays);
      expect(y.workdays.filter((d) => h.has(d))).toEqual([]);
      expect(h.size).toBe(y.holidays.length);
      expect(new Set(y.workdays).size).toBe(y.workdays.length);
      expect([...y.holidays].sort()).toEqual(y.holidays);
      expect([...y.workdays].sort()).toEqual(y.workdays);
      for (const d of [...y.holidays, ...y.workdays]) expect(d.startsWith(year)).toBe(true);
    },
  );

  it.each(officialYears)("%s: every make-up workday is a Saturday or Sunday", (_year, y) => {
    for (const d of y.workdays) expect([0, 6]).toContain(new Date(`${d}T00:00:00Z`).getUTCDay());
  });

  it("provisional 2027 lists only the fixed-date statutory holidays", () => {
    expect(file.years["2027"]!.holidays).toEqual([
      "2027-01-01",
      "2027-05-01",
      "2027-05-02",
      "2027-10-01",
      "2027-10-02",
      "2027-10-03",
    ]);
  });
});

describe("isWorkingDay", () => {
  it.each<[string, boolean, string]>([
    ["2025-09-26", true, "plain Friday"],
    ["2025-09-27", false, "plain Saturday"],
    ["2025-09-28", true, "make-up Sunday (National Day)"],
    ["2025-10-01", false, "National Day, Wednesday"],
    ["2025-10-08", false, "last day of the holiday, Wednesday"],
    ["2025-10-09", true, "first day back"],
    ["2025-10-11", true, "make-up Saturday"],
    ["2025-01-26", true, "make-up Sunday (Spring Festival)"],
    ["2025-02-04", false, "Spring Festival, Tuesday"],
    ["2025-02-08", true, "make-up Saturday (Spring Festival)"],
    ["2026-02-14", true, "2026 make-up Saturday"],
    ["2026-02-23", false, "2026 Spring Festival, Monday"],
    ["2028-01-03", true, "uncovered year: weekday rule only"],
    ["2028-01-01", false, "uncovered year: Saturday"],
  ])("%s → %s (%s)", (iso, expected) => {
    expect(isWorkingDay(cal, iso)).toBe(expected);
  });

  it.each(["2025-2-1", "2025-02-30", "20250201", ""])("rejects malformed date %j", (iso) => {
    expect(() => isWorkingDay(cal, iso)).toThrow(RangeError);
  });
});

describe("addDuration", () => {
  it.each<[string, Date, Duration, Date]>([
    // National Day 2025: Fri 26, Sun 28 (make-up), Mon 29, Tue 30, [Oct 1–8 off], Thu Oct 9.
    [
      "across National Day 2025 with the make-up Sunday",
      at("2025-09-25 10:00"),
      { amount: 5, unit: "working-days" },
      eod("2025-10-09"),
    ],
    [
      "make-up Sunday counts as the 2nd working day",
      at("2025-09-25 10:00"),
      { amount: 2, unit: "working-days" },
      eod("2025-09-28"),
    ],
    [
      "reported on the last day before the holiday",
      at("2025-09-30 16:00"),
      { amount: 1, unit: "working-days" },
      eod("2025-10-09"),
    ],
    [
      "reported during the holiday counts from the next working day",
      at("2025-10-03 09:00"),
      { amount: 2, unit: "working-days" },
      eod("2025-10-10"),
    ],
    ["make-up Saturday Oct 11 counts", at("2025-10-09 09:00"), { amount: 2, unit: "working-days" }, eod("2025-10-11")],
    // Spring Festival 2025: Sun Jan 26 (make-up), Mon 27, [Jan 28–Feb 4 off], Wed Feb 5.
    ["across Spring Festival 2025", at("2025-01-24 15:00"), { amount: 3, unit: "working-days" }, eod("2025-02-05")],
    ["reported during Spring Festival", at("2025-02-01 11:00"), { amount: 1, unit: "working-days" }, eod("2025-02-05")],
    ["make-up Saturday Feb 8", at("2025-02-07 09:00"), { amount: 1, unit: "working-days" }, eod("2025-02-08")],
    [
      "Spring Festival 2026 (Feb 14 and Feb 28 make-up Saturdays)",
      at("2026-02-12 09:00"),
      { amount: 3, unit: "working-days" },
      eod("2026-02-24"),
    ],
    // A plain week.
    ["plain week: Mon + 5 → next Mon", at("2025-03-10 09:00"), { amount: 5, unit: "working-days" }, eod("2025-03-17")],
    ["Friday + 1 → Monday end of day", at("2025-03-14 10:00"), { amount: 1, unit: "working-days" }, eod("2025-03-17")],
    ["reported Saturday + 1 → Monday", at("2025-03-15 10:00"), { amount: 1, unit: "working-days" }, eod("2025-03-17")],
    [
      "0 working days → end of the same local day",
      at("2025-03-14 10:00"),
      { amount: 0, unit: "working-days" },
      eod("2025-03-14"),
    ],
    // Calendar units ignore the holiday calendar.
    ["hours", at("2025-09-30 20:00"), { amount: 24, unit: "hours" }, at("2025-10-01 20:00")],
    ["fractional hours", at("2025-09-30 20:00"), { amount: 1.5, unit: "hours" }, at("2025-09-30 21:30")],
    [
      "calendar days across the holiday",
      at("2025-09-30 20:00"),
      { amount: 3, unit: "calendar-days" },
      at("2025-10-03 20:00"),
    ],
  ])("%s", (_name, start, duration, due) => {
    expect(addDuration(cal, start, duration).toISOString()).toBe(due.toISOString());
  });

  it("due instant is 23:59:59.999 Shanghai time, i.e. 15:59:59.999Z", () => {
    expect(addDuration(cal, at("2025-09-25 10:00"), { amount: 5, unit: "working-days" }).toISOString()).toBe(
      "2025-10-09T15:59:59.999Z",
    );
  });

  it.each<[string, Duration]>([
    ["fractional working days", { amount: 1.5, unit: "working-days" }],
    ["fractional calendar days", { amount: 0.5, unit: "calendar-days" }],
    ["negative working days", { amount: -1, unit: "working-days" }],
    ["negative hours", { amount: -2, unit: "hours" }],
    ["NaN hours", { amount: Number.NaN, unit: "hours" }],
    ["infinite calendar days", { amount: Number.POSITIVE_INFINITY, unit: "calendar-days" }],
    ["unknown unit", { amount: 1, unit: "weeks" as DurationUnit }],
  ])("rejects %s with a RangeError", (_name, duration) => {
    expect(() => addDuration(cal, at("2025-03-10 09:00"), duration)).toThrow(RangeError);
    expect(() => subtractDuration(cal, at("2025-03-10 09:00"), duration)).toThrow(RangeError);
  });

  it("names the problem and the fix in the message", () => {
    expect(() => addDuration(cal, at("2025-03-10 09:00"), { amount: 1.5, unit: "working-days" })).toThrow(
      /whole number.*hours/,
    );
  });

  it("rejects an invalid start instant", () => {
    expect(() => addDuration(cal, new Date(Number.NaN), { amount: 1, unit: "hours" })).toThrow(RangeError);
  });
});

describe("time zone: Asia/Shanghai, UTC+8", () => {
  it.each([
    ["2025-09-30T17:00:00Z", "2025-10-01"],
    ["2025-09-30T15:59:59.999Z", "2025-09-30"],
    ["2025-09-30T16:00:00Z", "2025-10-01"],
    ["2024-12-31T16:00:00Z", "2025-01-01"],
  ])("%s is %s in Shanghai", (utc, local) => {
    expect(localDate(ZONE, new Date(utc))).toBe(local);
  });

  it("an instant at 2025-09-30T17:00:00Z is already Oct 1 (a holiday), so counting starts Oct 9", () => {
    expect(addDuration(cal, new Date("2025-09-30T17:00:00Z"), { amount: 1, unit: "working-days" }).toISOString()).toBe(
      eod("2025-10-09").toISOString(),
    );
    // One hour earlier is still Sep 30 in Shanghai: the next working day is also Oct 9.
    expect(addDuration(cal, new Date("2025-09-30T15:00:00Z"), { amount: 2, unit: "working-days" }).toISOString()).toBe(
      eod("2025-10-10").toISOString(),
    );
  });

  it("Sunday 2025-09-28T16:30Z is Monday 00:30 local: Monday itself does not count", () => {
    expect(addDuration(cal, new Date("2025-09-28T16:30:00Z"), { amount: 1, unit: "working-days" }).toISOString()).toBe(
      eod("2025-09-30").toISOString(),
    );
  });

  it("endOfLocalDay", () => {
    expect(endOfLocalDay(ZONE, "2025-10-09").toISOString()).toBe("2025-10-09T15:59:59.999Z");
  });
});

describe("subtractDuration (reminders)", () => {
  const due = eod("2025-10-09");
  it.each<[string, Duration, Date]>([
    [
      "1 working day before an after-holiday due → end of Sep 30",
      { amount: 1, unit: "working-days" },
      eod("2025-09-30"),
    ],
    ["2 working days before → end of Sep 29", { amount: 2, unit: "working-days" }, eod("2025-09-29")],
    [
      "4 working days before → Fri Sep 26 (the make-up Sunday Sep 28 counts)",
      { amount: 4, unit: "working-days" },
      eod("2025-09-26"),
    ],
    ["3 calendar days before", { amount: 3, unit: "calendar-days" }, eod("2025-10-06")],
    ["12 hours before", { amount: 12, unit: "hours" }, new Date("2025-10-09T11:59:59.999+08:00")],
    ["0 working days before is the due", { amount: 0, unit: "working-days" }, due],
  ])("%s", (_name, duration, expected) => {
    expect(subtractDuration(cal, due, duration).toISOString()).toBe(expected.toISOString());
  });

  it("keeps the local clock time for a non-end-of-day due", () => {
    expect(subtractDuration(cal, at("2025-10-09 14:30"), { amount: 1, unit: "working-days" }).toISOString()).toBe(
      at("2025-09-30 14:30").toISOString(),
    );
  });

  it.each([1, 2, 3, 5, 8])("a reminder %i working days before leaves exactly that many working days", (n) => {
    const reminder = subtractDuration(cal, due, { amount: n, unit: "working-days" });
    expect(workingDaysBetween(cal, reminder, due)).toBe(n);
  });
});

describe("workingDaysBetween", () => {
  const due = eod("2025-10-09");
  it.each<[string, Date, Date, number]>([
    ["the day reported, 5 working days", at("2025-09-25 10:00"), due, 5],
    ["on the make-up Sunday", at("2025-09-28 10:00"), due, 3],
    ["last working day before the holiday", at("2025-09-30 18:00"), due, 1],
    ["during the holiday", at("2025-10-05 12:00"), due, 1],
    ["on the due day", at("2025-10-09 08:00"), due, 0],
    ["on the due day, after an hours due passed", at("2025-10-09 18:00"), at("2025-10-09 12:00"), 0],
    ["one working day overdue", at("2025-10-10 09:00"), due, -1],
    ["overdue across the make-up Saturday", at("2025-10-11 09:00"), due, -2],
    ["overdue on a Sunday after that", at("2025-10-12 09:00"), due, -2],
    ["overdue on the Saturday right after a Friday due", at("2025-03-15 09:00"), eod("2025-03-14"), -1],
    ["overdue the following Tuesday", at("2025-03-18 09:00"), eod("2025-03-14"), -2],
    ["overdue into the National Day holiday", at("2025-10-03 09:00"), eod("2025-09-29"), -1],
  ])("%s → %i", (_name, from, to, expected) => {
    expect(workingDaysBetween(cal, from, to)).toBe(expected);
  });

  it.each([0, 1, 2, 5, 10, 30])("inverts addDuration: %i working days", (n) => {
    for (const start of [
      at("2025-09-25 10:00"),
      at("2025-01-24 15:00"),
      at("2025-10-01 09:00"),
      at("2026-02-13 17:00"),
    ]) {
      expect(workingDaysBetween(cal, start, addDuration(cal, start, { amount: n, unit: "working-days" }))).toBe(n);
    }
  });
});

describe("extendByPause", () => {
  it.each<[string, Date, Date, Date, DurationUnit, Date]>([
    // Due Thu Oct 9 (reported Thu Sep 25, 5 working days). Paused Mon 29 09:00, resumed Fri Oct 10 09:00:
    // the pause consumed Tue 30, Thu Oct 9, Fri Oct 10 (not the holiday) → due moves 3 working days: Fri 10, Sat 11 (make-up), Mon 13.
    [
      "across the holiday, working days",
      eod("2025-10-09"),
      at("2025-09-29 09:00"),
      at("2025-10-10 09:00"),
      "working-days",
      eod("2025-10-13"),
    ],
    [
      "pause covering only the holiday consumes nothing",
      eod("2025-10-09"),
      at("2025-09-30 20:00"),
      at("2025-10-08 10:00"),
      "working-days",
      eod("2025-10-09"),
    ],
    [
      "pause within one local day consumes nothing",
      eod("2025-10-09"),
      at("2025-09-26 09:00"),
      at("2025-09-26 17:00"),
      "working-days",
      eod("2025-10-09"),
    ],
    [
      "paused Friday, resumed Monday: one working day",
      eod("2025-03-20"),
      at("2025-03-14 16:00"),
      at("2025-03-17 09:00"),
      "working-days",
      eod("2025-03-21"),
    ],
    [
      "zero-length pause",
      eod("2025-10-09"),
      at("2025-09-29 09:00"),
      at("2025-09-29 09:00"),
      "working-days",
      eod("2025-10-09"),
    ],
    [
      "hours: shift by elapsed time",
      at("2025-09-30 20:00"),
      at("2025-09-30 10:00"),
      at("2025-10-02 10:00"),
      "hours",
      at("2025-10-02 20:00"),
    ],
    [
      "calendar days: shift by elapsed time",
      at("2025-10-03 20:00"),
      at("2025-09-30 10:00"),
      at("2025-10-01 16:30"),
      "calendar-days",
      at("2025-10-05 02:30"),
    ],
  ])("%s", (_name, due, pausedAt, resumedAt, unit, expected) => {
    expect(extendByPause(cal, due, pausedAt, resumedAt, unit).toISOString()).toBe(expected.toISOString());
  });

  it("equals restarting the remaining working days from the resume", () => {
    const start = at("2025-09-25 10:00");
    const due = addDuration(cal, start, { amount: 5, unit: "working-days" });
    const pausedAt = at("2025-09-28 11:00");
    const resumedAt = at("2025-10-10 09:00");
    const remaining = workingDaysBetween(cal, pausedAt, due);
    expect(extendByPause(cal, due, pausedAt, resumedAt, "working-days").toISOString()).toBe(
      addDuration(cal, resumedAt, { amount: remaining, unit: "working-days" }).toISOString(),
    );
  });

  it("rejects a resume before the pause", () => {
    expect(() =>
      extendByPause(cal, eod("2025-10-09"), at("2025-09-29 09:00"), at("2025-09-28 09:00"), "working-days"),
    ).toThrow(RangeError);
  });
});

describe("tenant overrides", () => {
  it.each<[string, { holidays?: string[]; workdays?: string[] }, string, boolean]>([
    ["a local holiday added on a weekday", { holidays: ["2025-03-12"] }, "2025-03-12", false],
    ["an official holiday turned into a workday", { workdays: ["2025-10-08"] }, "2025-10-08", true],
    ["an official make-up workday turned back into a holiday", { holidays: ["2025-09-28"] }, "2025-09-28", false],
    ["a plain Saturday made a workday", { workdays: ["2025-03-15"] }, "2025-03-15", true],
  ])("%s", (_name, overrides, iso, expected) => {
    const tenant = buildCalendar(file, { ...overrides, timeZone: ZONE });
    expect(isWorkingDay(tenant, iso)).toBe(expected);
    expect(isWorkingDay(cal, iso)).toBe(!expected); // the base is unchanged
  });

  it("a local holiday moves deadlines", () => {
    const tenant = buildCalendar(file, { timeZone: ZONE, holidays: ["2025-03-12"] });
    expect(addDuration(tenant, at("2025-03-10 09:00"), { amount: 3, unit: "working-days" }).toISOString()).toBe(
      eod("2025-03-14").toISOString(),
    );
    expect(addDuration(cal, at("2025-03-10 09:00"), { amount: 3, unit: "working-days" }).toISOString()).toBe(
      eod("2025-03-13").toISOString(),
    );
  });

  it("a holiday turned into a workday moves deadlines", () => {
    const tenant = buildCalendar(file, { timeZone: ZONE, workdays: ["2025-10-08"] });
    expect(addDuration(tenant, at("2025-09-30 16:00"), { amount: 1, unit: "working-days" }).toISOString()).toBe(
      eod("2025-10-08").toISOString(),
    );
  });

  it("rejects a date both holiday and workday in the overrides, and malformed dates", () => {
    expect(() => buildCalendar(file, { timeZone: ZONE, holidays: ["2025-03-12"], workdays: ["2025-03-12"] })).toThrow(
      RangeError,
    );
    expect(() => buildCalendar(file, { timeZone: ZONE, holidays: ["2025-13-01"] })).toThrow(RangeError);
  });

  it("rejects a base with a date both holiday and workday", () => {
    expect(() => buildCalendar({ holidays: ["2025-03-12"], workdays: ["2025-03-12"] }, { timeZone: ZONE })).toThrow(
      RangeError,
    );
  });

  it("no base: weekends only, plus overrides", () => {
    const bare = buildCalendar(undefined, { timeZone: ZONE, holidays: ["2025-03-12"] });
    expect(isWorkingDay(bare, "2025-10-01")).toBe(true);
    expect(isWorkingDay(bare, "2025-03-12")).toBe(false);
    expect(coveredYears(bare)).toEqual([]);
  });

  it("addWorkingDays works on dates", () => {
    expect(addWorkingDays(cal, "2025-09-30", 1)).toBe("2025-10-09");
    expect(addWorkingDays(cal, "2025-10-09", -1)).toBe("2025-09-30");
    expect(addWorkingDays(cal, "2025-10-04", 0)).toBe("2025-10-04");
  });
});

describe("coveredYears", () => {
  it("reports official years only by default", () => {
    expect(coveredYears(cal)).toEqual([2025, 2026]);
  });
  it("can include provisional years", () => {
    expect(coveredYears(cal, { includeProvisional: true })).toEqual([2025, 2026, 2027]);
    expect(yearStatus(cal, 2027)).toBe("provisional");
    expect(yearStatus(cal, 2025)).toBe("official");
    expect(yearStatus(cal, 2028)).toBeUndefined();
  });
  it("tenant overrides do not add coverage", () => {
    expect(coveredYears(buildCalendar(file, { timeZone: ZONE, holidays: ["2028-01-03"] }))).toEqual([2025, 2026]);
  });
});

describe("parseCalendarFile", () => {
  it.each<[string, unknown]>([
    ["not an object", []],
    ["no id", { source: "", years: {} }],
    ["bad status", { id: "x", source: "", years: { "2025": { status: "draft", holidays: [], workdays: [] } } }],
    [
      "date outside its year",
      { id: "x", source: "", years: { "2025": { status: "official", holidays: ["2026-01-01"], workdays: [] } } },
    ],
    [
      "malformed date",
      { id: "x", source: "", years: { "2025": { status: "official", holidays: ["2025-1-1"], workdays: [] } } },
    ],
  ])("rejects %s", (_name, raw) => {
    expect(() => parseCalendarFile(raw)).toThrow();
  });
});
