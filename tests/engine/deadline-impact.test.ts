// The deadline impact of a changed calendar (docs/decisions/016): which running deadlines move,
// where to, and which stay, on the shipped east-lake config and the official cn-mainland calendar.
import { describe, expect, it } from "vitest";
import { workingDaysBetween } from "#engine/calendar";
import type { CaseState, Deadline } from "#engine/case-state";
import type { CompiledConfig } from "#engine/config/compile";
import {
  applyShifts,
  deadlineImpact,
  retimedDueAt,
  withRunningCalendars,
  type RunningCase,
} from "#engine/deadline-impact";
import { ladderStepAt, nextCheckAt, startDeadline } from "#engine/supervision";
import { compileWithCalendars, east, fire, local, newCase, resolvedJson } from "./workflow-helpers";

type CalendarEdit = { holidays?: string[]; workdays?: string[] };

/** East Lake with days added to its cn-mainland calendar (and optionally its rules edited). */
function eastLakeWith(calendar: CalendarEdit, edit?: (config: any) => void): CompiledConfig {
  const config = resolvedJson("townships/east-lake.json");
  config.calendars["cn-mainland"] = { ...config.calendars["cn-mainland"], ...calendar };
  edit?.(config);
  return compileWithCalendars(config);
}

const published = eastLakeWith({});

/** A standard handling deadline (5 working days) started at a Shanghai local time. */
const handle = (start: string, over: Partial<Deadline> = {}): Deadline => ({
  ...startDeadline(published, {
    id: "handle@3",
    kind: "handle",
    policyId: "standard",
    mode: "peacetime",
    start: local(start),
  }),
  ...over,
});

/** End of a Shanghai local date as the engine writes a working-day due. */
const endOf = (date: string) => new Date(`${date}T23:59:59.999+08:00`).toISOString();

/** One case timed with `published` now and with `draft` after publishing, as the server builds them. */
const running = (
  deadlines: Deadline[],
  draft: CompiledConfig,
  id = "case-1",
  own: CompiledConfig = published,
): RunningCase => ({
  id,
  deadlines,
  before: withRunningCalendars(own, published),
  after: withRunningCalendars(own, draft),
});

// Dispatched Monday 2 March 2026, 10:00: a plain March, due at the end of Monday 9 March
// (Tue 3, Wed 4, Thu 5, Fri 6, Mon 9). Checked on Monday 2 March, 12:00.
const START = "2026-03-02 10:00";
const NOW = local("2026-03-02 12:00");

describe("a changed calendar inside and around a running window", () => {
  it("the deadline it starts from is due at the end of Monday 9 March", () => {
    expect(handle(START).dueAt).toBe(endOf("2026-03-09"));
  });

  it.each([
    {
      what: "a holiday on a working day inside the window moves it one working day later",
      edit: { holidays: ["2026-03-04"] },
      due: "2026-03-10",
      shift: 1,
    },
    {
      what: "a holiday on the due date itself moves it to the next working day",
      edit: { holidays: ["2026-03-09"] },
      due: "2026-03-10",
      shift: 1,
    },
    {
      what: "two holidays before a weekend move it two working days",
      edit: { holidays: ["2026-03-05", "2026-03-06"] },
      due: "2026-03-11",
      shift: 2,
    },
    {
      what: "a make-up working Saturday inside the window moves it one working day earlier",
      edit: { workdays: ["2026-03-07"] },
      due: "2026-03-07",
      shift: -1,
    },
    {
      what: "a make-up weekend moves it to the Saturday, two working days earlier",
      edit: { workdays: ["2026-03-07", "2026-03-08"] },
      due: "2026-03-07",
      shift: -2,
    },
    {
      what: "a holiday and a make-up day in the same window cancel out",
      edit: { holidays: ["2026-03-04"], workdays: ["2026-03-07"] },
      due: null,
      shift: 0,
    },
    {
      what: "a holiday on the day of dispatch moves nothing (that day never counts)",
      edit: { holidays: ["2026-03-02"] },
      due: null,
      shift: 0,
    },
    { what: "a holiday after the due date moves nothing", edit: { holidays: ["2026-03-10"] }, due: null, shift: 0 },
    {
      what: "a holiday on a Saturday, already a day off, moves nothing",
      edit: { holidays: ["2026-03-07"] },
      due: null,
      shift: 0,
    },
    {
      what: "a make-up working Saturday after the due date moves nothing",
      edit: { workdays: ["2026-03-14"] },
      due: null,
      shift: 0,
    },
  ])("$what", ({ edit, due, shift }) => {
    const draft = eastLakeWith(edit);
    const shifts = deadlineImpact([running([handle(START)], draft)], NOW);
    if (due === null) {
      expect(shifts).toEqual([]);
      return;
    }
    expect(shifts).toEqual([
      {
        caseId: "case-1",
        deadlineId: "handle@3",
        kind: "handle",
        policyId: "standard",
        paused: false,
        fromDueAt: endOf("2026-03-09"),
        toDueAt: endOf(due),
        workingDays: shift,
      },
    ]);
    // The new due is what the new calendar would have given from the start.
    const fresh = startDeadline(withRunningCalendars(published, draft), {
      id: "x",
      kind: "handle",
      policyId: "standard",
      mode: "peacetime",
      start: local(START),
    });
    expect(shifts[0]!.toDueAt).toBe(fresh.dueAt);
  });

  it("the same calendar published again (equal content, new objects) moves nothing", () => {
    expect(deadlineImpact([running([handle(START)], eastLakeWith({}))], NOW)).toEqual([]);
  });

  it("a holiday added in the past part of a window still moves the due (the day was never worked)", () => {
    // Checked on Friday 6 March; Wednesday 4 March is declared a day off after the fact (a typhoon day).
    const shifts = deadlineImpact(
      [running([handle(START)], eastLakeWith({ holidays: ["2026-03-04"] }))],
      local("2026-03-06 09:00"),
    );
    expect(shifts.map((s) => s.toDueAt)).toEqual([endOf("2026-03-10")]);
  });
});

describe("what stays as it is", () => {
  const draft = eastLakeWith({ holidays: ["2026-03-04"] });

  it("an overdue deadline keeps its due: sheets and deductions were issued on it", () => {
    expect(deadlineImpact([running([handle(START)], draft)], local("2026-03-10 09:00"))).toEqual([]);
  });

  it("a deadline due later today still moves", () => {
    expect(deadlineImpact([running([handle(START)], draft)], local("2026-03-09 18:00")).map((s) => s.toDueAt)).toEqual([
      endOf("2026-03-10"),
    ]);
  });

  it.each([
    {
      what: "an hours deadline (wartime, 24 hours)",
      deadline: startDeadline(published, {
        id: "handle@3",
        kind: "handle",
        policyId: "standard",
        mode: "wartime",
        start: local("2026-03-03 10:00"),
      }),
    },
    {
      what: "a date the dispatcher chose",
      deadline: startDeadline(published, {
        id: "handle@3",
        kind: "handle",
        policyId: "standard",
        mode: "peacetime",
        start: local(START),
        dueAt: local("2026-03-06 18:00"),
      }),
    },
  ])("$what does not depend on the calendar", ({ deadline }) => {
    expect(deadline.unit).not.toBe("working-days");
    expect(
      deadlineImpact(
        [running([deadline], eastLakeWith({ holidays: ["2026-03-03", "2026-03-04", "2026-03-05", "2026-03-06"] }))],
        NOW,
      ),
    ).toEqual([]);
  });

  it("a case without running deadlines (not yet dispatched, or closed) is left out", () => {
    const reported = newCase(published, { id: "case-reported" });
    const closed = closedCase(local(START));
    expect(closed.state).toBe("closed");
    expect(closed.deadlines).toEqual([]);
    expect(
      deadlineImpact(
        [running(reported.deadlines, draft, reported.id), running(closed.deadlines, draft, closed.id)],
        NOW,
      ),
    ).toEqual([]);
  });

  it("changed durations are rules, not facts: running deadlines keep theirs", () => {
    const shorter = eastLakeWith({}, (c) => (c.deadlinePolicies.standard.handle = { amount: 3, unit: "working-days" }));
    // Timed as the server times it, and even when handed the raw draft: the case's own policy counts.
    expect(deadlineImpact([running([handle(START)], shorter)], NOW)).toEqual([]);
    expect(
      deadlineImpact([{ id: "case-1", deadlines: [handle(START)], before: published, after: shorter }], NOW),
    ).toEqual([]);
  });

  it("a draft that shortens the duration and adds a holiday moves the deadline by the holiday only", () => {
    const both = eastLakeWith(
      { holidays: ["2026-03-04"] },
      (c) => (c.deadlinePolicies.standard.handle = { amount: 3, unit: "working-days" }),
    );
    expect(deadlineImpact([running([handle(START)], both)], NOW).map((s) => [s.toDueAt, s.workingDays])).toEqual([
      [endOf("2026-03-10"), 1],
    ]);
  });

  it("a draft pointing the policy at another calendar does not change which calendar running cases use", () => {
    const other = eastLakeWith({}, (c) => {
      c.calendars.local = { holidays: ["2026-03-04"] };
      c.deadlinePolicies.standard.calendar = "local";
    });
    expect(deadlineImpact([running([handle(START)], other)], NOW)).toEqual([]);
  });
});

describe("a correction never makes a case overdue at once", () => {
  // Dispatched Tuesday 3 March: due at the end of Tuesday 10 March. On Monday 9 March the
  // township adds the weekend of 7-8 March as make-up working days: counted from the start the due
  // would be Sunday 8 March, already past; it becomes the end of today instead.
  it("a due that would move into the past moves to the end of today", () => {
    const deadline = handle("2026-03-03 10:00");
    expect(deadline.dueAt).toBe(endOf("2026-03-10"));
    const shifts = deadlineImpact(
      [running([deadline], eastLakeWith({ workdays: ["2026-03-07", "2026-03-08"] }))],
      local("2026-03-09 09:00"),
    );
    expect(shifts.map((s) => [s.toDueAt, s.workingDays])).toEqual([[endOf("2026-03-09"), -1]]);
  });

  it("a due already at the end of today stays", () => {
    const deadline = handle(START);
    expect(
      deadlineImpact(
        [running([deadline], eastLakeWith({ workdays: ["2026-03-07", "2026-03-08"] }))],
        local("2026-03-09 09:00"),
      ),
    ).toEqual([]);
  });
});

describe("paused clocks", () => {
  // Reported back on Thursday 5 March: the handling clock pauses, the review clock (5 working days) starts.
  const at = local("2026-03-05 10:00");
  const fed = reportedBack(local(START), at);
  const [handleClock, review] = [
    fed.deadlines.find((d) => d.kind === "handle")!,
    fed.deadlines.find((d) => d.kind === "review")!,
  ];

  it("the case has a paused handling clock and a running review clock", () => {
    expect(handleClock.pausedAt).toBe(at.toISOString());
    expect(review.dueAt).toBe(endOf("2026-03-12"));
  });

  it("a holiday in both windows moves both, the paused one marked paused", () => {
    const shifts = deadlineImpact(
      [running(fed.deadlines, eastLakeWith({ holidays: ["2026-03-04", "2026-03-09"] }), fed.id)],
      local("2026-03-05 12:00"),
    );
    expect(shifts.map((s) => [s.kind, s.paused, s.fromDueAt, s.toDueAt, s.workingDays])).toEqual([
      ["handle", true, endOf("2026-03-09"), endOf("2026-03-11"), 2],
      ["review", false, endOf("2026-03-12"), endOf("2026-03-13"), 1],
    ]);
  });

  it("a clock paused after its due stays (it was overdue when it stopped)", () => {
    const late = { ...handle(START), pausedAt: local("2026-03-10 10:00").toISOString() };
    expect(
      retimedDueAt(
        published,
        withRunningCalendars(published, eastLakeWith({ holidays: ["2026-03-04"] })),
        late,
        local("2026-03-11 10:00"),
      ),
    ).toBeUndefined();
  });
});

describe("Asia/Shanghai dates, not UTC dates", () => {
  it.each([
    // 01:00 on Tuesday 3 March in Shanghai is still Monday 2 March in UTC: Tuesday is the day of dispatch.
    {
      what: "dispatched just after midnight: a holiday that day moves nothing",
      start: "2026-03-03 01:00",
      holiday: "2026-03-03",
      due: null,
    },
    // 23:59 on Monday 2 March: Tuesday 3 March is the first counted day.
    {
      what: "dispatched just before midnight: a holiday the next day moves it",
      start: "2026-03-02 23:59",
      holiday: "2026-03-03",
      due: "2026-03-10",
    },
    // The due instant 23:59:59.999 in Shanghai is 15:59:59.999 UTC on the same date.
    {
      what: "a holiday the day after the due date (UTC date of the due + 1) moves nothing",
      start: START,
      holiday: "2026-03-10",
      due: null,
    },
  ])("$what", ({ start, holiday, due }) => {
    const shifts = deadlineImpact([running([handle(start)], eastLakeWith({ holidays: [holiday] }))], local(start));
    expect(shifts.map((s) => s.toDueAt)).toEqual(due === null ? [] : [endOf(due)]);
  });

  it("counts on the official calendar's own days: a deadline over the 2026 Labour Day break", () => {
    // Dispatched Wed 29 April 2026: Thu 30 April, then 1-5 May off, Wed 6 - Fri 8 May, and the
    // make-up working Saturday 9 May is the 5th working day.
    const deadline = handle("2026-04-29 10:00");
    expect(deadline.dueAt).toBe(endOf("2026-05-09"));
    // The township declares Thursday 30 April a local day off (a typhoon day): Monday 11 May.
    const draft = eastLakeWith({ holidays: ["2026-04-30"] });
    const shifts = deadlineImpact([running([deadline], draft)], local("2026-04-29 12:00"));
    expect(shifts.map((s) => [s.toDueAt, s.workingDays])).toEqual([[endOf("2026-05-11"), 1]]);
    expect(
      workingDaysBetween(draft.calendar("cn-mainland"), local("2026-04-29 10:00"), new Date(shifts[0]!.toDueAt)),
    ).toBe(5);
  });
});

describe("several cases, several versions", () => {
  it("returns only the deadlines that change, case by case, and each case keeps its own version's rules", () => {
    // An older version whose standard policy had 10 working days: its running deadline keeps 10.
    const older = eastLakeWith({}, (c) => (c.deadlinePolicies.standard.handle = { amount: 10, unit: "working-days" }));
    const long = startDeadline(older, {
      id: "handle@3",
      kind: "handle",
      policyId: "standard",
      mode: "peacetime",
      start: local(START),
    });
    expect(long.dueAt).toBe(endOf("2026-03-16"));
    const draft = eastLakeWith({ holidays: ["2026-03-12"] });
    const shifts = deadlineImpact(
      [
        running([handle(START)], draft, "case-short"),
        running([long], draft, "case-long", older),
        running([], draft, "case-none"),
      ],
      NOW,
    );
    expect(shifts.map((s) => [s.caseId, s.fromDueAt, s.toDueAt])).toEqual([
      ["case-long", endOf("2026-03-16"), endOf("2026-03-17")],
    ]);
  });
});

describe("withRunningCalendars", () => {
  it("times an old version with the latest calendars and keeps a calendar the latest no longer has", () => {
    const own = eastLakeWith({}, (c) => {
      c.calendars.old = { holidays: ["2026-03-04"] };
    });
    const latest = eastLakeWith({ holidays: ["2026-03-05"] });
    const timed = withRunningCalendars(own, latest);
    expect(timed.policies).toBe(own.policies);
    expect(timed.calendar("cn-mainland").holidays.has(Date.UTC(2026, 2, 5) / 86_400_000)).toBe(true);
    expect(timed.calendar("old").holidays.has(Date.UTC(2026, 2, 4) / 86_400_000)).toBe(true);
    expect(withRunningCalendars(own, own)).toBe(own);
  });
});

describe("applying the shifts", () => {
  it("moves the due, keeps ladder progress, and the ladder follows the new due", () => {
    // The "3 days before" reminder of the old due has been sent (ladder step 1 done).
    const deadline = { ...handle(START), ladderStep: 1 };
    const draft = eastLakeWith({ holidays: ["2026-03-04"] });
    const after = withRunningCalendars(published, draft);
    const shifts = deadlineImpact([running([deadline], draft)], NOW);
    const [moved] = applyShifts("case-1", [deadline], shifts);
    expect(moved).toEqual({ ...deadline, dueAt: endOf("2026-03-10") });
    // Reminder 1 is done and stays done; the next step is "less than 2 days" before the new due.
    const state: Pick<CaseState, "deadlines"> = { deadlines: [moved!] };
    expect(ladderStepAt(after, moved!, 1)?.at.toISOString()).toBe(endOf("2026-03-08"));
    expect(nextCheckAt(after, state)).toBe(endOf("2026-03-08"));
    expect(applyShifts("another-case", [deadline], shifts)).toEqual([deadline]);
  });
});

/** A dispute dispatched to Qiaotou village and accepted at `at`. */
function dispatched(at: Date, id = "case-flow"): CaseState {
  let s = newCase(published, { id });
  s = fire(published, s, "triage", east.routing, at, { gradeId: "general" }).next;
  s = fire(published, s, "dispatch", east.routing, at, { leadUnitId: "village-qiaotou" }).next;
  return fire(published, s, "accept", east.village, at).next;
}

function reportedBack(start: Date, at: Date): CaseState {
  return fire(published, dispatched(start), "report-back", east.village, at, {
    result: "双方达成调解协议",
    measures: "上门调解两次",
  }).next;
}

function closedCase(start: Date): CaseState {
  let s = reportedBack(start, start);
  s = fire(published, s, "review", east.inspector, start, { opinion: "处置到位" }).next;
  return fire(published, s, "close", east.routing, start, { satisfaction: "satisfied", method: "phone" }).next;
}
