// 受理时限 on a real database: west-hill moves to command-room-guideline@1.1.0, whose case loop
// starts an intake deadline when a case is reported (1 working day, its own ladder). A case left
// untriaged past it gets a supervision sheet to the command room and a deduction for the routing
// post; a case triaged in time gets neither, and triage stops the intake clock.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deadline } from "#engine/case-state";
import { reportCase } from "#app/server/cases.server";
import { runOutboxJob } from "#app/server/jobs.server";
import { previewUpgrade, publishUpgrade } from "#app/server/template-upgrade.server";
import { sweepDueCases, transitionCase } from "#app/server/workflow.server";
import { seededDatabase, teardown, validDispute, type Seeded } from "./helpers";

const TO = "command-room-guideline@1.1.0";
// Monday 2 March 2026, Shanghai time: 1 working day runs to the end of Tuesday 3 March.
const local = (text: string) => new Date(`2026-03-${text.replace(" ", "T")}:00+08:00`);
const T0 = local("02 09:00");
const INTAKE_DUE = "2026-03-03T15:59:59.999Z";

let s: Seeded;
let tenantId = "";
let routingUserId = "";

beforeAll(async () => {
  s = await seededDatabase();
  tenantId = (await s.db.tenant.findUniqueOrThrow({ where: { code: "west-hill" } })).id;
  routingUserId = (await s.db.user.findUniqueOrThrow({ where: { login: "west.routing" } })).id;
  // A township admin for west-hill, who takes the template upgrade (it has no conflicts).
  const admin = await s.db.user.findUniqueOrThrow({ where: { login: "east.admin" } });
  await s.db.membership.create({
    data: { tenantId, userId: admin.id, posts: ["township-admin"], unitId: "command-room" },
  });
  const ctx = await s.context("east.admin", "west-hill");
  // Published before the morning's reports: scoring applies a version's rules from its publication.
  const before = local("02 08:00");
  const preview = await previewUpgrade(s.db, ctx, { to: TO, baseVersion: 1, decisions: {} }, before);
  const published = await publishUpgrade(
    s.db,
    ctx,
    { to: TO, baseVersion: 1, decisions: {}, previewed: preview.fingerprint },
    before,
  );
  if (!published.ok) throw new Error(JSON.stringify(published));
});
afterAll(() => teardown(s));

async function report(summary: string, when: Date) {
  const r = await reportCase(
    await s.context("west.grid1", "west-hill"),
    { categoryId: "dispute", data: { ...validDispute, summary } },
    when,
  );
  if (!r.ok) throw new Error(JSON.stringify(r.refusal));
  return r.caseId;
}

async function triage(caseId: string, when: Date) {
  const row = await s.db.case.findUniqueOrThrow({ where: { id: caseId } });
  const r = await transitionCase(
    s.db,
    await s.context("west.routing", "west-hill"),
    caseId,
    { transitionId: "triage", input: { gradeId: "general" }, expectedVersion: row.version },
    when,
  );
  if (!r.ok) throw new Error(JSON.stringify(r));
}

async function runJobs() {
  for (const job of await s.db.outboxJob.findMany({ where: { status: "pending" }, orderBy: { createdAt: "asc" } }))
    await runOutboxJob(s.db, job.id);
}

const clocks = async (caseId: string) =>
  ((await s.db.case.findUniqueOrThrow({ where: { id: caseId } })).deadlines as Deadline[]).map((d) => d.kind);
const intakeLines = (caseId: string) => s.db.scoreEntry.findMany({ where: { caseId, rule: "intake-late" } });

describe("an intake deadline (受理时限)", () => {
  it("starts when the case is reported, due after 1 working day, and the sweep indexes it", async () => {
    const caseId = await report("受理时限开始", T0);
    const row = await s.db.case.findUniqueOrThrow({ where: { id: caseId } });
    expect(row.state).toBe("reported");
    expect(row.deadlines).toMatchObject([{ id: "intake@1", kind: "intake", policyId: "intake", dueAt: INTAKE_DUE }]);
    expect(row.dueAt?.toISOString()).toBe(INTAKE_DUE);
    expect(row.nextCheckAt?.toISOString()).toBe("2026-03-03T16:00:00.000Z");
  });

  it("left untriaged past it: a supervision sheet to the command room, and one deduction for the routing post", async () => {
    const caseId = await report("无人受理的纠纷", T0);
    await sweepDueCases(s.db, local("04 09:00"));
    await sweepDueCases(s.db, local("04 09:00"));
    const sheets = await s.db.supervisionSheet.findMany({ where: { caseId } });
    expect(sheets.map((x) => [x.deadlineKind, x.trigger, x.toUnitIds, x.copyPosts, x.dueAt?.toISOString()])).toEqual([
      ["intake", "ladder", ["command-room"], ["inspection"], INTAKE_DUE],
    ]);
    await runJobs();
    const lines = await intakeLines(caseId);
    expect(lines.map((l) => [l.fact, l.targetKind, l.targetId, l.points])).toEqual([
      ["supervision.sheet-issued", "user", routingUserId, -1],
    ]);
    // No lead unit yet: the handling deductions name nobody.
    expect(await s.db.scoreEntry.count({ where: { caseId, rule: "supervision-sheet" } })).toBe(0);

    // Triage at last stops the clock, late: no further sheet however long the case then takes.
    await triage(caseId, local("04 10:00"));
    expect(await clocks(caseId)).toEqual([]);
    const cleared = await s.db.auditEvent.findFirstOrThrow({
      where: { caseId, type: "case.transition", data: { path: ["transitionId"], equals: "triage" } },
    });
    expect((cleared.data as { cleared: unknown[] }).cleared).toMatchObject([
      { id: "intake@1", kind: "intake", met: false, reason: "done" },
    ]);
    await sweepDueCases(s.db, local("20 09:00"));
    expect(await s.db.supervisionSheet.count({ where: { caseId } })).toBe(1);
    await runJobs();
    expect(await intakeLines(caseId)).toHaveLength(1);
  });

  it("triaged in time: the clock stops as met, and no sheet or deduction follows", async () => {
    const caseId = await report("及时受理的纠纷", T0);
    await triage(caseId, local("02 10:00"));
    expect(await clocks(caseId)).toEqual([]);
    const row = await s.db.case.findUniqueOrThrow({ where: { id: caseId } });
    expect(row.nextCheckAt).toBeNull();
    await sweepDueCases(s.db, local("04 09:00"));
    await sweepDueCases(s.db, local("20 09:00"));
    await runJobs();
    expect(await s.db.supervisionSheet.count({ where: { caseId } })).toBe(0);
    expect(await intakeLines(caseId)).toEqual([]);
  });
});
