// `npm run bench:sweep [-- --open 1000000 --due 1000]`: the supervision sweep over a large case
// table. On a fresh database in the local PostgreSQL (dropped afterwards): one case goes through
// the real path (report → triage → dispatch → accept, 5-working-day handling deadline), then
// `--open` copies of it are inserted with SQL generate_series — the same deadlines, assignment and
// data, `nextCheckAt` spread over the next 60 days, `--due` of them (counting the original) due at
// the sweep instant, when the 3-day reminder fires. It then
//  1. shows with EXPLAIN (ANALYZE, BUFFERS) that the sweep's due-selection query, exactly as Prisma
//     sends it, is an index range scan on "Case_nextCheckAt_idx";
//  2. times sweepDueCases passes (batch of 500) until nothing is due;
//  3. times the due selection with 0, 100, 1,000 and 10,000 due among the open cases, against a
//     forced sequential scan, to show the cost follows the due work, not the open cases.
// Figures: bench/README.md.
import { cpus, loadavg } from "node:os";
import { parseArgs } from "node:util";
import { PrismaPg } from "@prisma/adapter-pg";
import pg from "pg";
import { PrismaClient } from "#app/generated/prisma/client";
import { reportCase } from "#app/server/cases.server";
import { createPrisma, type Db } from "#app/server/db.server";
import { seedDemo } from "#app/server/seed.server";
import { sweepDueCases, transitionCase } from "#app/server/workflow.server";
import { createTestDatabase } from "#tests/setup/services";
import { memberContext } from "#tests/setup/drive-cases";

const { values } = parseArgs({
  options: { open: { type: "string", default: "1000000" }, due: { type: "string", default: "1000" } },
});
const OPEN = Number(values.open);
const DUE = Number(values.due);
const BATCH = 100_000;

// Monday 2026-03-02 09:00 in Shanghai; dispatched at T0+2h, the handling deadline is the end of
// Mon 9 Mar. The sweep runs 70 h before that: the 3-day reminder is due, nothing else.
const T0 = new Date("2026-03-02T01:00:00Z");
const at = (hours: number) => new Date(T0.getTime() + hours * 3600_000);
const HANDLE_DUE = new Date("2026-03-09T15:59:59.999Z");
const SWEEP_AT = new Date(HANDLE_DUE.getTime() - 70 * 3600_000);

const started = performance.now();
const elapsed = () => `${((performance.now() - started) / 1000).toFixed(0)} s`;
const ms = (v: number) => (v < 10 ? v.toFixed(2) : v.toFixed(0)) + " ms";
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

async function timeIt(fn: () => Promise<unknown>, runs = 15, warmup = 3) {
  for (let i = 0; i < warmup; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < runs; i++) {
    const t0 = performance.now();
    await fn();
    xs.push(performance.now() - t0);
  }
  return median(xs);
}

const database = await createTestDatabase();
if (database.kind !== "postgres") {
  await database.drop();
  throw new Error("bench:sweep needs PostgreSQL on 127.0.0.1:5432 (TEST_DATABASE_ADMIN_URL)");
}
const db: Db = createPrisma(database.url);
// A second client that reports the SQL it sends, to EXPLAIN exactly the sweep's query.
const logged = new PrismaClient({
  adapter: new PrismaPg({ connectionString: database.url, max: 1 }),
  log: [{ emit: "event", level: "query" }],
});
type LoggedQuery = { query: string; params: unknown[] };
let lastQuery: LoggedQuery | undefined;
logged.$on("query", (e) => (lastQuery = { query: e.query, params: JSON.parse(e.params) as unknown[] }));
const takeLastQuery = (): LoggedQuery | undefined => {
  const last = lastQuery;
  lastQuery = undefined;
  return last;
};
const sql = new pg.Client({ connectionString: database.url });
await sql.connect();

/** The sweep's due selection (workflow.server.ts sweepDueCases), through Prisma. */
const selectDue = (client: Db | typeof logged, take: number) =>
  client.case.findMany({
    where: { nextCheckAt: { lte: SWEEP_AT } },
    orderBy: { nextCheckAt: "asc" },
    take,
    select: { id: true },
  });

async function explain(take: number, { seqscan = false } = {}) {
  takeLastQuery();
  await selectDue(logged, take);
  const last = takeLastQuery();
  if (!last) throw new Error("Prisma did not report its query");
  const { query, params } = last;
  await sql.query("BEGIN");
  try {
    if (seqscan)
      await sql.query(
        "SET LOCAL enable_indexscan = off; SET LOCAL enable_bitmapscan = off; SET LOCAL enable_indexonlyscan = off",
      );
    const res = await sql.query<{ "QUERY PLAN": string }>(`EXPLAIN (ANALYZE, BUFFERS) ${query}`, params);
    const lines = res.rows.map((r) => r["QUERY PLAN"]);
    const execution = Number(/Execution Time: ([\d.]+)/.exec(lines.join("\n"))?.[1]);
    return { query, params, lines, execution };
  } finally {
    await sql.query("ROLLBACK");
  }
}

try {
  console.log(
    `cpus: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, node ${process.version}, load avg: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  await seedDemo(db, "tenants");
  const contextOf = (login: string) => memberContext(db, login);

  // The original: a real case through the real path.
  const reported = await reportCase(
    await contextOf("east.grid1"),
    {
      categoryId: "dispute",
      data: {
        summary: "邻里噪音纠纷",
        parties: 3,
        location: "桥头村5组",
        partyPhone: "13800001111",
        partyIdNumber: "33090219800101123X",
      },
    },
    T0,
  );
  if (!reported.ok) throw new Error("report refused");
  const caseId = reported.caseId;
  let version = 1;
  for (const [login, transitionId, input, hours] of [
    ["east.routing", "triage", { gradeId: "general" }, 1],
    [
      "east.routing",
      "dispatch",
      { leadUnitId: "platform-safety", assistUnitIds: ["village-qiaotou"], instructions: "请三日内调解" },
      2,
    ],
    ["east.safety", "accept", undefined, 3],
  ] as const) {
    const r = await transitionCase(
      db,
      await contextOf(login),
      caseId,
      { transitionId, input, expectedVersion: version },
      at(hours),
    );
    if (!r.ok) throw new Error(`${transitionId}: ${JSON.stringify(r)}`);
    version = r.version;
  }
  const original = await db.case.findUniqueOrThrow({ where: { id: caseId } });
  if (!original.nextCheckAt || original.nextCheckAt > SWEEP_AT)
    throw new Error(`the original is not due at ${SWEEP_AT.toISOString()}: ${original.nextCheckAt?.toISOString()}`);

  // The copies, in batches of 100,000 rows: DUE - 1 due just before the sweep, the rest later.
  console.log(`inserting ${OPEN.toLocaleString("en")} open cases (${DUE.toLocaleString("en")} due) …`);
  const insertStart = performance.now();
  await sql.query("SET synchronous_commit = off");
  for (let from = 1; from <= OPEN - 1; from += BATCH) {
    const to = Math.min(OPEN - 1, from + BATCH - 1);
    await sql.query(
      `INSERT INTO "Case" (id, "tenantId", number, "configVersion", "workflowId", "categoryId", "gradeId", "platformId", state, title, data,
         "reporterId", "orgUnitId", assignment, deadlines, "leadUnitId", "assistUnitIds", "dueAt", "nextCheckAt", version, "createdAt", "updatedAt")
       SELECT gen_random_uuid(), t."tenantId", 'B' || lpad(g::text, 7, '0'), t."configVersion", t."workflowId", t."categoryId", t."gradeId", t."platformId",
         t.state, t.title, t.data, t."reporterId", t."orgUnitId", t.assignment, t.deadlines, t."leadUnitId", t."assistUnitIds", t."dueAt",
         CASE WHEN g < $2 THEN $3::timestamp - make_interval(secs => g)
              ELSE $3::timestamp + interval '1 day' + make_interval(secs => (g::bigint * 7919) % (60 * 86400)) END,
         t.version, t."createdAt", now()
       FROM generate_series($4::int, $5::int) g, (SELECT * FROM "Case" WHERE id = $1::uuid) t`,
      [caseId, DUE, SWEEP_AT.toISOString().replace("Z", ""), from, to],
    );
    process.stdout.write(`  ${to.toLocaleString("en")} (${elapsed()})\r`);
  }
  const insertSeconds = (performance.now() - insertStart) / 1000;
  const vacuumStart = performance.now();
  await sql.query(`VACUUM (ANALYZE) "Case"`);
  const vacuumSeconds = (performance.now() - vacuumStart) / 1000;
  const size = (
    await sql.query<{ total: string; indexes: string }>(
      `SELECT pg_size_pretty(pg_total_relation_size('"Case"')) total, pg_size_pretty(pg_indexes_size('"Case"')) indexes`,
    )
  ).rows[0]!;
  const openCount = await db.case.count({ where: { closedAt: null } });
  const dueCount = await db.case.count({ where: { nextCheckAt: { lte: SWEEP_AT } } });
  console.log(
    `\n${openCount.toLocaleString("en")} open cases, ${dueCount} due at ${SWEEP_AT.toISOString()}; table + indexes ${size.total} (indexes ${size.indexes})`,
  );
  console.log(`insert ${insertSeconds.toFixed(0)} s, VACUUM ANALYZE ${vacuumSeconds.toFixed(0)} s\n`);

  // 1. The plan of the sweep's due selection, as Prisma sends it.
  const plan = await explain(500);
  console.log(
    `sweep due-selection query (Prisma): ${plan.query.replace(/\s+/g, " ")}\n  params: ${JSON.stringify(plan.params)}`,
  );
  console.log(plan.lines.map((l) => "  " + l).join("\n"));
  // Either a plain index scan in nextCheckAt order, or (when the planner expects more rows) a bitmap
  // index scan plus a sort of the due rows: both read only the index range nextCheckAt <= now.
  const indexScan = plan.lines.find((l) => /(Index Scan using|Bitmap Index Scan on) "?Case_nextCheckAt_idx"?/.test(l));
  if (
    !indexScan ||
    !plan.lines.some((l) => /Index Cond: \("nextCheckAt" <=/.test(l)) ||
    plan.lines.some((l) => /Seq Scan/.test(l))
  ) {
    throw new Error("the due selection does not use an index range scan on Case_nextCheckAt_idx");
  }
  console.log(
    `  → index range scan (${/(Index Scan|Bitmap Index Scan)/.exec(indexScan)![1]}) on Case_nextCheckAt_idx, Index Cond on nextCheckAt; no sequential scan\n`,
  );

  // 2. The sweep itself, in its production batches of 500, until nothing is due.
  const auditBefore = await db.auditEvent.count();
  const outboxBefore = await db.outboxJob.count();
  const passes: Array<{ due: number; written: number; ms: number }> = [];
  for (;;) {
    const due = await db.case.count({ where: { nextCheckAt: { lte: SWEEP_AT } } });
    const t0 = performance.now();
    const written = await sweepDueCases(db, SWEEP_AT);
    passes.push({ due, written, ms: performance.now() - t0 });
    if (due === 0 || passes.length > 10) break;
  }
  console.log("sweepDueCases passes (batch 500):");
  for (const [i, p] of passes.entries()) {
    console.log(
      `  pass ${i + 1}: ${String(p.due).padStart(5)} due → ${String(p.written).padStart(4)} cases written in ${ms(p.ms).padStart(9)}${p.written ? `  (${(p.ms / Math.min(p.due, 500)).toFixed(1)} ms per case)` : ""}`,
    );
  }
  const sweepTotal = passes.reduce((n, p) => n + p.ms, 0);
  const reminders = await db.outboxJob.count({ where: { payload: { path: ["kind"], equals: "deadline.reminder" } } });
  console.log(
    `  total ${ms(sweepTotal)}; ${(await db.auditEvent.count()) - auditBefore} audit entries and ${(await db.outboxJob.count()) - outboxBefore} outbox jobs written (${reminders} reminders)\n`,
  );

  // 3. The due selection with 0 / 100 / 1,000 / 10,000 due among the open cases.
  console.log(
    `due selection among ${openCount.toLocaleString("en")} open cases (median of 15, Prisma round trip; EXPLAIN ANALYZE execution):`,
  );
  console.log("      due   all due: Prisma   EXPLAIN   batch of 500: Prisma   EXPLAIN   plan and buffers (all due)");
  let seq: Awaited<ReturnType<typeof explain>> | undefined;
  // Only as many as there are not-yet-due copies (numbers DUE … OPEN-1) can be made due.
  const steps = [0, 100, 1000, 10_000].filter((k) => k <= OPEN - DUE);
  const skipped = [0, 100, 1000, 10_000].filter((k) => k > OPEN - DUE);
  if (skipped.length)
    console.log(
      `  (${skipped.join(", ")} due skipped: only ${(OPEN - DUE).toLocaleString("en")} copies are not due yet; raise --open)`,
    );
  for (const k of steps) {
    // Make exactly k of the not-yet-due copies due, then put them back.
    const first = DUE;
    const range = ["B" + String(first).padStart(7, "0"), "B" + String(first + k - 1).padStart(7, "0")];
    if (k)
      await sql.query(
        `UPDATE "Case" SET "nextCheckAt" = $1::timestamp - interval '1 minute' WHERE "tenantId" = $2::uuid AND number BETWEEN $3 AND $4`,
        [SWEEP_AT.toISOString().replace("Z", ""), original.tenantId, ...range],
      );
    await sql.query(`ANALYZE "Case"`);
    const due = await db.case.count({ where: { nextCheckAt: { lte: SWEEP_AT } } });
    if (due !== k) throw new Error(`expected ${k} due, found ${due}`);
    const all = await timeIt(() => selectDue(db, Math.max(k, 1)));
    const batch = await timeIt(() => selectDue(db, 500));
    const eAll = await explain(Math.max(k, 1));
    const eBatch = await explain(500);
    const buffers = eAll.lines.find((l) => l.includes("Buffers:"))?.trim() ?? "";
    const scan = eAll.lines
      .map(
        (l) =>
          /(Index Scan|Index Only Scan|Bitmap Index Scan|Bitmap Heap Scan|Seq Scan)( (?:using|on) "?\w+"?)?/.exec(
            l,
          )?.[0],
      )
      .filter(Boolean)
      .join(" ← ");
    console.log(
      `  ${String(k).padStart(7)}   ${ms(all).padStart(14)}   ${ms(eAll.execution).padStart(7)}   ${ms(batch).padStart(19)}   ${ms(eBatch.execution).padStart(7)}   ${scan}; ${buffers}`,
    );
    if (k === 1000) seq = await explain(k, { seqscan: true });
    if (k)
      await sql.query(
        `UPDATE "Case" SET "nextCheckAt" = $1::timestamp + interval '30 days' WHERE "tenantId" = $2::uuid AND number BETWEEN $3 AND $4`,
        [SWEEP_AT.toISOString().replace("Z", ""), original.tenantId, ...range],
      );
  }
  if (seq) {
    console.log(
      `\n  without the index (enable_indexscan/bitmapscan off), 1,000 due: ${ms(seq.execution)} — ${seq.lines.find((l) => /Seq Scan/.test(l))?.trim()}`,
    );
  }
  console.log(`\ndone in ${elapsed()}`);
} finally {
  await sql.end().catch(() => {});
  await logged.$disconnect();
  await db.$disconnect();
  await database.drop();
}
