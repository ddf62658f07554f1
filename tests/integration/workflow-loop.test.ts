// One case through the whole loop on real PostgreSQL, driven by a simulated clock: report →
// triage → dispatch → accept → reminders → overdue → supervision sheet → talk → report back →
// review → close (satisfaction) → archive. Every reminder and sheet exactly once, even when the
// sweep runs twice for the same instant.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "#app/server/audit.server";
import { reportCase } from "#app/server/cases.server";
import { runOutboxJob } from "#app/server/jobs.server";
import { sweepDueCases, transitionCase } from "#app/server/workflow.server";
import { seededDatabase, teardown, validDispute, type Seeded } from "./helpers";

let s: Seeded;
let caseId = "";
// Monday 2026-03-02 09:00 in Shanghai: a plain working week, no holidays near.
const T0 = new Date("2026-03-02T01:00:00Z");
const at = (hours: number) => new Date(T0.getTime() + hours * 3600_000);

beforeAll(async () => {
  s = await seededDatabase();
});
afterAll(() => teardown(s));

async function deliverAll() {
  for (const job of await s.db.outboxJob.findMany({ where: { status: "pending" } })) await runOutboxJob(s.db, job.id);
}

async function inbox(login: string) {
  const user = await s.db.user.findUniqueOrThrow({ where: { login } });
  return s.db.notification.findMany({ where: { userId: user.id, caseId }, orderBy: { createdAt: "asc" } });
}

describe("the bottom-up loop", () => {
  it("runs from report to dispatch with a handling deadline of 5 working days", async () => {
    const reported = await reportCase(await s.context("east.grid1"), { categoryId: "dispute", data: validDispute }, T0);
    if (!reported.ok) throw new Error("report failed");
    caseId = reported.caseId;
    await s.fire(caseId, "east.routing", "triage", { gradeId: "general" }, at(1));
    await s.fire(
      caseId,
      "east.routing",
      "dispatch",
      { leadUnitId: "platform-safety", instructions: "请三日内调解" },
      at(2),
    );
    const row = await s.db.case.findUniqueOrThrow({ where: { id: caseId } });
    expect(row.state).toBe("dispatched");
    expect(row.leadUnitId).toBe("platform-safety");
    // Mon 2 Mar + 5 working days → end of Mon 9 Mar, Shanghai time.
    expect(row.dueAt?.toISOString()).toBe("2026-03-09T15:59:59.999Z");
    expect(row.nextCheckAt).not.toBeNull();
    await deliverAll();
    expect((await inbox("east.safety")).map((n) => n.kind)).toContain("case.dispatched");
  });

  it("refuses the wrong person, the wrong state and a stale version", async () => {
    const row = await s.db.case.findUniqueOrThrow({ where: { id: caseId } });
    const grid = await transitionCase(
      s.db,
      await s.context("east.grid1"),
      caseId,
      { transitionId: "accept", expectedVersion: row.version },
      at(3),
    );
    expect(grid).toMatchObject({ ok: false, refusal: { kind: "not-allowed" } });
    const wrongState = await transitionCase(
      s.db,
      await s.context("east.routing"),
      caseId,
      { transitionId: "close", input: { satisfaction: "satisfied" }, expectedVersion: row.version },
      at(3),
    );
    expect(wrongState).toMatchObject({ ok: false, refusal: { kind: "wrong-state" } });
    const stale = await transitionCase(
      s.db,
      await s.context("east.safety"),
      caseId,
      { transitionId: "accept", expectedVersion: row.version - 1 },
      at(3),
    );
    expect(stale).toMatchObject({ ok: false, refusal: { kind: "stale-version" } });
    expect((await s.db.case.findUniqueOrThrow({ where: { id: caseId } })).version).toBe(row.version);
  });

  it("two people acting on the same version: one wins, the other is told the case changed", async () => {
    const row = await s.db.case.findUniqueOrThrow({ where: { id: caseId } });
    const safety = await s.context("east.safety");
    const [a, b] = await Promise.all([
      transitionCase(s.db, safety, caseId, { transitionId: "accept", expectedVersion: row.version }, at(4)),
      transitionCase(s.db, safety, caseId, { transitionId: "accept", expectedVersion: row.version }, at(4)),
    ]);
    expect([a.ok, b.ok].sort()).toEqual([false, true]);
    expect([a, b].find((r) => !r.ok)).toMatchObject({ refusal: { kind: "stale-version" } });
    const after = await s.db.case.findUniqueOrThrow({ where: { id: caseId }, include: { auditEvents: true } });
    expect(after.state).toBe("handling");
    expect(after.version).toBe(row.version + 1);
    expect(
      after.auditEvents.filter((e) => (e.data as { transitionId?: string }).transitionId === "accept"),
    ).toHaveLength(1);
  });

  it("sends the 3-day, <2-day and <1-day reminders once each, however often the sweep runs", async () => {
    for (const [hoursBeforeDue, expected] of [
      [70, 1],
      [46, 2],
      [22, 3],
    ] as const) {
      const due = new Date("2026-03-09T15:59:59.999Z").getTime();
      const now = new Date(due - hoursBeforeDue * 3600_000);
      await sweepDueCases(s.db, now);
      await sweepDueCases(s.db, now);
      await deliverAll();
      await deliverAll();
      expect((await inbox("east.safety")).filter((n) => n.kind === "deadline.reminder")).toHaveLength(expected);
    }
  });

  it("overdue: a numbered supervision sheet, its one deduction, then a talk with the principal leader", async () => {
    const overdue = new Date("2026-03-10T02:00:00Z"); // Tue 10 Mar 10:00
    await sweepDueCases(s.db, overdue);
    await sweepDueCases(s.db, overdue);
    const sheets = await s.db.supervisionSheet.findMany({ where: { caseId } });
    expect(sheets).toHaveLength(1);
    expect(sheets[0]!.number).toMatch(/^2026-000001$/);
    expect(sheets[0]!.toUnitIds).toEqual(["platform-safety"]);
    await deliverAll();
    // Going overdue is scored once, by the rule on the sheet it brings: the ladder writes no points of its own.
    const scores = await s.db.scoreEntry.findMany({
      where: { caseId, fact: { in: ["supervision.sheet-issued", "case.overdue"] } },
    });
    expect(scores.map((x) => [x.origin, x.rule, x.fact, x.targetId, x.points])).toEqual([
      ["rule", "supervision-sheet", "supervision.sheet-issued", "platform-safety", -2],
    ]);
    expect(await s.db.principalTalk.count({ where: { caseId } })).toBe(0);

    // Three working days after the due date, still not done: the principal leader holds a talk.
    await sweepDueCases(s.db, new Date("2026-03-12T17:00:00Z"));
    const talks = await s.db.principalTalk.findMany({ where: { caseId } });
    expect(talks).toHaveLength(1);
    expect(talks[0]!.principalPost).toBe("director");
    await deliverAll();
    const kinds = (await inbox("east.safety")).map((n) => n.kind);
    expect(kinds.filter((k) => k === "supervision.sheet")).toHaveLength(1);
    expect(kinds.filter((k) => k === "supervision.talk")).toHaveLength(1);
  });

  it("closes the loop: report back, review, satisfied revisit closes supervision, archive", async () => {
    await s.fire(
      caseId,
      "east.safety",
      "report-back",
      { result: "已调解，双方签订协议", measures: "上门调解两次" },
      new Date("2026-03-13T02:00:00Z"),
    );
    await s.fire(caseId, "east.routing", "review", { opinion: "同意" }, new Date("2026-03-13T03:00:00Z"));
    await s.fire(
      caseId,
      "east.grid1",
      "close",
      { satisfaction: "satisfied", method: "phone" },
      new Date("2026-03-13T04:00:00Z"),
    );
    await s.fire(caseId, "east.routing", "archive", undefined, new Date("2026-03-13T05:00:00Z"));
    const row = await s.db.case.findUniqueOrThrow({ where: { id: caseId } });
    expect(row.state).toBe("archived");
    expect(row.closedAt).not.toBeNull();
    expect(row.nextCheckAt).toBeNull();
    expect(await s.db.supervisionSheet.count({ where: { caseId, status: "open" } })).toBe(0);
    expect(await s.db.principalTalk.count({ where: { caseId, status: "open" } })).toBe(0);
    await deliverAll();
    // The satisfied revisit is scored once, by the scoring rule (the workflow no longer scores it as well).
    const revisit = await s.db.scoreEntry.findMany({ where: { caseId, fact: { startsWith: "revisit." } } });
    expect(revisit.map((x) => [x.origin, x.rule, x.targetId, x.points])).toEqual([
      ["rule", "satisfied", "platform-safety", 1],
    ]);
    // Nothing more comes due after the case is archived.
    expect(await sweepDueCases(s.db, new Date("2026-04-30T00:00:00Z"))).toBe(0);
  });

  it("leaves an audit trail that verifies", async () => {
    const types = (await s.db.auditEvent.findMany({ where: { caseId }, orderBy: { seq: "asc" } })).map((e) =>
      e.type === "case.transition" ? (e.data as { transitionId: string }).transitionId : e.type,
    );
    expect(types.filter((t) => !t.startsWith("case.deadline-step"))).toEqual([
      "case.reported",
      "triage",
      "dispatch",
      "accept",
      "report-back",
      "review",
      "close",
      "archive",
    ]);
    const tenant = await s.db.tenant.findUniqueOrThrow({ where: { code: "east-lake" } });
    expect(await verifyAuditChain(s.db, tenant.id)).toMatchObject({ ok: true });
  });
});
