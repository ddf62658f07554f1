// `npm run bench:scoring [-- --townships 20 --cases 100000]`: recompute one month (March 2026) for
// a county of `--townships` townships holding `--cases` cases between them, on the server path
// (recomputeTenantPeriod: load the period's trails from PostgreSQL, factsFromTrail, evaluateScores
// with recompute, ledgerCorrections, append, audit).
//
// Data: on a fresh database in the local PostgreSQL (dropped afterwards), four cases go through the
// real path in East Lake (report → triage → dispatch → … → close, a simulated clock, the sweep for
// the overdue one): on time + satisfied; late with the ladder's supervision sheet + unsatisfied;
// returned once then on time; sent back for rework. The townships are copies of East Lake (its
// config version as version 1), and their cases are SQL copies of those four trails
// (generate_series): the same Case columns and AuditEvent rows, with new ids and per-tenant seqs.
// The copies' audit rows carry no valid hash chain (the chain is not what is measured).
//
// It then times, per township and in total: the first recompute (empty ledger: every line is
// appended as a correction — the worst case) and a second one (nothing to append), and prints
// time, the lines appended, and the process's peak RSS / heap. Figures: bench/README.md.
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import pg from "pg";
import { reportCase } from "#app/server/cases.server";
import { createPrisma, type Db } from "#app/server/db.server";
import { runOutboxJob } from "#app/server/jobs.server";
import { recomputeTenantPeriod } from "#app/server/scoring.server";
import { seedDemo } from "#app/server/seed.server";
import { sweepDueCases } from "#app/server/workflow.server";
import { periodFromKey } from "#engine/scoring/index";
import { DEFAULT_TIME_ZONE } from "#schemas/township-config";
import { createTestDatabase } from "#tests/setup/services";
import { fireAs, memberContext } from "#tests/setup/drive-cases";

const { values } = parseArgs({
  options: { townships: { type: "string", default: "20" }, cases: { type: "string", default: "100000" } },
});
const TOWNSHIPS = Number(values.townships);
const CASES = Number(values.cases);
const TEMPLATES = 4;
const PER_TEMPLATE = Math.ceil(CASES / TOWNSHIPS / TEMPLATES);
const march = periodFromKey(DEFAULT_TIME_ZONE, "2026-03")!;
const at = (local: string) => new Date(`2026-${local.replace(" ", "T")}:00+08:00`);

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
let peakRss = 0;
let peakHeap = 0;
const sample = () => {
  const m = process.memoryUsage();
  peakRss = Math.max(peakRss, m.rss);
  peakHeap = Math.max(peakHeap, m.heapUsed);
};
const timer = setInterval(sample, 50);
const mb = (b: number) => `${Math.round(b / 1048576)} MiB`;

const database = await createTestDatabase();
if (database.kind !== "postgres") {
  await database.drop();
  throw new Error("bench:scoring needs PostgreSQL on 127.0.0.1:5432 (TEST_DATABASE_ADMIN_URL)");
}
const db: Db = createPrisma(database.url);
const sql = new pg.Client({ connectionString: database.url });
await sql.connect();
try {
  await seedDemo(db, "tenants");
  const east = await db.tenant.findUniqueOrThrow({ where: { code: "east-lake" } });
  const ctx = (login: string) => memberContext(db, login);
  const templates: string[] = [];
  const open = async (login: string, when: Date) => {
    const r = await reportCase(
      await ctx(login),
      { categoryId: "dispute", data: { summary: "邻里噪音纠纷", parties: 3, location: "桥头村5组" } },
      when,
    );
    if (!r.ok) throw new Error(JSON.stringify(r));
    templates.push(r.caseId);
    return r.caseId;
  };
  const fire = async (id: string, login: string, transitionId: string, input: unknown, when: Date) =>
    fireAs(db, await ctx(login), id, transitionId, input, when);
  const loop = async (id: string, lead: string, day: string) => {
    await fire(id, "east.routing", "triage", { gradeId: "general" }, at(`${day} 10:00`));
    await fire(id, "east.routing", "dispatch", { leadUnitId: lead }, at(`${day} 11:00`));
  };
  const a = await open("east.grid1", at("03-02 09:00"));
  await loop(a, "platform-safety", "03-02");
  await fire(a, "east.safety", "accept", undefined, at("03-02 12:00"));
  await fire(a, "east.safety", "report-back", { result: "已调解" }, at("03-04 10:00"));
  await fire(a, "east.routing", "review", {}, at("03-04 15:00"));
  await fire(a, "east.routing", "close", { satisfaction: "satisfied" }, at("03-05 10:00"));
  const b = await open("east.grid1", at("03-02 09:30"));
  await loop(b, "platform-safety", "03-02");
  await fire(b, "east.safety", "accept", undefined, at("03-02 12:00"));
  await sweepDueCases(db, at("03-10 10:00"));
  await fire(b, "east.safety", "report-back", { result: "已处理" }, at("03-11 10:00"));
  await fire(b, "east.routing", "review", {}, at("03-11 15:00"));
  await fire(b, "east.routing", "close", { satisfaction: "unsatisfied" }, at("03-12 10:00"));
  const c = await open("east.grid3", at("03-03 09:00"));
  await loop(c, "platform-safety", "03-03");
  await fire(c, "east.safety", "return", { reason: "请补充地址" }, at("03-03 12:00"));
  await fire(c, "east.routing", "dispatch", { leadUnitId: "platform-safety" }, at("03-03 14:00"));
  await fire(c, "east.safety", "accept", undefined, at("03-03 15:00"));
  await fire(c, "east.safety", "report-back", { result: "已解决" }, at("03-05 10:00"));
  await fire(c, "east.routing", "review", {}, at("03-05 15:00"));
  await fire(c, "east.routing", "close", { satisfaction: "satisfied" }, at("03-06 10:00"));
  const d = await open("east.grid1", at("03-09 09:00"));
  await loop(d, "village-qiaotou", "03-09");
  await fire(d, "east.village", "accept", undefined, at("03-09 12:00"));
  await fire(d, "east.village", "report-back", { result: "初步处理" }, at("03-10 10:00"));
  await fire(d, "east.routing", "redo", { reason: "未附照片" }, at("03-10 15:00"));
  await fire(d, "east.village", "report-back", { result: "已处理" }, at("03-11 10:00"));
  await fire(d, "east.routing", "review", {}, at("03-11 15:00"));
  await fire(d, "east.routing", "close", { satisfaction: "basically-satisfied" }, at("03-12 10:00"));
  for (const job of await db.outboxJob.findMany({ where: { status: "pending" } })) await runOutboxJob(db, job.id);
  const templateEvents = await db.auditEvent.count({ where: { caseId: { in: templates } } });
  console.log(`[${elapsed()}] 4 template trails through the real path (${templateEvents} audit events)`);

  // The county's townships: copies of East Lake with its config as version 1.
  const county = east.parentId!;
  const doc = await db.configVersion.findFirstOrThrow({ where: { tenantId: east.id }, orderBy: { version: "desc" } });
  const tenantIds: string[] = [];
  for (let i = 0; i < TOWNSHIPS; i++) {
    const t = await db.tenant.create({
      data: { code: `bench-${i}`, kind: "township", name: `测试镇${i}`, parentId: county },
    });
    await db.configVersion.create({
      data: {
        tenantId: t.id,
        version: 1,
        document: doc.document as object,
        source: doc.source as object,
        publishedAt: doc.publishedAt,
      },
    });
    tenantIds.push(t.id);
  }
  await sql.query(
    `CREATE TEMP TABLE copies AS
    SELECT gen_random_uuid() AS id, t.id AS tenant_id, c.template_id, c.k, g AS n
    FROM unnest($1::uuid[]) AS t(id)
    CROSS JOIN unnest($2::uuid[]) WITH ORDINALITY AS c(template_id, k)
    CROSS JOIN generate_series(1, $3::int) AS g`,
    [tenantIds, templates, PER_TEMPLATE],
  );
  await sql.query(`INSERT INTO "Case" (id, "tenantId", number, "configVersion", "workflowId", "categoryId", "gradeId", "platformId", state, title, data, "reporterId", "orgUnitId",
      assignment, deadlines, "leadUnitId", "assistUnitIds", "closedAt", version, "createdAt", "updatedAt")
    SELECT k.id, k.tenant_id, 'B' || k.k || '-' || k.n, 1, c."workflowId", c."categoryId", c."gradeId", c."platformId", c.state, c.title, c.data, c."reporterId", c."orgUnitId",
      c.assignment, c.deadlines, c."leadUnitId", c."assistUnitIds", c."closedAt", c.version, c."createdAt", c."updatedAt"
    FROM copies k JOIN "Case" c ON c.id = k.template_id`);
  await sql.query(`INSERT INTO "AuditEvent" ("tenantId", "caseId", "actorId", type, data, at, seq, "prevHash", hash)
    SELECT k.tenant_id, k.id, e."actorId", e.type, e.data, e.at,
      row_number() OVER (PARTITION BY k.tenant_id ORDER BY e.at, k.n, k.k, e.seq), 'bench', 'bench'
    FROM copies k JOIN "AuditEvent" e ON e."caseId" = k.template_id`);
  await sql.query(`ANALYZE "Case"; ANALYZE "AuditEvent"`);
  const { rows } = await sql.query<{ cases: string; events: string }>(
    `SELECT (SELECT count(*) FROM copies) AS cases, (SELECT count(*) FROM "AuditEvent" WHERE "tenantId" = ANY($1::uuid[])) AS events`,
    [tenantIds],
  );
  console.log(`[${elapsed()}] ${TOWNSHIPS} townships, ${rows[0]!.cases} cases, ${rows[0]!.events} audit events`);

  const pass = async (label: string) => {
    peakRss = 0;
    peakHeap = 0;
    const times: number[] = [];
    let appended = 0;
    let lines = 0;
    const t0 = performance.now();
    for (const id of tenantIds) {
      const t1 = performance.now();
      const r = await recomputeTenantPeriod(db, id, march, { actorId: null, now: new Date() });
      times.push(performance.now() - t1);
      appended += r.corrections;
      lines += r.lines;
    }
    const total = performance.now() - t0;
    sample();
    const sorted = [...times].sort((x, y) => x - y);
    console.log(
      `${label}: ${(total / 1000).toFixed(1)} s for the county (${lines} rule lines, ${appended} appended); per township median ${Math.round(sorted[Math.floor(sorted.length / 2)]!)} ms, max ${Math.round(sorted[sorted.length - 1]!)} ms; peak RSS ${mb(peakRss)}, peak heap ${mb(peakHeap)}`,
    );
  };
  await pass("recompute #1 (empty ledger: appends every line)");
  await pass("recompute #2 (ledger up to date: appends nothing)");
  console.log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, Node ${process.version}, load ${loadavg()
      .map((l) => l.toFixed(1))
      .join(" ")}`,
  );
} finally {
  clearInterval(timer);
  await sql.end();
  await db.$disconnect();
  await database.drop();
}
