// Issue 15 item 3: the county sends a task down to all its townships (the demo's East Lake and West
// Hill plus North Ridge, created here); each works it in its own task workflow; the county tracks
// them (arrived, distributed, fed back, late), supervises the late one and evaluates each feedback.
// No township sees another's task case.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { getCase, listCases, reportCase } from "#app/server/cases.server";
import { actOnTownshipTask, taskProgress } from "#app/server/county-tasks.server";
import { runOutboxJob } from "#app/server/jobs.server";
import { reportableCategories } from "#engine/intake";
import { hashPassword } from "#app/server/password.server";
import { transitionCase } from "#app/server/workflow.server";
import { seededDatabase, teardown, type Seeded } from "./helpers";

let s: Seeded;
let taskId = "";
const cases: Record<string, string> = {};
const MON = new Date("2026-03-02T02:00:00Z"); // Monday 10:00 in Shanghai
const THU = new Date("2026-03-05T02:00:00Z");
const NEXT_MON = new Date("2026-03-09T02:00:00Z"); // after the county's due date (Fri 6 Mar)

async function drainOutbox() {
  for (let i = 0; i < 5; i++) {
    const pending = await s.db.outboxJob.findMany({ where: { status: "pending" }, orderBy: { createdAt: "asc" } });
    if (!pending.length) return;
    for (const job of pending) await runOutboxJob(s.db, job.id);
  }
}

async function at(login: string, tenant: string, now: Date) {
  return { ...(await s.context(login, tenant)), now };
}

async function fire(login: string, tenant: string, caseId: string, transitionId: string, now: Date, input?: unknown) {
  const row = await s.db.case.findUniqueOrThrow({ where: { id: caseId } });
  const r = await transitionCase(
    s.db,
    await at(login, tenant, now),
    caseId,
    { transitionId, input, expectedVersion: row.version },
    now,
  );
  await drainOutbox();
  return r;
}

async function progress(now: Date) {
  const p = await taskProgress(s.db, await at("county.dispatch", "demo-county", now), taskId);
  return Object.fromEntries(
    (p?.rows ?? []).map((r) => [
      r.township,
      { progress: r.progress, late: r.late, sheets: r.sheets, verdict: r.verdict?.verdict ?? null },
    ]),
  );
}

async function county(townshipCaseId: string, action: Parameters<typeof actOnTownshipTask>[4], now: Date) {
  const r = await actOnTownshipTask(
    s.db,
    await at("county.dispatch", "demo-county", now),
    taskId,
    townshipCaseId,
    action,
  );
  await drainOutbox();
  return r;
}

beforeAll(async () => {
  s = await seededDatabase();
  // A third township of the demo county, on East Lake's config, with a routing member of its own.
  const countyRow = await s.db.tenant.findUniqueOrThrow({ where: { code: "demo-county" } });
  const north = await s.db.tenant.create({
    data: { code: "north-ridge", kind: "township", name: "北岭镇", parentId: countyRow.id },
  });
  const east = await s.db.configVersion.findFirstOrThrow({
    where: { tenant: { code: "east-lake" } },
    orderBy: { version: "desc" },
  });
  await s.db.configVersion.create({
    data: { tenantId: north.id, version: 1, document: east.document as object, source: east.source as object },
  });
  const user = await s.db.user.create({
    data: { login: "north.routing", displayName: "北岭流转", passwordHash: await hashPassword("x") },
  });
  await s.db.membership.create({
    data: { tenantId: north.id, userId: user.id, posts: ["routing"], unitId: "command-room" },
  });
});
afterAll(() => teardown(s));

describe("a task sent down by the county", () => {
  it("a township cannot report a task from above itself", async () => {
    const r = await reportCase(
      await s.context("east.routing"),
      { categoryId: "county-task", data: { title: "自拟任务", countyNumber: "x" } },
      MON,
    );
    expect(r).toMatchObject({ ok: false, refusal: { issues: [{ code: "category.from-above" }] } });
  });

  it("at the county, only intake, dispatch and the director may open one, and only a task (escalations arrive)", async () => {
    const offered = async (login: string) => {
      const ctx = await s.context(login, "demo-county");
      return reportableCategories(ctx.compiled, ctx.actor).map((c) => c.id);
    };
    expect(await offered("county.dispatch")).toEqual(["county-task"]);
    expect(await offered("dept.police")).toEqual([]);
    const refused = await reportCase(
      await s.context("dept.police", "demo-county"),
      { categoryId: "county-task", data: { title: "自拟任务", requirement: "x", dueDate: "2099-06-30" } },
      MON,
    );
    expect(refused).toMatchObject({ ok: false, refusal: { kind: "not-allowed" } });
  });

  it("reaches every township of the county as a case in its own task workflow", async () => {
    const r = await reportCase(
      await at("county.dispatch", "demo-county", MON),
      {
        categoryId: "county-task",
        data: { title: "汛前隐患排查", requirement: "排查辖区山塘水库并反馈", townships: [], dueDate: "2026-03-06" },
      },
      MON,
    );
    if (!r.ok) throw new Error(JSON.stringify(r.refusal));
    taskId = r.caseId;
    await drainOutbox();
    const rows = await s.db.case.findMany({ where: { taskId }, include: { tenant: true } });
    expect(rows.map((c) => c.tenant.code).sort()).toEqual(["east-lake", "north-ridge", "west-hill"]);
    for (const c of rows) {
      cases[c.tenant.code] = c.id;
      expect(c).toMatchObject({ state: "arrived", workflowId: "county-task", title: "汛前隐患排查" });
      expect(c.data).toMatchObject({ countyNumber: r.number, dueDate: "2026-03-06" });
    }
    // Each township's routing post is told, in its own inbox.
    const told = await s.db.notification.findMany({
      where: { caseId: { in: Object.values(cases) }, user: { login: { endsWith: ".routing" } } },
      select: { user: { select: { login: true } } },
    });
    expect(told.map((n) => n.user.login).sort()).toEqual(["east.routing", "north.routing", "west.routing"]);
    expect(await progress(MON)).toEqual({
      东湖镇: { progress: "arrived", late: false, sheets: 0, verdict: null },
      西山乡: { progress: "arrived", late: false, sheets: 0, verdict: null },
      北岭镇: { progress: "arrived", late: false, sheets: 0, verdict: null },
    });
  });

  it("a township never sees another township's task case, nor the county's task", async () => {
    const east = await s.context("east.routing");
    expect(await getCase(east, cases["west-hill"]!)).toBeNull();
    expect(await getCase(east, taskId)).toBeNull();
    const listed = (await listCases(east, { take: 500 })).rows.map((c) => c.id);
    expect(listed).toContain(cases["east-lake"]);
    expect(listed).not.toContain(cases["west-hill"]);
    // Row-level security, below CASL: East Lake's connection reads only its own case of the task.
    const raw = await east.db.transaction((tx) => tx.case.findMany({ where: { taskId }, select: { id: true } }));
    expect(raw.map((c) => c.id)).toEqual([cases["east-lake"]]);
    const west = await fire("east.routing", "east-lake", cases["west-hill"]!, "report", THU, { result: "越权反馈" });
    expect(west).toEqual({ ok: false, notFound: true });
    // Nor can a township member act for the county on its own case.
    expect(await actOnTownshipTask(s.db, east, taskId, cases["east-lake"]!, { kind: "accept" })).toMatchObject({
      ok: false,
    });
  });

  it("is tracked to completion, with the late township supervised and every feedback evaluated", async () => {
    expect(
      await fire("east.routing", "east-lake", cases["east-lake"]!, "distribute", MON, {
        leadUnitId: "village-qiaotou",
      }),
    ).toMatchObject({ ok: true, state: "distributed" });
    expect(
      await fire("west.routing", "west-hill", cases["west-hill"]!, "report", MON, { result: "已排查山塘3处，无隐患" }),
    ).toMatchObject({ ok: true, state: "feedback" });
    expect(await progress(MON)).toMatchObject({
      东湖镇: { progress: "distributed", late: false },
      西山乡: { progress: "fed-back", late: false },
      北岭镇: { progress: "arrived", late: false },
    });

    expect(
      await fire("east.routing", "east-lake", cases["east-lake"]!, "report", THU, { result: "已排查水库2座" }),
    ).toMatchObject({ ok: true, state: "feedback" });
    // Past the due date North Ridge has not fed back: late, and the county supervises it.
    expect((await progress(NEXT_MON)).北岭镇).toMatchObject({ progress: "arrived", late: true });
    expect(await county(cases["north-ridge"]!, { kind: "supervise" }, NEXT_MON)).toEqual({ ok: true });
    expect((await progress(NEXT_MON)).北岭镇).toMatchObject({ sheets: 1, late: true });
    const sheet = await s.db.supervisionSheet.findFirstOrThrow({ where: { caseId: cases["north-ridge"] } });
    expect(sheet.tenantId).toBe((await s.db.tenant.findUniqueOrThrow({ where: { code: "north-ridge" } })).id);

    expect(
      await fire("north.routing", "north-ridge", cases["north-ridge"]!, "report", NEXT_MON, { result: "补报：已排查" }),
    ).toMatchObject({ ok: true, state: "feedback" });

    // Evaluation: West Hill accepted, East Lake returned with a reason, then accepted after rework.
    expect(await county(cases["west-hill"]!, { kind: "accept" }, NEXT_MON)).toEqual({ ok: true });
    expect(await county(cases["east-lake"]!, { kind: "return", reason: "缺少水库巡查照片" }, NEXT_MON)).toEqual({
      ok: true,
    });
    expect((await s.db.case.findUniqueOrThrow({ where: { id: cases["east-lake"] } })).state).toBe("handling");
    expect(
      await fire("east.routing", "east-lake", cases["east-lake"]!, "report", NEXT_MON, { result: "已补充照片" }),
    ).toMatchObject({ ok: true, state: "feedback" });
    expect(await county(cases["east-lake"]!, { kind: "accept" }, NEXT_MON)).toEqual({ ok: true });
    expect(await county(cases["north-ridge"]!, { kind: "accept" }, NEXT_MON)).toEqual({ ok: true });

    // Late is judged on the first feedback: East Lake fed back on Thursday, in time.
    expect(await progress(NEXT_MON)).toEqual({
      东湖镇: { progress: "accepted", late: false, sheets: 0, verdict: "accepted" },
      西山乡: { progress: "accepted", late: false, sheets: 0, verdict: "accepted" },
      北岭镇: { progress: "accepted", late: true, sheets: 1, verdict: "accepted" },
    });
    // The facts the county's scoring can read, on the county's own task.
    const facts = await s.db.auditEvent.findMany({
      where: { caseId: taskId, type: { in: ["case.task-evaluated", "case.task-supervised"] } },
      orderBy: { seq: "asc" },
    });
    expect(
      facts.map((f) => [
        f.type,
        (f.data as { township: string }).township,
        (f.data as { verdict?: string }).verdict,
        (f.data as { late: boolean }).late,
      ]),
    ).toEqual([
      ["case.task-supervised", "北岭镇", undefined, true],
      ["case.task-evaluated", "西山乡", "accepted", false],
      ["case.task-evaluated", "东湖镇", "returned", false],
      ["case.task-evaluated", "东湖镇", "accepted", false],
      ["case.task-evaluated", "北岭镇", "accepted", true],
    ]);
    // East Lake's trail shows the county's return with its reason.
    const trail = await s.db.auditEvent.findMany({ where: { caseId: cases["east-lake"], type: "case.transition" } });
    expect(trail.map((e) => (e.data as { transitionId: string }).transitionId)).toEqual([
      "distribute",
      "report",
      "county-return",
      "report",
      "county-accept",
    ]);
  });
});
