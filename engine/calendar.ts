// Working-day calendar for deadlines (mainland China holidays and make-up workdays, 调休).
//
// Pure: no clock, no randomness, no host time zone. Calendar dates are ISO "YYYY-MM-DD" strings;
// instants are Date objects passed in by the caller. A calendar carries its township's time zone
// (the config's `timeZone`); engine/time.ts turns instants into local dates and back.
// Internally a date is a "day number": whole days since 1970-01-01 (UTC arithmetic, so exact).
import { endOfDayMs, fromLocalMs, localDay, localTimeOfDayMs, offsetMs } from "./time";

export type YearStatus = "official" | "provisional";

/** One year of a shipped calendar file (tenants/calendars/*.json). */
type CalendarYear = {
  /** "official": taken from the 国务院办公厅 notice. "provisional": incomplete, no make-up days. */
  status: YearStatus;
  source?: string;
  /** Every day of each holiday period, weekend days included. */
  holidays: string[];
  /** Make-up working days (调休) that fall on a Saturday or Sunday. */
  workdays: string[];
};

/** A shipped calendar file, e.g. tenants/calendars/cn-mainland.json. */
export type CalendarFile = {
  $comment?: string;
  id: string;
  source: string;
  years: Record<string, CalendarYear>;
};

/** The flat form of a calendar: what a base file reduces to, and what a tenant may override. */
export type CalendarData = {
  holidays: string[];
  workdays: string[];
  /** Year → status, for coverage checks; absent for data that covers no year as a whole. */
  years?: Record<string, YearStatus>;
};

/** Tenant additions from the township config (`calendars.<id>.holidays/workdays`). */
type CalendarOverrides = { holidays?: string[]; workdays?: string[] };
/** The tenant's additions and its time zone (the config's `timeZone`). */
export type CalendarOptions = CalendarOverrides & { timeZone: string };

export type WorkingCalendar = {
  readonly id: string | undefined;
  /** The township's IANA time zone: local dates and day ends are cut in it. */
  readonly zone: string;
  /** Day numbers that are off although they may be weekdays. */
  readonly holidays: ReadonlySet<number>;
  /** Day numbers that are working days although they may be weekends or base holidays. */
  readonly workdays: ReadonlySet<number>;
  readonly years: ReadonlyMap<number, YearStatus>;
};

export type DurationUnit = "working-days" | "calendar-days" | "hours";
export type Duration = { amount: number; unit: DurationUnit };

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

// ---------------------------------------------------------------------------------------------
// Dates and instants

/** Day number of an ISO date; throws RangeError on a malformed or impossible date (2025-02-30). */
export function dayNumber(iso: string): number {
  const m = ISO_DATE.exec(iso);
  if (!m) throw new RangeError(`Invalid date "${iso}": expected YYYY-MM-DD`);
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const ms = Date.UTC(y, mo - 1, d);
  const back = new Date(ms);
  if (back.getUTCFullYear() !== y || back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) {
    throw new RangeError(`Invalid date "${iso}": no such day`);
  }
  return ms / DAY_MS;
}

/** ISO date of a day number. */
export function isoDate(day: number): string {
  return new Date(day * DAY_MS).toISOString().slice(0, 10);
}

function instantMs(instant: Date, name: string): number {
  const ms = instant instanceof Date ? instant.getTime() : Number.NaN;
  if (!Number.isFinite(ms)) throw new RangeError(`Invalid instant for ${name}`);
  return ms;
}

/** The instant 23:59:59.999 local time of an ISO date. */
export function endOfLocalDay(zone: string, iso: string): Date {
  return new Date(endOfDayMs(zone, dayNumber(iso)));
}

/** 0 = Sunday … 6 = Saturday. 1970-01-01 (day 0) was a Thursday. */
function weekday(day: number): number {
  return (((day + 4) % 7) + 7) % 7;
}

// ---------------------------------------------------------------------------------------------
// Building a calendar

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

function dateList(v: unknown, where: string): string[] {
  if (!Array.isArray(v) || v.some((d) => typeof d !== "string"))
    throw new TypeError(`${where} must be an array of YYYY-MM-DD strings`);
  for (const d of v as string[]) dayNumber(d);
  return v as string[];
}

/** Checks the shape of a calendar file read from disk; throws TypeError/RangeError with the offending place. */
export function parseCalendarFile(raw: unknown): CalendarFile {
  if (!isRecord(raw)) throw new TypeError("Calendar file must be a JSON object");
  if (typeof raw.id !== "string" || raw.id === "") throw new TypeError("Calendar file needs a string id");
  if (typeof raw.source !== "string") throw new TypeError(`Calendar "${raw.id}" needs a string source`);
  if (!isRecord(raw.years)) throw new TypeError(`Calendar "${raw.id}" needs a years object`);
  const years: Record<string, CalendarYear> = {};
  for (const [year, entry] of Object.entries(raw.years)) {
    const where = `Calendar "${raw.id}" year ${year}`;
    if (!/^\d{4}$/.test(year)) throw new TypeError(`${where}: year keys must be four digits`);
    if (!isRecord(entry)) throw new TypeError(`${where} must be an object`);
    if (entry.status !== "official" && entry.status !== "provisional")
      throw new TypeError(`${where}: status must be "official" or "provisional"`);
    const holidays = dateList(entry.holidays, `${where} holidays`);
    const workdays = dateList(entry.workdays, `${where} workdays`);
    for (const d of [...holidays, ...workdays]) {
      if (!d.startsWith(year)) throw new RangeError(`${where}: date ${d} is not in ${year}`);
    }
    years[year] = {
      status: entry.status,
      ...(typeof entry.source === "string" ? { source: entry.source } : {}),
      holidays,
      workdays,
    };
  }
  return {
    ...(typeof raw.$comment === "string" ? { $comment: raw.$comment } : {}),
    id: raw.id,
    source: raw.source,
    years,
  };
}

/** Flattens a calendar file into holidays, workdays and per-year status. */
function calendarData(file: CalendarFile): CalendarData {
  const out: CalendarData = { holidays: [], workdays: [], years: {} };
  for (const [year, entry] of Object.entries(file.years)) {
    out.holidays.push(...entry.holidays);
    out.workdays.push(...entry.workdays);
    out.years![year] = entry.status;
  }
  return out;
}

function isCalendarFile(base: CalendarFile | CalendarData): base is CalendarFile {
  return !Array.isArray((base as CalendarData).holidays) && isRecord((base as CalendarFile).years);
}

/**
 * Builds a working calendar from a shipped base (or none: weekends only) plus tenant overrides.
 * Tenant overrides win over the base: a date the tenant lists as a holiday is off even if the base
 * has it as a make-up workday, and a date the tenant lists as a workday is worked even if the base
 * has it as a holiday. A date listed as both holiday and workday within the base, or within the
 * overrides, is a contradiction and throws a RangeError, as does a malformed date.
 * Coverage (`coveredYears`) comes from the base only: tenant dates never make a year "covered".
 */
export function buildCalendar(
  base: CalendarFile | CalendarData | undefined,
  overrides: CalendarOptions,
): WorkingCalendar {
  const data: CalendarData =
    base === undefined ? { holidays: [], workdays: [] } : isCalendarFile(base) ? calendarData(base) : base;
  const holidays = new Set(dateList(data.holidays, "Calendar holidays").map(dayNumber));
  const workdays = new Set(dateList(data.workdays, "Calendar workdays").map(dayNumber));
  for (const d of workdays) {
    if (holidays.has(d)) throw new RangeError(`Calendar lists ${isoDate(d)} as both a holiday and a workday`);
  }
  const extraHolidays = dateList(overrides.holidays ?? [], "Calendar override holidays").map(dayNumber);
  const extraWorkdays = dateList(overrides.workdays ?? [], "Calendar override workdays").map(dayNumber);
  const extraHolidaySet = new Set(extraHolidays);
  for (const d of extraWorkdays) {
    if (extraHolidaySet.has(d))
      throw new RangeError(`Calendar overrides list ${isoDate(d)} as both a holiday and a workday`);
  }
  for (const d of extraHolidays) {
    workdays.delete(d);
    holidays.add(d);
  }
  for (const d of extraWorkdays) {
    holidays.delete(d);
    workdays.add(d);
  }
  const years = new Map<number, YearStatus>();
  for (const [year, status] of Object.entries(data.years ?? {})) years.set(Number(year), status);
  const id = base !== undefined && isCalendarFile(base) ? base.id : undefined;
  return { id, zone: overrides.timeZone, holidays, workdays, years };
}

// ---------------------------------------------------------------------------------------------
// Queries

function isWorkingDayNum(cal: WorkingCalendar, day: number): boolean {
  if (cal.workdays.has(day)) return true;
  if (cal.holidays.has(day)) return false;
  const w = weekday(day);
  return w !== 0 && w !== 6;
}

/**
 * True for a listed make-up workday, else for a Monday–Friday that is not a holiday.
 * Outside the covered years only the weekend rule applies (see `coveredYears`).
 */
export function isWorkingDay(cal: WorkingCalendar, iso: string): boolean {
  return isWorkingDayNum(cal, dayNumber(iso));
}

/**
 * The years whose holiday arrangement the base data covers, ascending. By default only
 * "official" years: a provisional year has no make-up days, so deadlines in it can be wrong, and a
 * config validator should report "calendar does not cover year X". Pass includeProvisional to list all.
 */
export function coveredYears(cal: WorkingCalendar, opts?: { includeProvisional?: boolean }): number[] {
  return [...cal.years]
    .filter(([, status]) => status === "official" || opts?.includeProvisional === true)
    .map(([year]) => year)
    .sort((a, b) => a - b);
}

/** The status of a year in the base data, or undefined when the data does not mention it. */
export function yearStatus(cal: WorkingCalendar, year: number): YearStatus | undefined {
  return cal.years.get(year);
}

/** The n-th working day strictly after `day` (n ≥ 1), or strictly before it for n ≤ -1; n = 0 gives `day`. */
function shiftWorkingDays(cal: WorkingCalendar, day: number, n: number): number {
  const step = n < 0 ? -1 : 1;
  let left = Math.abs(n);
  let d = day;
  while (left > 0) {
    d += step;
    if (isWorkingDayNum(cal, d)) left--;
  }
  return d;
}

/** The ISO date of the n-th working day after (n > 0) or before (n < 0) an ISO date; n = 0 returns it unchanged. */
export function addWorkingDays(cal: WorkingCalendar, iso: string, n: number): string {
  if (!Number.isSafeInteger(n)) throw new RangeError(`Working days must be a whole number, got ${n}`);
  return isoDate(shiftWorkingDays(cal, dayNumber(iso), n));
}

/** Working days in the local-date interval (a, b], for a ≤ b. */
function countWorkingDays(cal: WorkingCalendar, a: number, b: number): number {
  let n = 0;
  for (let d = a + 1; d <= b; d++) if (isWorkingDayNum(cal, d)) n++;
  return n;
}

// ---------------------------------------------------------------------------------------------
// Durations

/*
 * Amounts. Hours may be fractional (1.5 hours is a clear instant). Working days and calendar days
 * must be whole numbers: a working-day deadline is due at the end of a day and there are no
 * working hours in the model, so "1.5 working days" has no defined instant; a fractional calendar
 * day would put the due at an odd clock time while reading as a day count, and 36 hours says the
 * same thing plainly. A RangeError at config/use time is better than a silently rounded deadline.
 * Negative, NaN and infinite amounts are rejected too (use subtractDuration to go backwards).
 */
function checkAmount(duration: Duration, fn: string): number {
  const { amount, unit } = duration;
  if (unit !== "working-days" && unit !== "calendar-days" && unit !== "hours") {
    throw new RangeError(`${fn}: unknown duration unit "${String(unit)}"`);
  }
  if (typeof amount !== "number" || !Number.isFinite(amount) || amount < 0) {
    throw new RangeError(`${fn}: duration amount must be a finite number ≥ 0, got ${String(amount)} ${unit}`);
  }
  if (unit !== "hours" && !Number.isSafeInteger(amount)) {
    throw new RangeError(`${fn}: ${unit} must be a whole number, got ${amount}; use "hours" for parts of a day`);
  }
  return amount;
}

/**
 * The due instant of a deadline of `duration` starting at `start`.
 * - working-days N: counting starts at the first working day after the start's local date (the
 *   day of report never counts, nor does a holiday or weekend it falls on), and the deadline is the
 *   end (23:59:59.999 local time) of the N-th working day. Reported Friday 10:00 with 1 working
 *   day → due Monday 23:59:59.999. N = 0 means "same day": the end of the start's local date.
 * - calendar-days N: the same local clock time N days on (start + N × 24 h where the zone has no DST).
 * - hours N: start + N hours; fractions allowed.
 */
export function addDuration(cal: WorkingCalendar, start: Date, duration: Duration): Date {
  const amount = checkAmount(duration, "addDuration");
  const ms = instantMs(start, "addDuration start");
  switch (duration.unit) {
    case "hours":
      return new Date(ms + amount * HOUR_MS);
    case "calendar-days":
      return new Date(fromLocalMs(cal.zone, ms + offsetMs(cal.zone, ms) + amount * DAY_MS));
    case "working-days":
      return new Date(endOfDayMs(cal.zone, shiftWorkingDays(cal, localDay(cal.zone, ms), amount)));
  }
}

/**
 * The instant `duration` before `due`, for reminders ("3 calendar days before due",
 * "2 working days before due").
 * - hours / calendar-days: due − N hours / due − N × 24 h.
 * - working-days N: the same local clock time on the N-th working day before the due's local date.
 *   For an end-of-day due this is the end of the working day after which exactly N working days
 *   remain, i.e. workingDaysBetween(cal, reminder, due) === N; it inverts addDuration:
 *   subtractDuration(addDuration(s, N), N) is the end of s's local date when that is a working day.
 */
export function subtractDuration(cal: WorkingCalendar, due: Date, duration: Duration): Date {
  const amount = checkAmount(duration, "subtractDuration");
  const ms = instantMs(due, "subtractDuration due");
  switch (duration.unit) {
    case "hours":
      return new Date(ms - amount * HOUR_MS);
    case "calendar-days":
      return new Date(fromLocalMs(cal.zone, ms + offsetMs(cal.zone, ms) - amount * DAY_MS));
    case "working-days": {
      const day = localDay(cal.zone, ms);
      return new Date(
        fromLocalMs(cal.zone, shiftWorkingDays(cal, day, -amount) * DAY_MS + localTimeOfDayMs(cal.zone, ms)),
      );
    }
  }
}

/**
 * Whole working days left from `from` until `to`, by local dates, for showing
 * "time left in working days":
 * - `to` on a later local date: the number of working days after from's date up to and including
 *   to's date (same counting as addDuration, so workingDaysBetween(s, addDuration(s, N)) === N).
 * - same local date: 0 ("due today"), whether or not the due instant has passed; compare instants
 *   to know whether an hours deadline is already overdue.
 * - `to` on an earlier local date (overdue): negative, minus the working days after to's date up to
 *   and including from's date, and at least −1 (overdue on a weekend right after the due is −1).
 */
export function workingDaysBetween(cal: WorkingCalendar, from: Date, to: Date): number {
  const a = localDay(cal.zone, instantMs(from, "workingDaysBetween from"));
  const b = localDay(cal.zone, instantMs(to, "workingDaysBetween to"));
  if (b === a) return 0;
  if (b > a) return countWorkingDays(cal, a, b);
  return -Math.max(1, countWorkingDays(cal, b, a));
}

/**
 * The due instant after a pause (中止/挂起) from `pausedAt` to `resumedAt`.
 * - hours / calendar-days: the due moves by the elapsed time, resumedAt − pausedAt.
 * - working-days: the due moves forward by the working days the pause consumed, counted like a
 *   deadline: working days after pausedAt's local date up to and including resumedAt's local date
 *   (= workingDaysBetween(pausedAt, resumedAt)), and the result is the end of that working day.
 *   Equivalently, the working days still left when the case was paused are left again when it
 *   resumes, counting from the day after the resume. A pause within one local day, or one that
 *   covers only weekends and holidays (paused Sep 30 evening, resumed Oct 8), moves nothing;
 *   paused Fri, resumed Mon → one working day (Monday).
 * Throws RangeError when resumedAt is before pausedAt.
 */
export function extendByPause(
  cal: WorkingCalendar,
  due: Date,
  pausedAt: Date,
  resumedAt: Date,
  unit: DurationUnit,
): Date {
  const dueMs = instantMs(due, "extendByPause due");
  const p = instantMs(pausedAt, "extendByPause pausedAt");
  const r = instantMs(resumedAt, "extendByPause resumedAt");
  if (r < p) throw new RangeError("extendByPause: resumedAt is before pausedAt");
  switch (unit) {
    case "hours":
    case "calendar-days":
      return new Date(dueMs + (r - p));
    case "working-days": {
      const consumed = countWorkingDays(cal, localDay(cal.zone, p), localDay(cal.zone, r));
      if (consumed === 0) return new Date(dueMs);
      return new Date(endOfDayMs(cal.zone, shiftWorkingDays(cal, localDay(cal.zone, dueMs), consumed)));
    }
    default:
      throw new RangeError(`extendByPause: unknown duration unit "${String(unit)}"`);
  }
}
