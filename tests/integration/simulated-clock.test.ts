// The app's time comes from one injected clock (ADR 036): a request context and a job runner built
// on a SimulatedClock set deadlines, sheets and job times relative to it, not to the machine's day.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { SimulatedClock } from "#engine/clock";
import { reportCase } from "#app/server/cases.server";
import { createJobRunner } from "#app/server/jobs.server";
import { loadTenantContext } from "#app/server/tenancy.server";
import { sweepDueCases } from "#app/server/workflow.server";
import { fireAs } from "#tests/setup/drive-cases";
import { seededDatabase, teardown, validDispute, type Seeded } from "./helpers";

let s: Seeded;
beforeAll(async () => {
  s = await seededDatabase();
});
afterAll(() => teardown(s));

// Monday 2 March 2026, 09:00 in Shanghai: not the day the test runs.
const clock = new SimulatedClock(new Date("2026-03-02T01:00:00Z"));
const HOUR = 3600_000;

async function contextNow(login: string) {
  return (await loadTenantContext(s.db, await s.sessionUser(login), "east-lake", clock.now()))!;
}

async function fire(login: string, caseId: string, transitionId: string, input: unknown) {
  clock.advance(HOUR);
  const ctx = await contextNow(login);
  await fireAs(s.db, ctx, caseId, transitionId, input, ctx.now);
}

describe("a simulated clock", () => {
  let caseId = "";

  it("times a request's deadlines from the context's reading of it", async () => {
    const grid = await contextNow("east.grid1");
    expect(grid.now.toISOString()).toBe("2026-03-02T01:00:00.000Z");
    const reported = await reportCase(grid, { categoryId: "dispute", data: validDispute }, grid.now);
    if (!reported.ok) throw new Error("report failed");
    caseId = reported.caseId;
    await fire("east.routing", caseId, "triage", { gradeId: "general" });
    await fire("east.routing", caseId, "dispatch", { leadUnitId: "platform-safety", assistUnitIds: [] });
    await fire("east.safety", caseId, "accept", undefined);
    const row = await s.db.case.findUniqueOrThrow({ where: { id: caseId } });
    // Dispatched on Mon 2 Mar (simulated): five working days → end of Mon 9 Mar in Shanghai.
    expect(row.dueAt?.toISOString()).toBe("2026-03-09T15:59:59.999Z");
  });

  it("runs a job runner's sweep at its time: the overdue sheet is issued then and answers from then", async () => {
    clock.set(new Date("2026-03-10T02:00:00Z")); // Tue 10 Mar, 10:00 Shanghai: one working day over
    const runner = createJobRunner(s.db, (now) => sweepDueCases(s.db, now), clock);
    expect(runner.mode).toBe("in-process");
    await runner.start();
    await runner.stop();
    const sheet = await s.db.supervisionSheet.findFirstOrThrow({ where: { caseId } });
    expect(sheet.issuedAt.toISOString()).toBe("2026-03-10T02:00:00.000Z");
    // The feedback window (5 working days) counts from the simulated Tue 10 Mar → end of Tue 17 Mar.
    expect(sheet.respondBy?.toISOString()).toBe("2026-03-17T15:59:59.999Z");
    // The runner's sweep delivered the waiting jobs at the simulated instant, too.
    const done = await s.db.outboxJob.findMany({ where: { status: "done" }, select: { doneAt: true } });
    expect(done.length).toBeGreaterThan(0);
    expect(new Set(done.map((j) => j.doneAt?.toISOString()))).toEqual(new Set(["2026-03-10T02:00:00.000Z"]));
    const next = (await s.db.case.findUniqueOrThrow({ where: { id: caseId } })).nextCheckAt;
    expect(next!.getTime()).toBeGreaterThan(clock.now().getTime());
  });
});
