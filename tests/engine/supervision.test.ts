import { describe, expect, it } from "vitest";
import { SYSTEM_ACTOR, type CaseState } from "#engine/case-state";
import type { Outcome } from "#engine/outcomes";
import { dueWork, ladderStepAt, nextCheckAt, startDeadline } from "#engine/supervision";
import { decide } from "#engine/workflow";
import {
  east,
  eastLake,
  expectDistinctKeys,
  expectOk,
  fire,
  local,
  newCase,
  ofType,
  SimulatedClock,
  types,
} from "./workflow-helpers";

const compiled = eastLake();
const tick = (state: CaseState, at: Date) => expectOk(decide(compiled, state, { type: "tick" }, SYSTEM_ACTOR, at));
const notAudit = (effects: Outcome[]) => types(effects).filter((t) => t !== "audit");

/** A dispute triaged and dispatched to Qiaotou village at `at`, accepted at once. */
function dispatchedAt(at: Date, id = "case-ladder"): CaseState {
  let s = newCase(compiled, { id });
  s = fire(compiled, s, "triage", east.routing, at, { gradeId: "general" }).next;
  s = fire(compiled, s, "dispatch", east.routing, at, { leadUnitId: "village-qiaotou" }).next;
  return fire(compiled, s, "accept", east.village, at).next;
}

describe("every step of the supervision ladder, on a simulated clock", () => {
  // Dispatched Monday 3 March 2025, 10:00: due at the end of the 5th working day, Monday 10 March.
  const clock = new SimulatedClock(local("2025-03-03 10:00"));
  const start = dispatchedAt(clock.now());
  const expected = [
    { at: "2025-03-07T15:59:59.999Z", step: "催办 3 days before", effects: ["notify"], label: "催办提醒" },
    { at: "2025-03-08T15:59:59.999Z", step: "不到2日件", effects: ["notify"], label: "不到2日件" },
    { at: "2025-03-09T15:59:59.999Z", step: "不到1日件", effects: ["notify"], label: "不到1日件" },
    { at: "2025-03-10T16:00:00.000Z", step: "overdue: supervision sheet", effects: ["supervision-sheet", "notify"] },
    {
      at: "2025-03-13T15:59:59.999Z",
      step: "3 working days overdue: principal talk",
      effects: ["principal-talk", "notify"],
    },
    {
      at: "2025-03-17T15:59:59.999Z",
      step: "5 working days overdue: continued supervision",
      effects: ["supervision-sheet", "notify"],
    },
    {
      at: "2025-03-24T15:59:59.999Z",
      step: "and again every 5 working days until done",
      effects: ["supervision-sheet", "notify"],
    },
  ];
  const walk: Array<{ before: CaseState; justBefore: ReturnType<typeof tick>; fired: ReturnType<typeof tick> }> = [];
  let state = start;
  for (const row of expected) {
    const at = new Date(row.at);
    clock.set(new Date(at.getTime() - 1));
    const justBefore = tick(state, clock.now());
    clock.set(at);
    const fired = tick(state, clock.now());
    walk.push({ before: state, justBefore, fired });
    state = fired.next;
  }

  it("the handling deadline is due at the end of Monday 10 March, Asia/Shanghai", () => {
    expect(start.deadlines).toEqual([
      expect.objectContaining({ id: "handle@3", dueAt: "2025-03-10T15:59:59.999Z", ladderStep: 0 }),
    ]);
  });

  it.each(expected.map((row, i) => ({ ...row, i })))("$at: $step", ({ i, at, effects, label }) => {
    const { before, justBefore, fired } = walk[i]!;
    expect(nextCheckAt(compiled, before)).toBe(at);
    // One millisecond early: nothing is due and nothing is written.
    expect(justBefore).toEqual({ ok: true, next: before, outcomes: [], nextCheckAt: at, changed: false });
    expect(fired.changed).toBe(true);
    expect(fired.next.version).toBe(before.version + 1);
    expect(notAudit(fired.outcomes)).toEqual(effects);
    if (label)
      expect(ofType(fired.outcomes, "notify")[0]).toMatchObject({
        units: ["village-qiaotou"],
        kind: "deadline.reminder",
        data: { label: { zh: label } },
      });
    expectDistinctKeys(fired.outcomes);
    for (const e of fired.outcomes)
      if ("dedupeKey" in e) expect(e.dedupeKey).toMatch(/^case:case-ladder:deadline:handle@3:step:\d+/);
  });

  it("the overdue supervision sheet goes to the lead unit, copied to routing, with 5 working days to report", () => {
    const sheet = ofType(walk[3]!.fired.outcomes, "supervision-sheet")[0]!;
    expect(sheet).toEqual({
      type: "supervision-sheet",
      caseId: "case-ladder",
      tenantId: "east-lake",
      sequence: "supervision-sheet",
      trigger: "ladder",
      deadlineId: "handle@3",
      deadlineKind: "handle",
      dueAt: "2025-03-10T15:59:59.999Z",
      issuedAt: "2025-03-10T16:00:00.000Z",
      respondBy: "2025-03-18T15:59:59.999Z", // 12 13 14 17 18 March
      toUnitIds: ["village-qiaotou"],
      toUserIds: [],
      copyPosts: ["routing"],
      urgency: "normal",
      label: { zh: "超期督办单", en: "Supervision sheet" },
      dedupeKey: "case:case-ladder:deadline:handle@3:step:3",
    });
  });

  it("the principal leader's talk is to be held within 2 working days", () => {
    expect(ofType(walk[4]!.fired.outcomes, "principal-talk")).toEqual([
      {
        type: "principal-talk",
        caseId: "case-ladder",
        tenantId: "east-lake",
        principalPost: "director",
        withUnitIds: ["village-qiaotou"],
        withUserIds: [],
        deadlineId: "handle@3",
        scheduleBy: "2025-03-17T15:59:59.999Z",
        label: { zh: "主要领导约谈", en: "Talk with the principal leader" },
        dedupeKey: "case:case-ladder:deadline:handle@3:step:4",
      },
    ]);
    expect(ofType(walk[4]!.fired.outcomes, "notify")[0]).toMatchObject({
      posts: ["director"],
      units: ["village-qiaotou"],
      kind: "supervision.talk",
    });
  });

  it("every fired step is audited with its place in the ladder", () => {
    expect(ofType(walk[3]!.fired.outcomes, "audit").map((a) => a.data)).toEqual([
      {
        deadlineId: "handle@3",
        kind: "handle",
        index: 3,
        phase: "overdue",
        type: "supervision-sheet",
        dueAt: "2025-03-10T16:00:00.000Z",
        superseded: false,
        at: "2025-03-10T16:00:00.000Z",
      },
    ]);
  });

  it("a redelivered sweep gives the same dedupe keys; once applied, the same instant finds nothing", () => {
    const { before, fired } = walk[3]!;
    expect(tick(before, new Date("2025-03-10T16:00:00.000Z"))).toEqual(fired);
    expect(tick(fired.next, new Date("2025-03-10T16:00:00.000Z")).changed).toBe(false);
  });

  it("finishing stops the ladder: no check is needed any more", () => {
    const s = fire(compiled, state, "report-back", east.village, new Date("2025-03-25T02:00:00Z"), {
      result: "终于办结",
    }).next;
    expect(s.deadlines.find((d) => d.kind === "handle")!.pausedAt).toBeDefined();
    // Only the review clock runs now: due 26 27 28 31 Mar, 1 Apr; reminded a day before.
    expect(nextCheckAt(compiled, s)).toBe("2025-03-31T15:59:59.999Z");
    const reviewed = fire(compiled, s, "review", east.routing, new Date("2025-03-25T03:00:00Z"), {}).next;
    expect(nextCheckAt(compiled, reviewed)).toBeNull();
  });
});

describe("a late sweep (the sweep was down)", () => {
  it("sends only the nearest reminder; the earlier ones are marked done without a notice", () => {
    const s = dispatchedAt(local("2025-03-03 10:00"));
    const work = dueWork(compiled, s, new Date("2025-03-09T20:00:00Z"));
    expect(work.map((w) => [w.index, w.step.phase, w.superseded])).toEqual([
      [0, "reminder", true],
      [1, "reminder", true],
      [2, "reminder", false],
    ]);
    const d = tick(s, new Date("2025-03-09T20:00:00Z"));
    expect(ofType(d.outcomes, "notify")).toHaveLength(1);
    expect(ofType(d.outcomes, "notify")[0]).toMatchObject({
      data: { label: { zh: "不到1日件" } },
      dedupeKey: "case:case-ladder:deadline:handle@3:step:2",
    });
    expect(d.next.deadlines[0]!.ladderStep).toBe(3);
    expect(d.nextCheckAt).toBe("2025-03-10T16:00:00.000Z");
  });

  it("after a long outage every distinct overdue step still fires once, but only the latest repeat", () => {
    const s = dispatchedAt(local("2025-03-03 10:00"));
    const d = tick(s, new Date("2025-04-01T00:00:00Z"));
    expect(notAudit(d.outcomes)).toEqual([
      "supervision-sheet",
      "notify",
      "principal-talk",
      "notify",
      "supervision-sheet",
      "notify",
    ]);
    expect(ofType(d.outcomes, "audit").map((a) => [a.data.index, a.data.superseded])).toEqual([
      [0, true],
      [1, true],
      [2, true],
      [3, false],
      [4, false],
      [5, true],
      [6, true],
      [7, false],
    ]);
    // The next repeat: 5 working days after 31 March, with Qingming (4-6 April) off.
    expect(d.nextCheckAt).toBe("2025-04-08T15:59:59.999Z");
  });
});

describe("deadlines across the 2025 National Day holiday (1-8 October; 28 Sep and 11 Oct are make-up working days)", () => {
  it.each([
    {
      dispatched: "2025-09-29 10:00",
      due: "2025-10-13T15:59:59.999Z",
      why: "Mon: 30 Sep, then 9, 10, 11 (Sat, make-up), 13 Oct",
    },
    {
      dispatched: "2025-09-28 10:00",
      due: "2025-10-11T15:59:59.999Z",
      why: "Sun (make-up day): 29, 30 Sep, 9, 10, 11 Oct — due on a Saturday that is worked",
    },
    { dispatched: "2025-09-30 18:00", due: "2025-10-14T15:59:59.999Z", why: "Tue evening: 9, 10, 11, 13, 14 Oct" },
    {
      dispatched: "2025-10-03 10:00",
      due: "2025-10-14T15:59:59.999Z",
      why: "during the holiday: 9, 10, 11, 13, 14 Oct",
    },
  ])("dispatched $dispatched → due $due ($why)", ({ dispatched, due }) => {
    expect(dispatchedAt(local(dispatched)).deadlines[0]!.dueAt).toBe(due);
  });

  it("the ladder around the holiday: reminders in calendar days, the overdue steps in working days", () => {
    const s = dispatchedAt(local("2025-09-29 10:00"));
    const at = (i: number) => ladderStepAt(compiled, s.deadlines[0]!, i)!.at.toISOString();
    expect([0, 1, 2, 3, 4, 5].map(at)).toEqual([
      "2025-10-10T15:59:59.999Z", // 3 days before
      "2025-10-11T15:59:59.999Z", // 不到2日件
      "2025-10-12T15:59:59.999Z", // 不到1日件
      "2025-10-13T16:00:00.000Z", // overdue
      "2025-10-16T15:59:59.999Z", // talk: 14, 15, 16 Oct
      "2025-10-20T15:59:59.999Z", // continued: 14, 15, 16, 17, 20 Oct
    ]);
    const overdue = tick(s, new Date("2025-10-13T16:00:00.000Z"));
    expect(ofType(overdue.outcomes, "supervision-sheet")[0]!.respondBy).toBe("2025-10-21T15:59:59.999Z");
  });

  it.each([
    {
      name: "paused 30 Sep evening, resumed 8 Oct: only holidays passed, nothing moves",
      pause: "2025-09-30 20:00",
      resume: "2025-10-08 10:00",
      due: "2025-10-13T15:59:59.999Z",
    },
    {
      name: "paused Fri 10 Oct, resumed Mon 13 Oct: Sat 11 (make-up) and Mon 13 were consumed",
      pause: "2025-10-10 10:00",
      resume: "2025-10-13 10:00",
      due: "2025-10-15T15:59:59.999Z",
    },
    {
      name: "paused and resumed the same day: nothing moves",
      pause: "2025-10-09 09:00",
      resume: "2025-10-09 17:00",
      due: "2025-10-13T15:59:59.999Z",
    },
  ])("$name", ({ pause, resume, due }) => {
    let s = dispatchedAt(local("2025-09-29 10:00"));
    s = fire(compiled, s, "suspend", east.routing, local(pause), { reason: "等待鉴定" }).next;
    expect(nextCheckAt(compiled, s)).toBeNull(); // a paused deadline has no due work
    expect(dueWork(compiled, s, new Date("2025-12-31T00:00:00Z"))).toEqual([]);
    s = fire(compiled, s, "resume", east.routing, local(resume)).next;
    expect(s.deadlines[0]!.dueAt).toBe(due);
  });

  it("steps fired before a pause stay fired; the rest follow the moved due date", () => {
    let s = dispatchedAt(local("2025-09-29 10:00"));
    s = tick(s, new Date("2025-10-10T15:59:59.999Z")).next; // 3-day reminder
    expect(s.deadlines[0]!.ladderStep).toBe(1);
    s = fire(compiled, s, "suspend", east.routing, local("2025-10-11 10:00"), { reason: "等待鉴定" }).next;
    s = fire(compiled, s, "resume", east.routing, local("2025-10-13 10:00")).next;
    expect(s.deadlines[0]).toMatchObject({ dueAt: "2025-10-14T15:59:59.999Z", ladderStep: 1 });
    // 不到2日件 is now at the end of 12 Oct, already past: the next sweep sends it.
    expect(nextCheckAt(compiled, s)).toBe("2025-10-12T15:59:59.999Z");
    const d = tick(s, local("2025-10-13 10:00"));
    expect(ofType(d.outcomes, "notify")).toMatchObject([{ data: { label: { zh: "不到2日件" } } }]);
  });
});

describe("the review deadline and several clocks", () => {
  it("report-back starts a 5-working-day review clock whose ladder reminds routing and inspection, then tells the director", () => {
    let s = dispatchedAt(local("2025-03-03 10:00"), "case-review");
    s = fire(compiled, s, "report-back", east.village, local("2025-03-05 10:00"), { result: "已调解" }).next;
    const review = s.deadlines.find((d) => d.kind === "review")!;
    expect(review).toMatchObject({ id: "review@5", policyId: "review", dueAt: "2025-03-12T15:59:59.999Z" });
    expect(nextCheckAt(compiled, s)).toBe("2025-03-11T15:59:59.999Z");
    const reminder = tick(s, new Date("2025-03-11T15:59:59.999Z"));
    expect(ofType(reminder.outcomes, "notify")).toMatchObject([
      { posts: ["routing", "inspection"], kind: "deadline.reminder", data: { label: { zh: "审核即将到期" } } },
    ]);
    const overdue = tick(reminder.next, new Date("2025-03-12T16:00:00.000Z"));
    expect(ofType(overdue.outcomes, "notify")).toMatchObject([
      {
        posts: ["inspection", "director"],
        kind: "review.overdue",
        dedupeKey: "case:case-review:deadline:review@5:step:1",
      },
    ]);
  });

  it("nextCheckAt is the earliest step of all running deadlines", () => {
    const s = dispatchedAt(local("2025-03-03 10:00"));
    const extra = startDeadline(compiled, {
      id: "review@9",
      kind: "review",
      policyId: "review",
      mode: "peacetime",
      start: local("2025-03-03 12:00"),
    });
    const both = { ...s, deadlines: [...s.deadlines, extra] };
    expect(nextCheckAt(compiled, s)).toBe("2025-03-07T15:59:59.999Z");
    expect(extra.dueAt).toBe("2025-03-10T15:59:59.999Z");
    expect(nextCheckAt(compiled, both)).toBe("2025-03-07T15:59:59.999Z"); // same instant; both fire in one sweep
    const d = tick(both, new Date("2025-03-09T15:59:59.999Z"));
    expect(ofType(d.outcomes, "notify").map((n) => n.dedupeKey)).toEqual([
      "case:case-ladder:deadline:handle@3:step:2",
      "case:case-ladder:deadline:review@9:step:0",
    ]);
  });

  it("a case without deadlines has nothing due, ever", () => {
    const s = newCase(compiled);
    expect(nextCheckAt(compiled, s)).toBeNull();
    expect(tick(s, new Date("2030-01-01T00:00:00Z"))).toEqual({
      ok: true,
      next: s,
      outcomes: [],
      nextCheckAt: null,
      changed: false,
    });
  });
});

describe("dueWork and nextCheckAt are pure", () => {
  it("same inputs, deep-equal answers; the case is not touched", () => {
    const s = dispatchedAt(local("2025-03-03 10:00"));
    const copy = structuredClone(s);
    const now = new Date("2025-03-20T00:00:00Z");
    expect(dueWork(compiled, s, now)).toEqual(dueWork(eastLake(), structuredClone(s), new Date(now.getTime())));
    expect(nextCheckAt(compiled, s)).toBe(nextCheckAt(eastLake(), copy));
    expect(s).toEqual(copy);
  });
});
