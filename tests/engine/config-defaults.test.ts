// Template defaults are resolved into the compiled config (docs/decisions/027-defaults-compiled-into-the-config.md):
// a township that renames its main deadline keeps its returns, supervision sheets and principal
// talks, and one that renames it halfway is refused instead of silently losing them.
import { describe, expect, it } from "vitest";
import { SYSTEM_ACTOR, type CaseState } from "#engine/case-state";
import { addDuration, buildCalendar, endOfLocalDay } from "#engine/calendar";
import { validateTownshipConfig } from "#engine/config/validate";
import { dutyDate } from "#engine/rota";
import { evaluateScores, factsFromTrail, periodFromKey, periodOf, type AuditEventLike } from "#engine/scoring";
import { localDate } from "#engine/time";
import { decide } from "#engine/workflow";
import type { MutableConfig } from "./helpers";
import { compileWithCalendars, east, expectOk, fire, local, newCase, ofType, resolvedJson } from "./workflow-helpers";
import { issueMessage } from "#app/locales/issues/index";

/** Every `kind: "handle"` (set, pause, resume, clear, guards) spelled `dispose` instead. */
function renameHandle(node: unknown): void {
  if (Array.isArray(node)) node.forEach(renameHandle);
  else if (node && typeof node === "object") {
    const o = node as Record<string, unknown>;
    if (o.kind === "handle") o.kind = "dispose";
    Object.values(o).forEach(renameHandle);
  }
}

const renamedConfig = (): MutableConfig => {
  const c = resolvedJson("townships/east-lake.json");
  renameHandle(c.workflows);
  c.mainDeadline = "dispose";
  return c;
};

describe("a township that renames its main deadline (handle → dispose)", () => {
  const compiled = compileWithCalendars(renamedConfig());
  const dispatchedAt = (at: Date, id: string): CaseState => {
    let s = newCase(compiled, { id });
    s = fire(compiled, s, "triage", east.routing, at, { gradeId: "general" }).next;
    return fire(compiled, s, "dispatch", east.routing, at, { leadUnitId: "village-qiaotou" }).next;
  };

  it("validates, and its deadlines are of the renamed kind", () => {
    expect(compiled.defaults.mainDeadline).toBe("dispose");
    expect(dispatchedAt(local("2025-03-03 10:00"), "case-r0").deadlines.map((d) => d.kind)).toEqual(["dispose"]);
  });

  it("a return (退回) stops the renamed deadline, and the rules score the return", () => {
    let s = newCase(compiled, { id: "case-r1" });
    s = fire(compiled, s, "triage", east.routing, local("2025-03-03 09:00"), { gradeId: "general" }).next;
    const dispatch = fire(compiled, s, "dispatch", east.routing, local("2025-03-03 10:00"), {
      leadUnitId: "village-qiaotou",
    });
    const returned = fire(compiled, dispatch.next, "return", east.village, local("2025-03-03 11:00"), {
      reason: "不属于本村",
    });
    expect(ofType(returned.outcomes, "deadline-cleared").map((e) => [e.kind, e.reason])).toEqual([
      ["dispose", "returned"],
    ]);
    expect(returned.next.deadlines).toEqual([]);
    const trail: AuditEventLike[] = [dispatch, returned].map((d, i) => ({
      seq: i + 1,
      caseId: s.id,
      type: "case.transition",
      data: ofType(d.outcomes, "audit")[0]!.data,
      at: new Date(String(ofType(d.outcomes, "audit")[0]!.data.at)),
    }));
    const lines = evaluateScores(compiled.config, factsFromTrail(compiled.config, trail, [s]));
    expect(lines.filter((l) => l.rule === "returned").map((l) => [l.fact, l.target.id, l.points])).toEqual([
      ["case.returned", "village-qiaotou", -1],
    ]);
  });

  it("the overdue ladder still issues the supervision sheet and the principal talk about the renamed deadline", () => {
    let s = fire(
      compiled,
      dispatchedAt(local("2025-03-03 10:00"), "case-r2"),
      "accept",
      east.village,
      local("2025-03-03 10:00"),
    ).next;
    const tick = (at: string) => expectOk(decide(compiled, s, { type: "tick" }, SYSTEM_ACTOR, new Date(at)));
    const overdue = tick("2025-03-10T16:00:00.000Z");
    expect(ofType(overdue.outcomes, "supervision-sheet")).toMatchObject([
      { deadlineId: "dispose@3", deadlineKind: "dispose", trigger: "ladder" },
    ]);
    s = overdue.next;
    const talk = tick("2025-03-13T15:59:59.999Z");
    expect(ofType(talk.outcomes, "principal-talk")).toMatchObject([
      { deadlineId: "dispose@3", principalPost: "director" },
    ]);
  });

  it("a sheet issued by hand refers to the renamed deadline", () => {
    const s = fire(
      compiled,
      dispatchedAt(local("2025-03-03 10:00"), "case-r3"),
      "accept",
      east.village,
      local("2025-03-03 10:00"),
    ).next;
    const sheet = fire(compiled, s, "supervise", east.director, local("2025-03-04 10:00"));
    expect(ofType(sheet.outcomes, "supervision-sheet")).toMatchObject([
      { deadlineId: "dispose@3", deadlineKind: "dispose", trigger: "manual" },
    ]);
  });
});

describe("a rename done halfway is refused, not run", () => {
  it("kinds renamed but mainDeadline left at its default: the main deadline is named as unset", () => {
    const c = renamedConfig();
    delete c.mainDeadline;
    const result = validateTownshipConfig(c);
    const issues = result.ok ? [] : result.issues;
    expect(issues.map((i) => [i.path, i.code])).toEqual([["/mainDeadline", "deadline.main-unset"]]);
    expect(issueMessage(issues[0]!).zh).toContain("dispose");
    expect(issueMessage(issues[0]!).en).toContain('"handle"');
  });

  it("mainDeadline renamed but one clear-deadline left on the old kind: that step is named", () => {
    const c = renamedConfig();
    const review = c.workflows["case-loop"].transitions.find((t: { id: string }) => t.id === "review");
    review.effects[1].params.kind = "handle";
    const result = validateTownshipConfig(c);
    expect(result.ok ? [] : result.issues.map((i) => i.code)).toEqual(["deadline.kind-unknown"]);
  });
});

describe("the township's time zone comes from its config (timeZone)", () => {
  const inUrumqi = () => {
    const c = resolvedJson("townships/east-lake.json");
    c.timeZone = "Asia/Urumqi"; // UTC+6 all year
    return compileWithCalendars(c);
  };

  it("the shipped configs run on the schema's default, Asia/Shanghai", () => {
    expect(compileWithCalendars(resolvedJson("townships/east-lake.json")).defaults.timeZone).toBe("Asia/Shanghai");
  });

  it("working-day deadlines end at local midnight of the township's zone", () => {
    const compiled = inUrumqi();
    let s = newCase(compiled, { id: "case-tz" });
    // Monday 3 March 2025, 10:00 in Urumqi (04:00Z): 5 working days → end of Monday 10 March there.
    s = fire(compiled, s, "triage", east.routing, new Date("2025-03-03T04:00:00Z"), { gradeId: "general" }).next;
    s = fire(compiled, s, "dispatch", east.routing, new Date("2025-03-03T04:00:00Z"), {
      leadUnitId: "village-qiaotou",
    }).next;
    expect(s.deadlines.map((d) => d.dueAt)).toEqual(["2025-03-10T17:59:59.999Z"]);
  });

  it("score periods and duty days are cut in it", () => {
    const compiled = inUrumqi();
    expect(periodFromKey(compiled.defaults.timeZone, "2025-04")).toMatchObject({
      start: "2025-03-31T18:00:00.000Z",
      end: "2025-04-30T18:00:00.000Z",
    });
    expect(periodOf(compiled.defaults.timeZone, "month", "2025-03-31T17:30:00Z").key).toBe("2025-03");
    expect(periodOf("Asia/Shanghai", "month", "2025-03-31T17:30:00Z").key).toBe("2025-04");
    expect(dutyDate(compiled, new Date("2025-09-30T17:00:00Z"))).toBe("2025-09-30");
  });

  it("an unknown zone is refused", () => {
    const c = resolvedJson("townships/east-lake.json");
    c.timeZone = "Mars/Olympus";
    const result = validateTownshipConfig(c);
    expect(result.ok ? [] : result.issues.map((i) => [i.path, i.code])).toEqual([["/timeZone", "time-zone.unknown"]]);
  });

  it("engine/time.ts follows a zone's daylight saving (a calendar day keeps the clock time)", () => {
    expect(endOfLocalDay("Europe/Berlin", "2025-03-30").toISOString()).toBe("2025-03-30T21:59:59.999Z");
    expect(localDate("Europe/Berlin", new Date("2025-03-29T23:30:00Z"))).toBe("2025-03-30");
    const cal = buildCalendar(undefined, { timeZone: "Europe/Berlin" });
    expect(addDuration(cal, new Date("2025-03-29T09:00:00Z"), { amount: 1, unit: "calendar-days" }).toISOString()).toBe(
      "2025-03-30T08:00:00.000Z",
    );
  });
});
