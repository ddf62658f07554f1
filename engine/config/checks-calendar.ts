// Calendars must cover the years deadlines will fall in. Needs the shipped calendar data, so it runs
// where that is at hand (publishing), after the config itself validated.
import { coveredYears } from "#engine/calendar";
import { localYearMonth } from "#engine/time";
import type { CompiledConfig } from "./compile";
import { type Issue, issue, pointer } from "#engine/issues";

/**
 * One issue per calendar used by a deadline policy that has no data (official or provisional) for a
 * year in `years`. Without it, working days there would count only weekends as days off.
 */
export function calendarCoverageIssues(compiled: CompiledConfig, years: readonly number[]): Issue[] {
  const used = new Set([...compiled.policies.values()].flatMap((p) => (p.calendar ? [p.calendar] : [])));
  const out: Issue[] = [];
  for (const id of [...used].sort()) {
    const def = compiled.config.calendars?.[id];
    if (!def?.base) continue; // a tenant-only calendar lists its own days off
    const covered = new Set(coveredYears(compiled.calendar(id), { includeProvisional: true }));
    for (const year of years) {
      if (!covered.has(year)) {
        out.push(issue(pointer("calendars", id), "calendar.year-uncovered", { id, year }));
      }
    }
  }
  return out;
}

/**
 * The years a config published now must cover: this year in the township's time zone. Next year's
 * official notice usually appears in November, so requiring it earlier would block every December publish.
 */
export function yearsInUse(zone: string, now: Date): number[] {
  return [localYearMonth(zone, now).year];
}
