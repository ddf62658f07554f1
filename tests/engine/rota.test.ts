import { describe, expect, it } from "vitest";
import {
  allLeadershipOnDuty,
  dutyDate,
  dutyLeaderOn,
  isDutyLeader,
  rotaCalendar,
  rotaHolders,
  validateDutyRota,
  type DutyRotaData,
} from "#engine/rota";
import { compileWithCalendars, eastLake, local, person, resolvedJson, zhoushan } from "./workflow-helpers";
import { issueMessage } from "#app/locales/issues/index";

const compiled = eastLake();

// A township admin's rota for autumn 2025: three leaders take turns from Monday 29 September;
// weekends are fixed; the National Day holiday has its own list.
const rota: DutyRotaData = {
  rotation: { start: "2025-09-29", holders: ["u-chen", "u-wang", "u-li"] },
  weekly: [{ weekdays: [6, 7], holders: ["u-zhao"] }],
  dates: [
    { date: "2025-10-01", holders: ["u-chen", "u-wang"] },
    { date: "2025-10-02", holders: ["u-li"] },
  ],
};

describe("who is duty leader on a date", () => {
  it.each([
    { date: "2025-09-28", holders: ["u-zhao"], why: "a Sunday: the weekly rule (even before the rotation starts)" },
    { date: "2025-09-26", holders: [], why: "a weekday before the rotation starts: nobody" },
    { date: "2025-09-29", holders: ["u-chen"], why: "day 0 of the rotation" },
    { date: "2025-09-30", holders: ["u-wang"], why: "day 1" },
    { date: "2025-10-01", holders: ["u-chen", "u-wang"], why: "National Day: the date list wins" },
    { date: "2025-10-02", holders: ["u-li"], why: "the date list" },
    { date: "2025-10-03", holders: ["u-wang"], why: "a Friday: day 4 of the rotation (4 mod 3 = 1)" },
    { date: "2025-10-04", holders: ["u-zhao"], why: "a Saturday: weekly" },
    { date: "2025-10-06", holders: ["u-wang"], why: "Monday, day 7: 7 mod 3 = 1" },
  ])("$date → $holders ($why)", ({ date, holders }) => {
    expect(rotaHolders(rota, date)).toEqual(holders);
    expect(dutyLeaderOn(compiled, rota, date)).toEqual({
      date,
      userIds: holders,
      allLeadership: false,
      leadershipPosts: [],
    });
  });

  it("the rotation keeps turning over months: every holder in order, one day each", () => {
    const weekdays = rotaCalendar(compiled, { rotation: rota.rotation }, "2025-09-29", "2025-10-08").map(
      (d) => d.userIds[0],
    );
    expect(weekdays).toEqual([
      "u-chen",
      "u-wang",
      "u-li",
      "u-chen",
      "u-wang",
      "u-li",
      "u-chen",
      "u-wang",
      "u-li",
      "u-chen",
    ]);
  });

  it("without a rota passed in, the one kept in the config is used", () => {
    const config = resolvedJson("townships/east-lake.json");
    config.dutyRota.schedule = { rotation: { start: "2025-01-01", holders: ["u-a", "u-b"] } };
    const withSchedule = compileWithCalendars(config);
    expect(dutyLeaderOn(withSchedule, undefined, "2025-01-02").userIds).toEqual(["u-b"]);
    expect(
      dutyLeaderOn(withSchedule, { dates: [{ date: "2025-01-02", holders: ["u-c"] }] }, "2025-01-02").userIds,
    ).toEqual(["u-c"]);
    expect(dutyLeaderOn(compiled, undefined, "2025-01-02").userIds).toEqual([]);
  });
});

describe("the duty day turns over at the handover time (08:30 in the guideline template)", () => {
  it.each([
    { at: "2025-10-01 08:29", date: "2025-09-30" },
    { at: "2025-10-01 08:30", date: "2025-10-01" },
    { at: "2025-10-01 23:59", date: "2025-10-01" },
    { at: "2025-10-02 00:10", date: "2025-10-01" },
  ])("$at local is on the duty day of $date", ({ at, date }) => {
    expect(dutyDate(compiled, local(at))).toBe(date);
  });

  it("without a handover the duty day is the calendar day (Asia/Shanghai, whatever the server's zone)", () => {
    const config = resolvedJson("townships/east-lake.json");
    delete config.dutyRota.handover;
    const midnight = compileWithCalendars(config);
    expect(dutyDate(midnight, new Date("2025-09-30T16:00:00.000Z"))).toBe("2025-10-01");
    expect(dutyDate(midnight, new Date("2025-09-30T15:59:59.999Z"))).toBe("2025-09-30");
  });

  it("isDutyLeader answers for the person at an instant", () => {
    const wang = person("east-lake", "u-wang", "command-room", ["executive-deputy"]);
    expect(isDutyLeader(compiled, rota, wang, local("2025-09-30 09:00"))).toBe(true);
    expect(isDutyLeader(compiled, rota, wang, local("2025-10-01 08:00"))).toBe(true); // still 30 Sep's duty
    expect(isDutyLeader(compiled, rota, wang, local("2025-10-01 09:00"))).toBe(true); // on the National Day list
    expect(isDutyLeader(compiled, rota, wang, local("2025-10-02 09:00"))).toBe(false);
  });
});

describe("wartime: the whole leadership is on duty", () => {
  it("every leadership post is on duty, on top of the rota", () => {
    expect(allLeadershipOnDuty(compiled, "wartime")).toBe(true);
    expect(allLeadershipOnDuty(compiled, "peacetime")).toBe(false);
    expect(dutyLeaderOn(compiled, rota, "2025-10-02", "wartime")).toEqual({
      date: "2025-10-02",
      userIds: ["u-li"],
      allLeadership: true,
      leadershipPosts: ["director", "executive-deputy", "full-time-deputy"],
    });
  });

  it.each([
    { who: "director", posts: ["director"], peacetime: false, wartime: true },
    { who: "full-time deputy", posts: ["full-time-deputy"], peacetime: false, wartime: true },
    { who: "routing staff", posts: ["routing"], peacetime: false, wartime: false },
    { who: "today's rota holder", posts: ["routing"], user: "u-li", peacetime: true, wartime: true },
  ])("$who: peacetime $peacetime, wartime $wartime", ({ posts, user, peacetime, wartime }) => {
    const actor = person("east-lake", user ?? "u-someone", "command-room", posts);
    const at = local("2025-10-02 10:00");
    expect(isDutyLeader(compiled, rota, actor, at, "peacetime")).toBe(peacetime);
    expect(isDutyLeader(compiled, rota, actor, at, "wartime")).toBe(wartime);
  });

  it("the Zhoushan template's leadership (director, first and full-time deputies) is on duty in wartime", () => {
    expect(dutyLeaderOn(zhoushan(), undefined, "2025-10-02", "wartime").leadershipPosts).toEqual([
      "director",
      "first-deputy",
      "full-time-deputy",
    ]);
  });

  it("a config without the all-leadership rule keeps the rota in wartime", () => {
    const config = resolvedJson("townships/east-lake.json");
    delete config.dutyRota.wartime;
    expect(dutyLeaderOn(compileWithCalendars(config), rota, "2025-10-02", "wartime")).toMatchObject({
      userIds: ["u-li"],
      allLeadership: false,
    });
  });
});

describe("validateDutyRota: the rota an admin submits", () => {
  it("accepts a good rota", () => {
    expect(validateDutyRota(rota)).toEqual({ ok: true, value: rota });
    expect(validateDutyRota({})).toEqual({ ok: true, value: {} });
  });

  it.each([
    {
      name: "a rotation without holders",
      raw: { rotation: { start: "2025-09-29", holders: [] } },
      issues: [{ path: "/rotation/holders", code: "schema.minItems" }],
    },
    {
      name: "a start that is not a date",
      raw: { rotation: { start: "2025-02-30", holders: ["u-a"] } },
      issues: [{ path: "/rotation/start", code: "schema.format" }],
    },
    {
      name: "weekday 8",
      raw: { weekly: [{ weekdays: [1, 8], holders: ["u-a"] }] },
      issues: [{ path: "/weekly/0/weekdays/1", code: "schema.maximum" }],
    },
    {
      name: "a missing holders list",
      raw: { dates: [{ date: "2025-10-01" }] },
      issues: [{ path: "/dates/0/holders", code: "schema.required" }],
    },
    {
      name: "a holder twice on one day",
      raw: { dates: [{ date: "2025-10-01", holders: ["u-a", "u-a"] }] },
      issues: [{ path: "/dates/0/holders", code: "schema.uniqueItems" }],
    },
    { name: "an unknown key", raw: { shifts: [] }, issues: [{ path: "/shifts", code: "schema.additionalProperties" }] },
    {
      name: "a date listed twice",
      raw: {
        dates: [
          { date: "2025-10-01", holders: ["u-a"] },
          { date: "2025-10-01", holders: ["u-b"] },
        ],
      },
      issues: [{ path: "/dates/1/date", code: "rota.duplicate-date" }],
    },
    {
      name: "a weekday in two weekly rules",
      raw: {
        weekly: [
          { weekdays: [6, 7], holders: ["u-a"] },
          { weekdays: [5, 6], holders: ["u-b"] },
        ],
      },
      issues: [{ path: "/weekly/1/weekdays/1", code: "rota.duplicate-weekday" }],
    },
  ])("refuses $name with a pointer", ({ raw, issues }) => {
    const result = validateDutyRota(raw);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => ({ path: i.path, code: i.code }))).toEqual(issues);
    for (const i of result.issues) expect(issueMessage(i).zh.length * issueMessage(i).en.length).toBeGreaterThan(0);
  });
});
