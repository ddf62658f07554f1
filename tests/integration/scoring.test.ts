// A month of cases (March 2026) in East Lake on real PostgreSQL, driven by a simulated clock
// through the real paths (reportCase, transitionCase, sweepDueCases, the outbox "score" jobs);
// then rankings, grid colours, the review's figures, a recompute (same totals, idempotent,
// audited, permissioned) and an upheld appeal that reverses a deduction.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "#app/server/audit.server";
import { reportCase } from "#app/server/cases.server";
import { runOutboxJob } from "#app/server/jobs.server";
import {
  canRecompute,
  countyReportFor,
  fileAppeal,
  periodReportFor,
  recomputePeriod,
  scoreCase,
} from "#app/server/scoring.server";
import { sweepDueCases, transitionCase } from "#app/server/workflow.server";
import { seededDatabase, teardown, validDispute, type Seeded } from "./helpers";

let s: Seeded;
let tenantId = "";
// Monday 2026-03-02 09:00 in Shanghai.
const T0 = new Date("2026-03-02T01:00:00Z");
/** Shanghai local "MM-DD HH:mm" in March 2026 → instant. */
const at = (local: string) => new Date(`2026-${local.replace(" ", "T")}:00+08:00`);
const cases: Record<string, string> = {};

beforeAll(async () => {
  s = await seededDatabase();
  tenantId = (await s.db.tenant.findUniqueOrThrow({ where: { code: "east-lake" } })).id;
  // The seed has no inspection post holder: add one (appeals are decided by inspection).
  const user = await s.db.user.create({ data: { login: "east.inspector", passwordHash: "x", displayName: "督查员" } });
  await s.db.membership.create({ data: { tenantId, userId: user.id, posts: ["inspection"], unitId: "command-room" } });
});
afterAll(() => teardown(s));

async function report(name: string, login: string, when: Date) {
  const r = await reportCase(await s.context(login), { categoryId: "dispute", data: validDispute }, when);
  if (!r.ok) throw new Error(JSON.stringify(r));
  cases[name] = r.caseId;
}

const fire = (name: string, login: string, transitionId: string, input: unknown, when: Date) =>
  s.fire(cases[name]!, login, transitionId, input, when);

async function runJobs() {
  let n = 0;
  for (const job of await s.db.outboxJob.findMany({ where: { status: "pending" }, orderBy: { createdAt: "asc" } }))
    if ((await runOutboxJob(s.db, job.id)) === "done") n++;
  return n;
}

const ruleLines = () => s.db.scoreEntry.findMany({ where: { tenantId, origin: "rule" }, orderBy: { id: "asc" } });
const ranking = async (group: "platform" | "village" | "grid") =>
  ((await periodReportFor(s.db, tenantId, "2026-03")).report.rankings[group] ?? []).map(
    (r) => `${r.rank} ${r.target.id} ${r.score}`,
  );

describe("a month of cases scored from the audit trail", () => {
  it("runs five kinds of case through the loop", async () => {
    // A: on time, satisfied.
    await report("A", "east.grid1", T0);
    await fire("A", "east.routing", "triage", { gradeId: "general" }, at("03-02 10:00"));
    await fire("A", "east.routing", "dispatch", { leadUnitId: "platform-safety" }, at("03-02 11:00"));
    await fire("A", "east.safety", "accept", undefined, at("03-02 12:00"));
    await fire("A", "east.safety", "report-back", { result: "已调解" }, at("03-04 10:00"));
    await fire("A", "east.routing", "review", { opinion: "同意" }, at("03-04 15:00"));
    await fire("A", "east.routing", "close", { satisfaction: "satisfied", method: "phone" }, at("03-05 10:00"));

    // B: overdue (the ladder's supervision sheet), reported back two days late, unsatisfied.
    await report("B", "east.grid1", at("03-02 09:30"));
    await fire("B", "east.routing", "triage", { gradeId: "general" }, at("03-02 10:00"));
    await fire("B", "east.routing", "dispatch", { leadUnitId: "platform-safety" }, at("03-02 11:00"));
    await fire("B", "east.safety", "accept", undefined, at("03-02 12:00"));
    await sweepDueCases(s.db, at("03-10 10:00")); // due end of Mon 9 Mar
    await sweepDueCases(s.db, at("03-10 10:00"));
    await fire("B", "east.safety", "report-back", { result: "已处理" }, at("03-11 10:00"));
    await fire("B", "east.routing", "review", { opinion: "同意" }, at("03-11 15:00"));
    await fire("B", "east.routing", "close", { satisfaction: "unsatisfied", method: "visit" }, at("03-12 10:00"));

    // C: from Shanxia's grid; returned once by the safety platform, then on time, satisfied.
    await report("C", "east.grid3", at("03-03 09:00"));
    await fire("C", "east.routing", "triage", { gradeId: "general" }, at("03-03 10:00"));
    await fire("C", "east.routing", "dispatch", { leadUnitId: "platform-safety" }, at("03-03 11:00"));
    await fire("C", "east.safety", "return", { reason: "请补充地址" }, at("03-03 12:00"));
    await fire("C", "east.routing", "dispatch", { leadUnitId: "platform-safety" }, at("03-03 14:00"));
    await fire("C", "east.safety", "accept", undefined, at("03-03 15:00"));
    await fire("C", "east.safety", "report-back", { result: "已解决" }, at("03-05 10:00"));
    await fire("C", "east.routing", "review", { opinion: "同意" }, at("03-05 15:00"));
    await fire("C", "east.routing", "close", { satisfaction: "satisfied" }, at("03-06 10:00"));

    // D: handled by Qiaotou's station, sent back for rework once, then on time; unsatisfied.
    await report("D", "east.grid1", at("03-09 09:00"));
    await fire("D", "east.routing", "triage", { gradeId: "general" }, at("03-09 10:00"));
    await fire("D", "east.routing", "dispatch", { leadUnitId: "village-qiaotou" }, at("03-09 11:00"));
    await fire("D", "east.village", "accept", undefined, at("03-09 12:00"));
    await fire("D", "east.village", "report-back", { result: "初步处理" }, at("03-10 10:00"));
    await fire("D", "east.routing", "redo", { reason: "未附照片" }, at("03-10 15:00"));
    await fire("D", "east.village", "report-back", { result: "已处理并附照片" }, at("03-11 10:00"));
    await fire("D", "east.routing", "review", { opinion: "同意" }, at("03-11 15:00"));
    await fire("D", "east.routing", "close", { satisfaction: "unsatisfied" }, at("03-12 10:00"));

    // E: reported at the end of the month, still open.
    await report("E", "east.grid1", at("03-30 09:00"));

    expect(await s.db.outboxJob.count({ where: { kind: "score", status: "pending" } })).toBeGreaterThan(20);
    await runJobs();
    expect(await s.db.outboxJob.count({ where: { kind: "score", status: { not: "done" } } })).toBe(0);
  });

  it("every rule line names its case, event, fact and config version", async () => {
    const lines = await ruleLines();
    const summary = lines
      .map((l) => `${Object.keys(cases).find((k) => cases[k] === l.caseId)} ${l.rule} ${l.targetId} ${l.points}`)
      .sort();
    expect(summary).toEqual(
      [
        "A grid-reported grid-qiaotou-1 0.5",
        "A closed-on-time platform-safety 1",
        "A satisfied platform-safety 1",
        "B grid-reported grid-qiaotou-1 0.5",
        "B supervision-sheet platform-safety -2",
        "B closed-late platform-safety -2",
        "B platform-late platform-safety -1",
        "B dissatisfied platform-safety -3",
        "B grid-dissatisfied grid-qiaotou-1 -2",
        "C grid-reported grid-shanxia-1 0.5",
        "C returned platform-safety -1",
        "C closed-on-time platform-safety 1",
        "C satisfied platform-safety 1",
        "D grid-reported grid-qiaotou-1 0.5",
        "D rework village-qiaotou -1",
        "D closed-on-time village-qiaotou 1",
        "D dissatisfied village-qiaotou -3",
        "D grid-dissatisfied grid-qiaotou-1 -2",
        "E grid-reported grid-qiaotou-1 0.5",
      ].sort(),
    );
    for (const l of lines) {
      expect(l.eventSeq).toBeGreaterThan(0);
      expect(l.fact).toBeTruthy();
      expect(l.configVersion).toBe(1);
      expect(l.dedupeKey).toBe(
        `score:${tenantId}:${l.rule}:${l.dedupeKey.split(":")[3]}:${l.targetKind}:${l.targetId}`,
      );
    }
    // One scoring path: nothing but the rules writes points, so every line names its rule and fact.
    expect(
      await s.db.scoreEntry.count({ where: { tenantId, OR: [{ origin: { not: "rule" } }, { fact: null }] } }),
    ).toBe(0);
  });

  it("running the score jobs again adds nothing", async () => {
    const before = await s.db.scoreEntry.count();
    for (const id of Object.values(cases)) expect(await scoreCase(s.db, id)).toBe(0);
    expect(await s.db.scoreEntry.count()).toBe(before);
  });

  it("ranks platforms, villages and grids, and colours the grids", async () => {
    expect(await ranking("village")).toEqual(["1 village-shanxia 1000", "2 village-qiaotou 997"]);
    expect(await ranking("platform")).toEqual([
      "1 platform-economy 1000",
      "1 platform-party 1000",
      "1 platform-service 1000",
      "4 platform-safety 995",
    ]);
    expect(await ranking("grid")).toEqual(["1 grid-shanxia-1 1000.5", "2 grid-qiaotou-2 1000", "3 grid-qiaotou-1 998"]);
    const { report } = await periodReportFor(s.db, tenantId, "2026-03");
    expect(report.ratings.grid!.map((r) => `${r.target.id} ${r.level}`)).toEqual([
      "grid-shanxia-1 green",
      "grid-qiaotou-2 green",
      "grid-qiaotou-1 yellow",
    ]);
  });

  it("the review's figures, overall and per platform and village", async () => {
    const { report, byPlatform, byVillage } = await periodReportFor(s.db, tenantId, "2026-03");
    expect(report.figures).toMatchObject({
      reported: 5,
      closedOnTime: 3,
      closedLate: 1,
      onTimeRate: 0.75,
      overdue: 1,
      returned: 1,
      sheets: 1,
      talks: 0,
      revisits: 4,
      satisfied: 2,
      dissatisfied: 2,
      satisfactionRate: 0.5,
    });
    expect(Object.keys(byPlatform)).toEqual(["platform-safety"]);
    expect(byVillage["village-qiaotou"]).toMatchObject({
      reported: 4,
      closedOnTime: 2,
      closedLate: 1,
      dissatisfied: 2,
    });
    expect(byVillage["village-shanxia"]).toMatchObject({ reported: 1, closedOnTime: 1, returned: 1, satisfied: 1 });
    // Another month is empty: every target at the base.
    const april = await periodReportFor(s.db, tenantId, "2026-04");
    expect(april.report.figures.reported).toBe(0);
    expect(april.report.rankings.grid!.every((r) => r.score === 1000)).toBe(true);
  });

  it("the county sees East Lake beside West Hill", async () => {
    const county = await s.db.tenant.findUniqueOrThrow({ where: { code: "demo-county" } });
    const r = await countyReportFor(s.db, county.id, "2026-03");
    expect(r.townships.map((t) => [r.names[t.tenantId]?.code, t.figures.reported, t.levels.grid])).toEqual([
      ["east-lake", 5, { green: 2, yellow: 1 }],
      ["west-hill", 0, expect.anything()],
    ]);
  });

  it("a recompute is for leadership only, gives the same totals, appends nothing twice, and is audited", async () => {
    const routing = await s.context("east.routing");
    expect(canRecompute(routing)).toBe(false);
    await expect(recomputePeriod(s.db, routing, "2026-03", at("03-31 18:00"))).rejects.toMatchObject({ status: 403 });
    const inspector = await s.context("east.inspector");
    expect(canRecompute(inspector)).toBe(false);

    const director = await s.context("east.director");
    expect(canRecompute(director)).toBe(true);
    const before = await periodReportFor(s.db, tenantId, "2026-03");
    const first = await recomputePeriod(s.db, director, "2026-03", at("03-31 18:00"));
    expect(first).toMatchObject({ period: "2026-03", lines: 19, corrections: 0, points: 0 });
    const second = await recomputePeriod(s.db, director, "2026-03", at("03-31 18:05"));
    expect(second.corrections).toBe(0);
    expect((await periodReportFor(s.db, tenantId, "2026-03")).report.rankings).toEqual(before.report.rankings);
    const audits = await s.db.auditEvent.findMany({ where: { tenantId, type: "scoring.recomputed" } });
    expect(audits.map((a) => (a.data as { period: string }).period)).toEqual(["2026-03", "2026-03"]);
    await expect(recomputePeriod(s.db, director, "2026-13", new Date())).rejects.toMatchObject({ status: 404 });
  });

  it("an upheld appeal reverses the deduction in the month it is decided", async () => {
    const sheet = (await ruleLines()).find((l) => l.rule === "supervision-sheet")!;
    // Only the unit the deduction names may appeal, and only a deduction.
    const notYours = await fileAppeal(
      s.db,
      await s.context("east.village"),
      sheet.dedupeKey,
      { reason: "督办单发放有误" },
      at("03-16 09:00"),
    );
    expect(notYours).toMatchObject({ ok: false, refusal: { kind: "not-allowed" } });
    const bonus = (await ruleLines()).find((l) => l.points > 0 && l.targetId === "platform-safety")!;
    expect(
      await fileAppeal(
        s.db,
        await s.context("east.safety"),
        bonus.dedupeKey,
        { reason: "不应加分吗" },
        at("03-16 09:00"),
      ),
    ).toMatchObject({ ok: false, refusal: { issues: [{ code: "appeal.not-a-deduction" }] } });

    const filed = await fileAppeal(
      s.db,
      await s.context("east.safety"),
      sheet.dedupeKey,
      { reason: "超期系因上级延误批复" },
      at("03-16 09:00"),
    );
    if (!filed.ok) throw new Error(JSON.stringify(filed));
    cases.appeal = filed.caseId;
    expect(
      await fileAppeal(
        s.db,
        await s.context("east.safety"),
        sheet.dedupeKey,
        { reason: "再次申诉一下" },
        at("03-16 10:00"),
      ),
    ).toMatchObject({ ok: false, refusal: { issues: [{ code: "appeal.duplicate" }] } });

    // Routing may not decide it; inspection upholds it through the ordinary transition.
    const row = await s.db.case.findUniqueOrThrow({ where: { id: filed.caseId } });
    expect(row.workflowId).toBe("score-appeal");
    expect(
      await transitionCase(
        s.db,
        await s.context("east.routing"),
        filed.caseId,
        { transitionId: "uphold", input: { reason: "成立" }, expectedVersion: row.version },
        at("03-18 10:00"),
      ),
    ).toMatchObject({ ok: false });
    await fire("appeal", "east.inspector", "uphold", { reason: "经核实，延误在乡镇审批环节" }, at("03-18 10:00"));
    await runJobs();

    const reversal = await s.db.scoreEntry.findUniqueOrThrow({ where: { dedupeKey: `${sheet.dedupeKey}:reversed` } });
    expect(reversal).toMatchObject({
      points: 2,
      targetId: "platform-safety",
      reverses: sheet.dedupeKey,
      caseId: filed.caseId,
      fact: "appeal.upheld",
    });
    expect(reversal.at.toISOString()).toBe(at("03-18 10:00").toISOString());
    expect(await ranking("platform")).toContain("4 platform-safety 997");
    const { report } = await periodReportFor(s.db, tenantId, "2026-03");
    expect(report.figures.appealsUpheld).toBe(1);

    // The recompute sees the appeal too: still nothing to correct.
    expect(
      (await recomputePeriod(s.db, await s.context("east.director"), "2026-03", at("03-31 19:00"))).corrections,
    ).toBe(0);
    expect(await verifyAuditChain(s.db, tenantId)).toMatchObject({ ok: true });
  });
});
