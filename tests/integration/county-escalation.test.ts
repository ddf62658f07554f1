// Issue 15 items 1–2: a case escalated by East Lake arrives at the county as the county's own case
// (its config, workflow and calendar), the centre dispatches it to a county department with the
// township assisting, the department reports back, the result comes back to East Lake, which
// closes it; both trails show every step. Another county sees none of it, in the app or in SQL.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportCase } from "#app/server/cases.server";
import { withTenant } from "#app/server/db.server";
import { runOutboxJob } from "#app/server/jobs.server";
import { hashPassword } from "#app/server/password.server";
import { transitionCase } from "#app/server/workflow.server";
import { seededDatabase, teardown, type Seeded } from "./helpers";

let s: Seeded;
let townshipCaseId = "";
let countyCaseId = "";
const T0 = new Date("2026-03-02T02:00:00Z"); // Monday 10:00 in Shanghai

async function drainOutbox() {
  for (let i = 0; i < 5; i++) {
    const pending = await s.db.outboxJob.findMany({ where: { status: "pending" }, orderBy: { createdAt: "asc" } });
    if (!pending.length) return;
    for (const job of pending) await runOutboxJob(s.db, job.id);
  }
}

async function fire(login: string, tenant: string, caseId: string, transitionId: string, input?: unknown) {
  const result = await s.attempt(caseId, login, transitionId, input, T0, tenant);
  await drainOutbox();
  return result;
}

beforeAll(async () => {
  s = await seededDatabase();
  // A second county with a member at its centre: it must see nothing of demo-county's work.
  const other = await s.db.tenant.create({ data: { code: "other-county", kind: "county", name: "另一个县" } });
  const demo = await s.db.configVersion.findFirstOrThrow({ where: { tenant: { code: "demo-county" } } });
  await s.db.configVersion.create({
    data: { tenantId: other.id, version: 1, document: demo.document as object, source: demo.source as object },
  });
  const user = await s.db.user.create({
    data: { login: "other.dispatch", displayName: "other", passwordHash: await hashPassword("x") },
  });
  await s.db.membership.create({
    data: { tenantId: other.id, userId: user.id, posts: ["dispatch"], unitId: "county-centre" },
  });
  const r = await reportCase(
    await s.context("east.grid1"),
    {
      categoryId: "safety-hazard",
      data: { summary: "化工厂储罐泄漏风险", hazardType: "其他", location: "桥头工业区" },
    },
    T0,
  );
  if (!r.ok) throw new Error("report failed");
  townshipCaseId = r.caseId;
});
afterAll(() => teardown(s));

describe("a case escalated to the county comes back handled", () => {
  it("East Lake escalates a major case; the county opens its own linked case under its own workflow", async () => {
    expect(await fire("east.routing", "east-lake", townshipCaseId, "triage", { gradeId: "major" })).toMatchObject({
      ok: true,
    });
    expect(
      await fire("east.director", "east-lake", townshipCaseId, "escalate", { reason: "涉及危化品，超出乡镇处置能力" }),
    ).toMatchObject({ ok: true, state: "escalated" });
    const county = await s.db.case.findUniqueOrThrow({
      where: { sourceCaseId: townshipCaseId },
      include: { tenant: true },
    });
    countyCaseId = county.id;
    expect(county).toMatchObject({
      state: "received",
      workflowId: "county-escalation",
      title: "化工厂储罐泄漏风险",
      tenant: { code: "demo-county" },
    });
    expect(county.data).toMatchObject({ township: "东湖镇", reason: "涉及危化品，超出乡镇处置能力" });
    // Told: the posts the county's config names, in the county's own inbox; no department yet.
    const told = await s.db.notification.findMany({
      where: { OR: [{ caseId: countyCaseId }, { caseId: townshipCaseId, user: { login: { startsWith: "dept." } } }] },
      select: { tenantId: true, user: { select: { login: true } } },
    });
    expect(told.map((n) => n.user.login).sort()).toEqual(["county.dispatch", "county.intake"]);
    expect(told.every((n) => n.tenantId === county.tenantId)).toBe(true);
    // The county's people see it on their workbench; East Lake's people cannot act for the county.
    expect(await s.contextOf("county.dispatch", "demo-county")).not.toBeNull();
    expect(await s.contextOf("east.routing", "demo-county")).toBeNull();
    expect(
      await fire("east.routing", "east-lake", townshipCaseId, "county-report-back", { result: "假的" }),
    ).toMatchObject({ ok: false, refusal: { kind: "not-allowed" } });
  });

  it("a department sees nothing until it is assigned; the centre dispatches with the township assisting", async () => {
    const police = await s.context("dept.police", "demo-county");
    expect(
      await transitionCase(s.db, police, countyCaseId, { transitionId: "accept", expectedVersion: 1 }, T0),
    ).toEqual({
      ok: false,
      notFound: true,
    });
    expect(
      await fire("county.dispatch", "demo-county", countyCaseId, "dispatch", {
        leadUnitId: "dept-police",
        assistUnitIds: ["dept-emergency", "township-east-lake"],
        instructions: "公安牵头，应急局和东湖镇协助",
      }),
    ).toMatchObject({ ok: true, state: "dispatched" });
    const row = await s.db.case.findUniqueOrThrow({ where: { id: countyCaseId } });
    expect(row.leadUnitId).toBe("dept-police");
    // The county's handling deadline: 10 working days on the county's calendar (Mon 2 Mar → Mon 16 Mar).
    expect(row.dueAt?.toISOString().slice(0, 10)).toBe("2026-03-16");
    // Another department, not assigned, still gets nothing.
    const land = await s.context("dept.land", "demo-county");
    expect(
      await transitionCase(s.db, land, countyCaseId, { transitionId: "accept", expectedVersion: row.version }, T0),
    ).toEqual({ ok: false, notFound: true });
  });

  it("the lead department accepts and reports back; the centre approves and the result reaches East Lake", async () => {
    expect(await fire("dept.police", "demo-county", countyCaseId, "accept")).toMatchObject({ ok: true });
    expect(
      await fire("dept.police", "demo-county", countyCaseId, "report-back", {
        result: "储罐已清空，企业停产整改",
        measures: "现场封控，危化品转运",
      }),
    ).toMatchObject({ ok: true, state: "feedback" });
    expect((await s.db.case.findUniqueOrThrow({ where: { id: townshipCaseId } })).state).toBe("escalated");
    expect(
      await fire("county.dispatch", "demo-county", countyCaseId, "approve", { result: "储罐已清空，企业停产整改" }),
    ).toMatchObject({ ok: true, state: "reported" });
    const township = await s.db.case.findUniqueOrThrow({
      where: { id: townshipCaseId },
      include: { auditEvents: { orderBy: { seq: "asc" } } },
    });
    expect(township.state).toBe("feedback");
    // The handover is over: the case is East Lake's again, with the county's result.
    expect(township.escalatedTo).toBeNull();
    const types = township.auditEvents.map((e) => e.type);
    expect(types).toContain("case.county-received");
    const steps = township.auditEvents.filter((e) => e.type === "case.county-step").map((e) => e.data);
    expect(steps.map((d) => (d as { transition: { zh: string } }).transition.zh)).toEqual([
      "交办部门",
      "部门签收",
      "部门反馈",
      "审核办结，反馈属地",
    ]);
    expect(JSON.stringify(steps[0])).toContain("县公安局");
    const last = township.auditEvents.at(-1)!;
    expect(last).toMatchObject({ type: "case.transition", data: { transitionId: "county-report-back" } });
  });

  it("East Lake's routing reviews and closes the case; the county's trail has every county step", async () => {
    expect(await fire("east.routing", "east-lake", townshipCaseId, "review", {})).toMatchObject({ state: "revisit" });
    expect(
      await fire("east.routing", "east-lake", townshipCaseId, "close", { satisfaction: "satisfied" }),
    ).toMatchObject({ ok: true, state: "closed" });
    const county = await s.db.case.findUniqueOrThrow({
      where: { id: countyCaseId },
      include: { auditEvents: { orderBy: { seq: "asc" } } },
    });
    expect(county.closedAt).not.toBeNull();
    expect(
      county.auditEvents
        .filter((e) => e.type === "case.transition")
        .map((e) => (e.data as { transitionId: string }).transitionId),
    ).toEqual(["dispatch", "accept", "report-back", "approve"]);
  });

  it("a county member of another county gets 404 for all of it", async () => {
    const other = await s.context("other.dispatch", "other-county");
    for (const id of [countyCaseId, townshipCaseId]) {
      expect(
        await transitionCase(s.db, other, id, { transitionId: "dispatch", input: {}, expectedVersion: 1 }, T0),
      ).toEqual({ ok: false, notFound: true });
    }
    expect(await s.contextOf("other.dispatch", "demo-county")).toBeNull();
    expect(await s.contextOf("county.dispatch", "other-county")).toBeNull();
  });

  it("row-level security blocks a county's cross-county read and its writes to a township's case", async () => {
    // A case waiting at the county right now.
    const r = await reportCase(
      await s.context("east.grid1"),
      { categoryId: "safety-hazard", data: { summary: "桥梁裂缝", hazardType: "道路", location: "桥头村" } },
      T0,
    );
    if (!r.ok) throw new Error("report failed");
    await fire("east.routing", "east-lake", r.caseId, "triage", { gradeId: "major" });
    await fire("east.director", "east-lake", r.caseId, "escalate", { reason: "需县住建局鉴定" });
    const waiting = await s.db.case.findUniqueOrThrow({ where: { sourceCaseId: r.caseId } });
    const ids = [countyCaseId, townshipCaseId, r.caseId, waiting.id];
    const other = await s.db.tenant.findUniqueOrThrow({ where: { code: "other-county" } });
    const demo = await s.db.tenant.findUniqueOrThrow({ where: { code: "demo-county" } });
    const otherUser = await s.db.user.findUniqueOrThrow({ where: { login: "other.dispatch" } });
    const asOther = await withTenant(s.db, { tenantId: other.id, userId: otherUser.id }, (tx) =>
      tx.case.findMany({ where: { id: { in: ids } }, select: { id: true } }),
    );
    expect(asOther).toEqual([]);
    // Its own county reads the escalated township case (its source) but cannot write it.
    const dispatcher = await s.db.user.findUniqueOrThrow({ where: { login: "county.dispatch" } });
    const asDemo = await withTenant(s.db, { tenantId: demo.id, userId: dispatcher.id }, async (tx) => ({
      read: await tx.case.count({ where: { id: r.caseId } }),
      written: (await tx.case.updateMany({ where: { id: r.caseId }, data: { title: "改写" } })).count,
    }));
    expect(asDemo).toEqual({ read: 1, written: 0 });
  });
});

describe("the county returns a case to the township", () => {
  it("with a reason: the township case is back in triage with the county's reason in its trail", async () => {
    const r = await reportCase(
      await s.context("east.grid1"),
      { categoryId: "safety-hazard", data: { summary: "山体滑坡隐患", hazardType: "其他", location: "山下村" } },
      T0,
    );
    if (!r.ok) throw new Error("report failed");
    await fire("east.routing", "east-lake", r.caseId, "triage", { gradeId: "major" });
    await fire("east.director", "east-lake", r.caseId, "escalate", { reason: "需县级部门鉴定" });
    const county = await s.db.case.findUniqueOrThrow({ where: { sourceCaseId: r.caseId } });
    expect(
      await fire("county.dispatch", "demo-county", county.id, "return-to-township", {
        reason: "属乡镇职责，请属地处置",
      }),
    ).toMatchObject({ ok: true, state: "returned" });
    const township = await s.db.case.findUniqueOrThrow({
      where: { id: r.caseId },
      include: { auditEvents: { orderBy: { seq: "asc" } } },
    });
    expect(township.state).toBe("triage");
    expect(township.escalatedTo).toBeNull();
    expect(township.auditEvents.at(-1)!.data).toMatchObject({
      transitionId: "county-return",
      input: { reason: "属乡镇职责，请属地处置" },
    });
  });
});
