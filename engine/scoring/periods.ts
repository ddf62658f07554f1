// Periods (month, quarter, year) in the township's time zone.
import { localYearMonth, startOfLocalMonth } from "#engine/time";
import { ms } from "./shared";

export type PeriodKind = "month" | "quarter" | "year";
/** A period: [start, end) as ISO instants; `key` is 2025-03, 2025-Q1 or 2025. */
export type Period = { kind: PeriodKind; key: string; start: string; end: string };
export type PeriodLike = { kind: PeriodKind; start: string | Date; end: string | Date; key?: string };

const MONTHS: Record<PeriodKind, number> = { month: 1, quarter: 3, year: 12 };

function periodAt(zone: string, kind: PeriodKind, year: number, month0: number): Period {
  const first = kind === "month" ? month0 : kind === "quarter" ? month0 - (month0 % 3) : 0;
  const key =
    kind === "month"
      ? `${year}-${String(first + 1).padStart(2, "0")}`
      : kind === "quarter"
        ? `${year}-Q${first / 3 + 1}`
        : String(year);
  return {
    kind,
    key,
    start: startOfLocalMonth(zone, year, first).toISOString(),
    end: startOfLocalMonth(zone, year, first + MONTHS[kind]).toISOString(),
  };
}

/** The month, quarter or year (local time in `zone`) an instant falls in. */
export function periodOf(zone: string, kind: PeriodKind, at: string | Date): Period {
  const { year, month0 } = localYearMonth(zone, at);
  return periodAt(zone, kind, year, month0);
}

/** A period from its key (2025-03, 2025-Q1, 2025); undefined when the key is malformed. */
export function periodFromKey(zone: string, key: string): Period | undefined {
  let m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  if (m) return periodAt(zone, "month", Number(m[1]), Number(m[2]) - 1);
  m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) return periodAt(zone, "quarter", Number(m[1]), (Number(m[2]) - 1) * 3);
  m = /^(\d{4})$/.exec(key);
  return m ? periodAt(zone, "year", Number(m[1]), 0) : undefined;
}

export const inPeriod = (period: PeriodLike, at: string | Date): boolean =>
  ms(at) >= ms(period.start) && ms(at) < ms(period.end);
