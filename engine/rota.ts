// The duty rota (值班): who is duty leader on a given day. Peacetime: one leadership member a day,
// from the rota data; wartime (with `dutyRota.wartime: "all-leadership"`): every leadership post
// holder, around the clock. Pure: dates and instants are passed in.
import { sharedAjv, toIssues } from "./ajv";
import { dayNumber, isoDate } from "./calendar";
import { localDate } from "./time";
import type { ActorContext, Mode } from "./case-state";
import type { CompiledConfig } from "./config/compile";
import { type Issue, issue, pointer, type Result } from "./issues";
import { dutyRotaDataSchema, type DutyRotaData } from "#schemas/township-config";

export type { DutyRotaData };

export type DutyLeaders = {
  /** The duty date asked about. */
  date: string;
  /** Named holders from the rota (may be empty when the rota has nobody that day). */
  userIds: string[];
  /** Wartime: every holder of `leadershipPosts` is on duty as well. */
  allLeadership: boolean;
  leadershipPosts: string[];
};

const HHMM = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Whether the whole leadership is on duty in this mode (wartime with the all-leadership rule). */
export function allLeadershipOnDuty(config: CompiledConfig, mode: Mode): boolean {
  return mode === "wartime" && config.config.dutyRota?.wartime === "all-leadership";
}

/**
 * The duty date of an instant: its local date (the config's time zone), or the day before when the instant is
 * earlier than `dutyRota.handover` (a duty day running 08:30 → 08:30 the next morning).
 */
export function dutyDate(config: CompiledConfig, now: Date): string {
  const m = HHMM.exec(config.config.dutyRota?.handover ?? "00:00");
  const offsetMs = m ? (Number(m[1]) * 60 + Number(m[2])) * 60_000 : 0;
  return localDate(config.defaults.timeZone, new Date(now.getTime() - offsetMs));
}

/** ISO weekday: 1 = Monday … 7 = Sunday. 1970-01-01 (day 0) was a Thursday. */
function isoWeekday(day: number): number {
  const w = (((day + 4) % 7) + 7) % 7;
  return w === 0 ? 7 : w;
}

/** The rota to use: the one passed in, else the one kept in the config. */
function rotaOf(config: CompiledConfig, rota: DutyRotaData | undefined): DutyRotaData {
  return rota ?? (config.config.dutyRota?.schedule as DutyRotaData | undefined) ?? {};
}

/** The rota's holders for a date: `dates` over `weekly` over `rotation`. */
export function rotaHolders(rota: DutyRotaData, date: string): string[] {
  const exact = rota.dates?.find((d) => d.date === date);
  if (exact) return [...exact.holders];
  const day = dayNumber(date);
  const weekly = rota.weekly?.find((w) => w.weekdays.includes(isoWeekday(day)));
  if (weekly) return [...weekly.holders];
  if (rota.rotation?.holders.length) {
    const since = day - dayNumber(rota.rotation.start);
    if (since >= 0) return [rota.rotation.holders[since % rota.rotation.holders.length]!];
  }
  return [];
}

/** Who is on duty on a duty date (see dutyDate) in a mode. */
export function dutyLeaderOn(
  config: CompiledConfig,
  rota: DutyRotaData | undefined,
  date: string,
  mode: Mode = "peacetime",
): DutyLeaders {
  const all = allLeadershipOnDuty(config, mode);
  return {
    date,
    userIds: rotaHolders(rotaOf(config, rota), date),
    allLeadership: all,
    leadershipPosts: all ? [...config.leadershipPosts] : [],
  };
}

/** Whether this person is duty leader at `now`; the caller puts the answer in ActorContext.isDutyLeaderToday. */
export function isDutyLeader(
  config: CompiledConfig,
  rota: DutyRotaData | undefined,
  actor: Pick<ActorContext, "userId" | "posts">,
  now: Date,
  mode: Mode = "peacetime",
): boolean {
  const leaders = dutyLeaderOn(config, rota, dutyDate(config, now), mode);
  return (
    leaders.userIds.includes(actor.userId) ||
    (leaders.allLeadership && actor.posts.some((p) => leaders.leadershipPosts.includes(p)))
  );
}

/** The duty days from `from` to `to` (inclusive) with their holders, for the rota screen. */
export function rotaCalendar(
  config: CompiledConfig,
  rota: DutyRotaData | undefined,
  from: string,
  to: string,
): Array<{ date: string; userIds: string[] }> {
  const out: Array<{ date: string; userIds: string[] }> = [];
  const data = rotaOf(config, rota);
  for (let d = dayNumber(from), end = dayNumber(to); d <= end && out.length < 366; d++)
    out.push({ date: isoDate(d), userIds: rotaHolders(data, isoDate(d)) });
  return out;
}

const ajv = sharedAjv();
const validateShape = ajv.compile(dutyRotaDataSchema);

/** Checks a rota document an admin submitted: shape first (JSON pointers), then overlaps. */
export function validateDutyRota(raw: unknown): Result<DutyRotaData> {
  if (!validateShape(raw)) return { ok: false, issues: toIssues(validateShape.errors) };
  const rota = raw as DutyRotaData;
  const issues: Issue[] = [];
  const dates = new Set<string>();
  rota.dates?.forEach((d, i) => {
    if (dates.has(d.date)) issues.push(issue(pointer("dates", i, "date"), "rota.duplicate-date", { date: d.date }));
    dates.add(d.date);
  });
  const weekdays = new Set<number>();
  rota.weekly?.forEach((w, i) => {
    w.weekdays.forEach((day, k) => {
      if (weekdays.has(day)) issues.push(issue(pointer("weekly", i, "weekdays", k), "rota.duplicate-weekday", { day }));
      weekdays.add(day);
    });
  });
  return issues.length ? { ok: false, issues } : { ok: true, value: rota };
}
