// Township local time: the one module that knows time zones. The zone is the config's `timeZone`
// (engine/config/defaults.ts); every local date, day boundary, period and formatted instant in the
// engine and the app goes through here (docs/decisions/027-defaults-compiled-into-the-config.md).
//
// Pure: offsets come from Intl's time-zone data for the given zone, never from the host's zone or
// a clock. A "day number" is whole days since 1970-01-01 of a local calendar date.

const DAY_MS = 86_400_000;
const MINUTE_MS = 60_000;

const partsFormatters = new Map<string, Intl.DateTimeFormat>();
function partsFormatter(zone: string): Intl.DateTimeFormat {
  let f = partsFormatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat("en-US", {
      timeZone: zone,
      hourCycle: "h23",
      year: "numeric",
      month: "numeric",
      day: "numeric",
      hour: "numeric",
      minute: "numeric",
      second: "numeric",
    });
    partsFormatters.set(zone, f);
  }
  return f;
}

/** Whether `zone` is an IANA time zone this runtime knows (config validation). */
export function isTimeZone(zone: string): boolean {
  try {
    partsFormatter(zone);
    return true;
  } catch {
    return false;
  }
}

// Offsets change only at transitions, so one per zone and quarter-hour is plenty to remember.
const offsetCache = new Map<string, number>();

/** The zone's offset from UTC at an instant (epoch ms), in ms: +8 h for Asia/Shanghai. */
export function offsetMs(zone: string, ms: number): number {
  const bucket = Math.floor(ms / (15 * MINUTE_MS));
  const key = `${zone}|${bucket}`;
  const cached = offsetCache.get(key);
  if (cached !== undefined) return cached;
  const p = Object.fromEntries(
    partsFormatter(zone)
      .formatToParts(new Date(bucket * 15 * MINUTE_MS))
      .map((x) => [x.type, x.value]),
  );
  const asUtc = Date.UTC(
    Number(p.year),
    Number(p.month) - 1,
    Number(p.day),
    Number(p.hour),
    Number(p.minute),
    Number(p.second),
  );
  const offset = asUtc - bucket * 15 * MINUTE_MS;
  if (offsetCache.size > 50_000) offsetCache.clear();
  offsetCache.set(key, offset);
  return offset;
}

/** The local day number of an instant. */
export function localDay(zone: string, ms: number): number {
  return Math.floor((ms + offsetMs(zone, ms)) / DAY_MS);
}

/** The instant (epoch ms) of a local wall-clock time: `localMs` is that time read as if it were UTC. */
export function fromLocalMs(zone: string, localMs: number): number {
  const guess = localMs - offsetMs(zone, localMs);
  return localMs - offsetMs(zone, guess);
}

/** The first millisecond of a local day. */
function startOfDayMs(zone: string, day: number): number {
  return fromLocalMs(zone, day * DAY_MS);
}

/** The last millisecond (23:59:59.999) of a local day. */
export function endOfDayMs(zone: string, day: number): number {
  return startOfDayMs(zone, day + 1) - 1;
}

/** Milliseconds since local midnight of an instant. */
export function localTimeOfDayMs(zone: string, ms: number): number {
  return ms + offsetMs(zone, ms) - localDay(zone, ms) * DAY_MS;
}

/** The local calendar date of an instant, e.g. 2025-09-30T17:00:00Z in Asia/Shanghai → "2025-10-01". */
export function localDate(zone: string, instant: Date | string): string {
  const ms = instant instanceof Date ? instant.getTime() : Date.parse(instant);
  if (!Number.isFinite(ms)) throw new RangeError("Invalid instant for localDate");
  return new Date(localDay(zone, ms) * DAY_MS).toISOString().slice(0, 10);
}

/** The calendar date `days` after (or before) a local date: "2026-03-29" + 1 → "2026-03-30", whatever the zone's clocks do. */
export function addLocalDays(date: string, days: number): string {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

/** Local year and month (0-11) of an instant. */
export function localYearMonth(zone: string, instant: Date | string): { year: number; month0: number } {
  const ms = instant instanceof Date ? instant.getTime() : Date.parse(instant);
  const local = new Date(ms + offsetMs(zone, ms));
  return { year: local.getUTCFullYear(), month0: local.getUTCMonth() };
}

/** The instant a local month begins (month0 may run past 11 into the next years). */
export function startOfLocalMonth(zone: string, year: number, month0: number): Date {
  return new Date(fromLocalMs(zone, Date.UTC(year, month0, 1)));
}

/** An instant as people read it in the township: date and 24-hour time in its zone. */
export function formatDateTime(
  instant: Date | string,
  locale: string,
  zone: string,
  options: Intl.DateTimeFormatOptions = {},
): string {
  return new Date(instant).toLocaleString(locale, { timeZone: zone, hour12: false, ...options });
}
