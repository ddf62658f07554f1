// `npm run bench:transitions [-- --cases 1000 --clients 8,32 --townships 1,8 --pool N]`: workflow
// transitions per second through transitionCase, called in this process — the server layer only:
// no HTTP, session, CSRF check or route, contexts loaded once, and no job runner (outbox rows are
// written, never run). `npm run bench:http` measures the click path. What it does run: the
// permission-filtered load under
// row-level security, decide, optimistic write, effects (outbox, scores), the tenant's hash-chained
// audit append — with 8 and 32 concurrent clients, on one township and on several. Each client
// loops over its own cases: triage → dispatch → accept → report-back → review → close → archive.
// Runs on a fresh database in the local PostgreSQL (dropped afterwards). Figures: bench/README.md.
import { cpus, loadavg } from "node:os";
import { readFileSync } from "node:fs";
import { parseArgs } from "node:util";
import pg from "pg";
import { verifyAuditChain } from "#app/server/audit.server";
import { reportCase } from "#app/server/cases.server";
import { createPrisma, type Db } from "#app/server/db.server";
import { seedDemo } from "#app/server/seed.server";
import type { TenantContext } from "#app/server/tenancy.server";
import { transitionCase } from "#app/server/workflow.server";
import { createTestDatabase } from "#tests/setup/services";
import { processCpuMs } from "#tests/setup/proc";
import { memberContext, validDispute as dispute } from "#tests/setup/drive-cases";

const { values } = parseArgs({
  options: {
    cases: { type: "string", default: "1000" },
    clients: { type: "string", default: "8,32" },
    townships: { type: "string", default: "1,8" },
    pool: { type: "string" },
  },
});
const casesPerRun = Number(values.cases);
const clientCounts = values.clients.split(",").map(Number);
const townshipCounts = values.townships.split(",").map(Number);
const maxTownships = Math.max(...townshipCounts);

const STEPS: Array<{ login: string; transitionId: string; input?: unknown }> = [
  { login: "east.routing", transitionId: "triage", input: { gradeId: "general" } },
  {
    login: "east.routing",
    transitionId: "dispatch",
    input: { leadUnitId: "platform-safety", instructions: "请三日内调解" },
  },
  { login: "east.safety", transitionId: "accept" },
  {
    login: "east.safety",
    transitionId: "report-back",
    input: { result: "已调解，双方签订协议", measures: "上门调解两次" },
  },
  { login: "east.routing", transitionId: "review", input: { opinion: "同意" } },
  { login: "east.grid1", transitionId: "close", input: { satisfaction: "satisfied", method: "phone" } },
  { login: "east.routing", transitionId: "archive" },
];
const LOGINS = ["east.routing", "east.safety", "east.grid1"];

/** Busy share of all CPUs since the last call, from /proc/stat (Linux). */
function cpuMeter() {
  const read = () => {
    try {
      const f = readFileSync("/proc/stat", "utf8").split("\n")[0]!.trim().split(/\s+/).slice(1).map(Number);
      const idle = f[3]! + (f[4] ?? 0);
      return { idle, total: f.reduce((a, b) => a + b, 0) };
    } catch {
      return null;
    }
  };
  const start = read();
  const node = process.cpuUsage();
  return () => {
    const end = read();
    const n = process.cpuUsage(node);
    return {
      machineBusy: start && end ? 1 - (end.idle - start.idle) / (end.total - start.total) : NaN,
      nodeCpuMs: (n.user + n.system) / 1000,
    };
  };
}

const pct = (sorted: number[], q: number) =>
  sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))] ?? NaN;

/** East Lake plus clones of its published config under other codes, each with the same demo members. */
async function addTownships(db: Db, count: number) {
  const east = await db.tenant.findUniqueOrThrow({ where: { code: "east-lake" } });
  const config = await db.configVersion.findFirstOrThrow({
    where: { tenantId: east.id },
    orderBy: { version: "desc" },
  });
  const members = await db.membership.findMany({ where: { tenantId: east.id, user: { login: { in: LOGINS } } } });
  const codes = ["east-lake"];
  for (let i = 2; i <= count; i++) {
    const code = `bench-${String(i).padStart(2, "0")}`;
    const tenant = await db.tenant.create({
      data: {
        code,
        kind: "township",
        name: `${east.name}（压测${i}）`,
        nameEn: `${east.nameEn ?? "East Lake"} (bench ${i})`,
        parentId: east.parentId,
      },
    });
    await db.configVersion.create({
      data: {
        tenantId: tenant.id,
        version: 1,
        document: { ...(config.document as object), id: code },
        source: { ...(config.source as object), id: code },
        extendsRef: config.extendsRef,
        publishedBy: "bench",
      },
    });
    await db.membership.createMany({
      data: members.map((m) => ({ tenantId: tenant.id, userId: m.userId, posts: m.posts, unitId: m.unitId })),
    });
    codes.push(code);
  }
  return codes;
}

async function contexts(db: Db, codes: string[]) {
  const out = new Map<string, TenantContext>();
  for (const login of LOGINS) {
    for (const code of codes) out.set(`${login}@${code}`, await memberContext(db, login, code));
  }
  return out;
}

/**
 * Samples pg_stat_activity every 50 ms: how many of this database's sessions wait on an advisory
 * lock (the audit chain's per-tenant lock), how many are running a statement, and how much CPU
 * their PostgreSQL backends use (PostgreSQL on this machine, readable in /proc).
 */
function lockSampler(url: string) {
  const client = new pg.Client({ connectionString: url });
  let samples = 0;
  let advisory = 0;
  let active = 0;
  let stopped = false;
  const backendCpu = new Map<number, { first: number; last: number }>();
  const loop = (async () => {
    await client.connect();
    while (!stopped) {
      const { rows } = await client.query<{ pid: number; waiting: boolean; active: boolean }>(
        `SELECT pid, (wait_event_type = 'Lock' AND wait_event = 'advisory') AS waiting, state = 'active' AS active
         FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()`,
      );
      samples++;
      for (const row of rows) {
        if (row.waiting) advisory++;
        if (row.active) active++;
        const used = processCpuMs(row.pid);
        if (used === undefined) continue;
        const seen = backendCpu.get(row.pid);
        if (seen) seen.last = used;
        else backendCpu.set(row.pid, { first: used, last: used });
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  })();
  return async () => {
    stopped = true;
    await loop;
    await client.end();
    const pgCpuMs = [...backendCpu.values()].reduce((n, b) => n + (b.last - b.first), 0);
    return { advisory: advisory / Math.max(1, samples), active: active / Math.max(1, samples), pgCpuMs };
  };
}

type RunResult = {
  transitions: number;
  seconds: number;
  latencies: number[];
  ok: number;
  refusals: Record<string, number>;
  errors: Record<string, number>;
  reportsPerSec: number;
  reportErrors: Record<string, number>;
  cpu: ReturnType<ReturnType<typeof cpuMeter>>;
  waits: { advisory: number; active: number; pgCpuMs: number };
};

/** An error's short name: Prisma's code (P2028 = interactive transaction timed out) or its class. */
const errorName = (error: unknown) => (error as { code?: string }).code ?? (error as Error).name ?? "error";
const bump = (counts: Record<string, number>, key: string) => (counts[key] = (counts[key] ?? 0) + 1);

async function run(
  db: Db,
  ctxs: Map<string, TenantContext>,
  codes: string[],
  cases: number,
  clients: number,
): Promise<RunResult> {
  const ctx = (login: string, code: string) => ctxs.get(`${login}@${code}`)!;
  const reportErrors: Record<string, number> = {};
  // The cases, reported through the real intake path, spread round-robin over the townships.
  const own: Array<Array<{ id: string; code: string }>> = Array.from({ length: clients }, () => []);
  const reportStart = performance.now();
  await Promise.all(
    own.map(async (_, c) => {
      for (let i = c; i < cases; i += clients) {
        const code = codes[i % codes.length]!;
        // An intake that fails (e.g. its transaction timed out queueing for the township's case
        // counter) is counted and tried again, so every client gets its cases.
        for (let attempt = 1; ; attempt++) {
          try {
            const r = await reportCase(ctx("east.grid1", code), { categoryId: "dispute", data: dispute }, new Date());
            if (!r.ok) throw new Error(`report refused: ${JSON.stringify(r.refusal)}`);
            own[c]!.push({ id: r.caseId, code });
            break;
          } catch (error) {
            bump(reportErrors, errorName(error));
            if (attempt >= 5) throw error;
          }
        }
      }
    }),
  );
  const reportsPerSec = cases / ((performance.now() - reportStart) / 1000);

  const latencies: number[] = [];
  const refusals: Record<string, number> = {};
  const errors: Record<string, number> = {};
  let ok = 0;
  const meter = cpuMeter();
  const sampler = lockSampler(database.url);
  const start = performance.now();
  await Promise.all(
    own.map(async (mine) => {
      for (const c of mine) {
        let version = 1;
        for (const step of STEPS) {
          const t0 = performance.now();
          let r: Awaited<ReturnType<typeof transitionCase>>;
          try {
            r = await transitionCase(
              db,
              ctx(step.login, c.code),
              c.id,
              {
                transitionId: step.transitionId,
                input: step.input,
                expectedVersion: version,
              },
              new Date(),
            );
          } catch (error) {
            latencies.push(performance.now() - t0);
            bump(errors, errorName(error)); // counted; this case is left where it is
            break;
          }
          latencies.push(performance.now() - t0);
          if (r.ok) {
            ok++;
            version = r.version;
            continue;
          }
          const kind = "refusal" in r ? r.refusal.kind : "not-found";
          refusals[kind] = (refusals[kind] ?? 0) + 1;
          break;
        }
      }
    }),
  );
  const seconds = (performance.now() - start) / 1000;
  const cpu = meter();
  return {
    transitions: latencies.length,
    ok,
    seconds,
    latencies: latencies.sort((a, b) => a - b),
    refusals,
    errors,
    reportsPerSec,
    reportErrors,
    cpu,
    waits: await sampler(),
  };
}

const database = await createTestDatabase();
if (database.kind !== "postgres") {
  await database.drop();
  throw new Error("bench:transitions needs PostgreSQL on 127.0.0.1:5432 (TEST_DATABASE_ADMIN_URL)");
}
const poolFor = (clients: number) => (values.pool ? Number(values.pool) : clients);
const dbs = new Map<number, Db>();
const dbFor = (pool: number) => {
  if (!dbs.has(pool)) dbs.set(pool, createPrisma(database.url, false, pool));
  return dbs.get(pool)!;
};
try {
  const setup = dbFor(poolFor(clientCounts[0]!));
  await seedDemo(setup, "tenants");
  const allCodes = await addTownships(setup, maxTownships);
  console.log(
    `cpus: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, node ${process.version}, load avg before: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  console.log(
    "measures transitionCase() in-process (engine + server layer): no HTTP, session or route, contexts loaded once, no job runner — npm run bench:http measures the click path",
  );
  console.log(
    `${casesPerRun} cases per run, ${STEPS.length} transitions each (${STEPS.map((s) => s.transitionId).join(" → ")})\n`,
  );

  // Warm-up: compile each township's config, JIT the path; not measured.
  {
    const db = dbFor(poolFor(clientCounts[0]!));
    await run(
      db,
      await contexts(db, allCodes),
      allCodes,
      Math.max(16, allCodes.length * 2),
      Math.min(8, allCodes.length * 2),
    );
  }

  const header =
    "townships  clients  pool   transitions/s   p50 ms   p95 ms   p99 ms   refusals (stale)   errors   intake/s (errors)   waiting on audit lock / active sessions   CPU: node + PostgreSQL   machine busy";
  console.log(header);
  console.log("-".repeat(header.length));
  // A one-client baseline first: the service time of one transition with nothing else running.
  const plan: Array<{ townships: number; clients: number; cases: number }> = [
    { townships: 1, clients: 1, cases: Math.min(casesPerRun, 100) },
  ];
  for (const townships of townshipCounts)
    for (const clients of clientCounts) plan.push({ townships, clients, cases: casesPerRun });
  for (const { townships, clients, cases } of plan) {
    const codes = allCodes.slice(0, townships);
    const pool = poolFor(clients);
    const db = dbFor(pool);
    const r = await run(db, await contexts(db, codes), codes, cases, clients);
    const refused = Object.values(r.refusals).reduce((a, b) => a + b, 0);
    console.log(
      [
        String(townships).padStart(9),
        String(clients).padStart(8),
        String(pool).padStart(5),
        (r.ok / r.seconds).toFixed(0).padStart(15),
        pct(r.latencies, 0.5).toFixed(1).padStart(8),
        pct(r.latencies, 0.95).toFixed(1).padStart(8),
        pct(r.latencies, 0.99).toFixed(1).padStart(8),
        `${refused} (${r.refusals["stale-version"] ?? 0})`.padStart(18),
        String(Object.values(r.errors).reduce((a, b) => a + b, 0)).padStart(9),
        `${r.reportsPerSec.toFixed(0)} (${Object.values(r.reportErrors).reduce((a, b) => a + b, 0)})`.padStart(20),
        `${r.waits.advisory.toFixed(1)} / ${r.waits.active.toFixed(1)}`.padStart(42),
        `${(r.cpu.nodeCpuMs / 1000 / r.seconds).toFixed(2)} + ${(r.waits.pgCpuMs / 1000 / r.seconds).toFixed(2)} cores`.padStart(
          22,
        ),
        `${(r.cpu.machineBusy * 100).toFixed(0)} %`.padStart(14),
      ].join(""),
    );
    if (refused) console.log(`           refusals by kind: ${JSON.stringify(r.refusals)}`);
    if (Object.keys(r.errors).length || Object.keys(r.reportErrors).length) {
      console.log(
        `           errors (P2028 = Prisma's 5 s interactive-transaction timeout): transitions ${JSON.stringify(r.errors)}, intake ${JSON.stringify(r.reportErrors)}`,
      );
    }
  }

  // Sanity: every case ended archived and every township's audit chain still verifies.
  const db = dbFor(poolFor(clientCounts[0]!));
  const open = await db.case.count({ where: { state: { not: "archived" } } });
  const chains = await Promise.all(
    allCodes.map(async (code) => verifyAuditChain(db, (await db.tenant.findUniqueOrThrow({ where: { code } })).id)),
  );
  const events = chains.reduce((n, c) => n + c.count, 0);
  console.log(
    `\ncases not archived: ${open}; audit chains: ${chains.every((c) => c.ok) ? "all verify" : "BROKEN"} (${events} entries in ${chains.length} townships)`,
  );
} finally {
  for (const db of dbs.values()) await db.$disconnect();
  await database.drop();
}
