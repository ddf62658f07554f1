// `npm run bench:http [-- --seconds 10 --warmup 3 --connections 8,32 --cases 10000 --townships 10]`:
// the click path over full HTTP. On a fresh database in the local PostgreSQL (dropped afterwards) it
// starts the built server as `npm start` does (run `npm run build` first; BullMQ on Redis when it is
// reachable, else in-process jobs), seeds cases through the engine and bulk-copies them in SQL up to
// `--cases` spread over `--townships`, logs in and drives with autocannon:
//   create      POST /t/east-lake/report (the report form's action) as east.grid1
//   transition  POST /t/east-lake/cases/<id> "triage", a different reported case each request, as east.routing
//   list        GET the workbench's data (/t/east-lake/work?_data=…) as east.routing
// at each connection count, after a warm-up, and the minimal anchor (bench/http-anchor.ts: node:http
// + pg + ajv, the same create and transition transactions) in the same run. Per point: req/s,
// p50/p99, unexpected statuses, Node CPU ms per request (the server process's utime + stime from
// /proc), PostgreSQL CPU ms per request (this database's backends, /proc) and statements per request
// (Query/Execute messages counted by a small proxy in front of PostgreSQL). Figures: bench/README.md.
import { spawn, type ChildProcess } from "node:child_process";
import { randomBytes } from "node:crypto";
import path from "node:path";
import net from "node:net";
import { cpus, loadavg, totalmem } from "node:os";
import { parseArgs } from "node:util";
import autocannon from "autocannon";
import { Queue } from "bullmq";
import pg from "pg";
import { reportCase } from "#app/server/cases.server";
import { createPrisma } from "#app/server/db.server";
import { transitionCase } from "#app/server/workflow.server";
import { startApp, type AppProcess } from "#tests/setup/app-process";
import { printProfile } from "./cpu-profile";
import { createTestDatabase, REDIS_URL, redisAvailable } from "#tests/setup/services";
import { processCpuMs } from "#tests/setup/proc";
import { memberContext, validDispute as dispute } from "#tests/setup/drive-cases";

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "10" },
    warmup: { type: "string", default: "3" },
    connections: { type: "string", default: "8,32" },
    cases: { type: "string", default: "10000" },
    townships: { type: "string", default: "10" },
    paths: { type: "string", default: "list,create,transition" },
    "transition-pool": { type: "string", default: "20000" },
    "in-process": { type: "boolean", default: false },
    /** Write the server's V8 CPU profile to this folder and print where its time went. */
    profile: { type: "string" },
  },
});
const SECONDS = Number(values.seconds);
const WARMUP = Number(values.warmup);
const CONNECTIONS = values.connections.split(",").map(Number);
const CASES = Number(values.cases);
const TOWNSHIPS = Math.max(1, Number(values.townships));
const PATHS = values.paths.split(",");
const POOL = Number(values["transition-pool"]);

const form = (payload: unknown) => new URLSearchParams({ payload: JSON.stringify(payload) }).toString();
const log = (line: string) => console.log(line);

/**
 * A TCP proxy in front of PostgreSQL that counts statements: frontend Query ('Q') and Execute ('E')
 * messages, BEGIN and COMMIT included. Everything else passes through untouched.
 */
function countingProxy(port: number) {
  const counter = { statements: 0 };
  const server = net.createServer((client) => {
    const upstream = net.connect(port, "127.0.0.1");
    client.pipe(upstream);
    upstream.pipe(client);
    const close = () => {
      client.destroy();
      upstream.destroy();
    };
    client.on("error", close);
    upstream.on("error", close);
    let startup = true;
    let header = Buffer.alloc(0);
    let skip = 0;
    client.on("data", (chunk: Buffer) => {
      let off = 0;
      while (off < chunk.length) {
        if (skip > 0) {
          const n = Math.min(skip, chunk.length - off);
          skip -= n;
          off += n;
          continue;
        }
        const size = startup ? 8 : 5;
        const take = Math.min(size - header.length, chunk.length - off);
        header = Buffer.concat([header, chunk.subarray(off, off + take)]);
        off += take;
        if (header.length < size) break;
        if (startup) {
          const code = header.readInt32BE(4);
          skip = header.readInt32BE(0) - 8;
          // SSL and GSS requests come before the real startup message.
          if (code !== 80877103 && code !== 80877104) startup = false;
        } else {
          if (header[0] === 0x51 || header[0] === 0x45) counter.statements++;
          skip = header.readInt32BE(1) - 4;
        }
        header = Buffer.alloc(0);
      }
    });
  });
  return new Promise<{ url: (db: string, name: string) => string; counter: typeof counter; close: () => void }>(
    (resolve) =>
      server.listen(0, "127.0.0.1", () => {
        const p = (server.address() as net.AddressInfo).port;
        resolve({
          url: (db, name) => `postgresql://postgres@127.0.0.1:${p}/${db}?application_name=${name}`,
          counter,
          close: () => server.close(),
        });
      }),
  );
}

async function startAnchor(
  databaseUrl: string,
  tenantId: string,
): Promise<{ url: string; pid: number; stop: () => Promise<void> }> {
  const child: ChildProcess = spawn(process.execPath, ["--import", "tsx", "bench/http-anchor.ts"], {
    env: { ...process.env, DATABASE_URL: databaseUrl, ANCHOR_TENANT_ID: tenantId, NODE_ENV: "production" },
    stdio: ["ignore", "pipe", "inherit"],
  });
  const url = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (c: Buffer) => {
      out += c.toString();
      const m = /ANCHOR_READY (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    child.once("exit", (code) => reject(new Error(`anchor exited with ${code}: ${out}`)));
  });
  return {
    url,
    pid: child.pid!,
    stop: async () => {
      const exited = new Promise((r) => child.once("exit", r));
      child.kill("SIGTERM");
      await Promise.race([exited, new Promise((r) => setTimeout(r, 5000))]);
      if (child.exitCode === null) child.kill("SIGKILL");
    },
  };
}

async function login(base: string, loginName: string): Promise<string> {
  const res = await fetch(`${base}/login`, {
    method: "POST",
    headers: { Origin: base, "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ login: loginName, password: "gridwork-demo", redirectTo: "/t" }),
    redirect: "manual",
  });
  if (res.status !== 302) throw new Error(`login ${loginName}: ${res.status}`);
  return res.headers
    .getSetCookie()
    .map((c) => c.split(";")[0])
    .join("; ");
}

const database = await createTestDatabase();
if (database.kind !== "postgres") {
  await database.drop();
  throw new Error("bench:http needs PostgreSQL on 127.0.0.1:5432 (TEST_DATABASE_ADMIN_URL)");
}
const dbName = new URL(database.url).pathname.slice(1);
const pgPort = Number(new URL(database.url).port || 5432);
const useRedis = !values["in-process"] && (await redisAvailable());
const prefix = `bench-http-${randomBytes(4).toString("hex")}`;
const appProxy = await countingProxy(pgPort);
const anchorProxy = await countingProxy(pgPort);
const sql = new pg.Client({ connectionString: database.url });
await sql.connect();
let app: AppProcess | undefined;
let anchor: Awaited<ReturnType<typeof startAnchor>> | undefined;
const db = createPrisma(database.url);

/** The PostgreSQL backends one process opened (by application_name) and the CPU each has used so far. */
async function backendCpu(name: string) {
  const { rows } = await sql.query<{ pid: number }>(
    `SELECT pid FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1`,
    [name],
  );
  return new Map(rows.map((r) => [r.pid, processCpuMs(r.pid) ?? 0]));
}

type Point = {
  rps: number;
  p50: number;
  p99: number;
  done: number;
  unexpected: number;
  nodeMs: number;
  pgMs: number;
  statements: number;
};

async function drive(opts: {
  url: string;
  pid: number;
  counter: { statements: number };
  name: string;
  connections: number;
  method: "GET" | "POST";
  path: string;
  cookie: string;
  body?: string;
  expect: number;
  nextPath?: () => string;
}): Promise<Point> {
  const origin = new URL(opts.url).origin;
  const run = (duration: number) =>
    autocannon({
      url: opts.url + opts.path,
      connections: opts.connections,
      duration,
      method: opts.method,
      headers: {
        Cookie: opts.cookie,
        Origin: origin,
        ...(opts.body ? { "Content-Type": "application/x-www-form-urlencoded" } : {}),
      },
      ...(opts.body ? { body: opts.body } : {}),
      ...(opts.nextPath
        ? {
            requests: [
              {
                method: opts.method,
                body: opts.body,
                setupRequest: (req: object) => ({ ...req, path: opts.nextPath!() }),
              },
            ],
          }
        : {}),
    });
  if (WARMUP) await run(WARMUP);
  const cpu0 = processCpuMs(opts.pid) ?? 0;
  const pg0 = await backendCpu(opts.name);
  const st0 = opts.counter.statements;
  const r = await run(SECONDS);
  const cpu1 = processCpuMs(opts.pid) ?? 0;
  const pg1 = await backendCpu(opts.name);
  const st1 = opts.counter.statements;
  let pgMs = 0;
  for (const [pid, used] of pg1) pgMs += used - (pg0.get(pid) ?? 0);
  const stats = r.statusCodeStats as Record<string, { count: number }>;
  const done = Object.values(stats).reduce((n, s) => n + s.count, 0);
  const expected = stats[String(opts.expect)]?.count ?? 0;
  return {
    rps: done / SECONDS,
    p50: r.latency.p50,
    p99: r.latency.p99,
    done,
    unexpected: done - expected + r.errors + r.timeouts,
    nodeMs: (cpu1 - cpu0) / Math.max(1, done),
    pgMs: pgMs / Math.max(1, done),
    statements: (st1 - st0) / Math.max(1, done),
  };
}

try {
  log(`bench:http — ${new Date().toISOString()}`);
  log(
    `machine: ${cpus().length} × ${cpus()[0]?.model ?? "?"}, ${(totalmem() / 2 ** 30).toFixed(0)} GiB, node ${process.version}, load avg ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
  log(
    `jobs: ${useRedis ? "BullMQ on " + REDIS_URL : "in-process"}; ${SECONDS} s per point after a ${WARMUP} s warm-up; connections ${CONNECTIONS.join(", ")}`,
  );

  // The bench seeds through the engine too, so it and the server share one audit key.
  process.env.AUDIT_HMAC_KEY ??= randomBytes(32).toString("hex");
  // The server, as npm start runs it (built app, migrations, demo seed), talking through the proxy.
  app = await startApp(
    {
      AUDIT_HMAC_KEY: process.env.AUDIT_HMAC_KEY,
      DATABASE_URL: appProxy.url(dbName, "gridwork"),
      GRIDWORK_EMBEDDED_DB: "0",
      REDIS_URL: useRedis ? REDIS_URL : undefined,
      GRIDWORK_QUEUE_PREFIX: prefix,
    },
    values.profile ? ["--cpu-prof", `--cpu-prof-dir=${path.resolve(values.profile)}`] : [],
  );
  const east = (await sql.query<{ id: string }>(`SELECT id FROM "Tenant" WHERE code = 'east-lake'`)).rows[0]!.id;

  // Cases through the engine, for realism: 4 reported, 4 triaged, 4 dispatched.
  const ctx = (login: string) => memberContext(db, login);
  const [grid, routing] = [await ctx("east.grid1"), await ctx("east.routing")];
  const templates: string[] = [];
  for (let i = 0; i < 12; i++) {
    const r = await reportCase(grid, { categoryId: "dispute", data: dispute }, new Date());
    if (!r.ok) throw new Error("seed report refused");
    templates.push(r.caseId);
    if (
      i >= 4 &&
      !(
        await transitionCase(
          db,
          routing,
          r.caseId,
          {
            transitionId: "triage",
            input: { gradeId: "general" },
            expectedVersion: 1,
          },
          new Date(),
        )
      ).ok
    )
      throw new Error("seed triage");
    if (i >= 8) {
      const d = await transitionCase(
        db,
        routing,
        r.caseId,
        {
          transitionId: "dispatch",
          input: { leadUnitId: "platform-safety", instructions: "请三日内调解" },
          expectedVersion: 2,
        },
        new Date(),
      );
      if (!d.ok) throw new Error("seed dispatch");
    }
  }

  // Townships: East Lake plus copies of it (its config as version 1, the same members), and one for the anchor.
  const t0 = performance.now();
  const codes = [
    ...Array.from({ length: TOWNSHIPS - 1 }, (_, i) => `bench-${String(i + 2).padStart(4, "0")}`),
    "bench-anchor",
  ];
  await sql.query(
    `INSERT INTO "Tenant" (id, code, kind, name, "nameEn", "parentId", mode)
     SELECT gen_random_uuid(), c, t.kind, t.name || '（' || c || '）', t."nameEn" || ' (' || c || ')', t."parentId", t.mode FROM "Tenant" t, unnest($1::text[]) c WHERE t.id = $2`,
    [codes, east],
  );
  await sql.query(
    `INSERT INTO "ConfigVersion" (id, "tenantId", version, document, source, "extendsRef", "publishedBy")
     SELECT gen_random_uuid(), t.id, 1, jsonb_set(v.document, '{id}', to_jsonb(t.code)), jsonb_set(v.source, '{id}', to_jsonb(t.code)), v."extendsRef", 'bench'
     FROM "Tenant" t, (SELECT * FROM "ConfigVersion" WHERE "tenantId" = $1 ORDER BY version DESC LIMIT 1) v WHERE t.code = ANY($2)`,
    [east, codes],
  );
  await sql.query(
    `INSERT INTO "Membership" (id, "tenantId", "userId", posts, "backupPosts", "unitId", active)
     SELECT gen_random_uuid(), t.id, m."userId", m.posts, m."backupPosts", m."unitId", m.active FROM "Tenant" t, "Membership" m WHERE t.code = ANY($2) AND m."tenantId" = $1`,
    [east, codes],
  );
  const tenants = (
    await sql.query<{ id: string }>(
      `SELECT id FROM "Tenant" WHERE id = $1 OR code = ANY($2) AND code <> 'bench-anchor' ORDER BY code`,
      [east, codes],
    )
  ).rows.map((r) => r.id);
  const anchorTenant = (await sql.query<{ id: string }>(`SELECT id FROM "Tenant" WHERE code = 'bench-anchor'`)).rows[0]!
    .id;

  /** Copies of the template cases into the tenants, `per` each; numbers `<tag>00000001` …; returns nothing. */
  const copyCases = async (tenantIds: string[], per: number, tag: string, only?: string[]) => {
    const tpl = only ?? templates;
    const chunk = Math.max(1, Math.floor(100_000 / Math.max(1, per)));
    for (let i = 0; i < tenantIds.length; i += chunk) {
      await sql.query(
        `INSERT INTO "Case" (id, "tenantId", number, "configVersion", "workflowId", "categoryId", "gradeId", "platformId", state, title, data,
           "reporterId", "orgUnitId", assignment, deadlines, "leadUnitId", "assistUnitIds", "dueAt", "nextCheckAt", version, "createdAt", "updatedAt")
         SELECT gen_random_uuid(), tid, $3::text || lpad(g::text, 8, '0'), CASE WHEN tid = $5::uuid THEN c."configVersion" ELSE 1 END, c."workflowId", c."categoryId", c."gradeId", c."platformId",
           c.state, c.title, c.data, c."reporterId", c."orgUnitId", c.assignment, c.deadlines, c."leadUnitId", c."assistUnitIds", c."dueAt",
           -- never due during the run: the supervision sweep must not tick copies
           now() + interval '30 days' + make_interval(secs => g % 86400), c.version, now() - make_interval(secs => g * 7), now()
         FROM unnest($1::uuid[]) tid, generate_series(1, $2::int) g,
           (SELECT *, row_number() OVER (ORDER BY id) - 1 AS k FROM "Case" WHERE id = ANY($4::uuid[])) c
         WHERE c.k = g % $6::int`,
        [tenantIds.slice(i, i + chunk), per, tag, tpl, east, tpl.length],
      );
    }
  };
  const per = Math.max(0, Math.floor((CASES - 12) / tenants.length));
  await copyCases(tenants, per, "B");
  await sql.query(`VACUUM (ANALYZE) "Case"`);
  const total = Number((await sql.query(`SELECT count(*) FROM "Case"`)).rows[0].count);
  log(
    `seeded ${total.toLocaleString("en")} cases in ${tenants.length} townships (${per} copies each of 12 engine-made cases) in ${((performance.now() - t0) / 1000).toFixed(1)} s\n`,
  );

  const gridCookie = await login(app.url, "east.grid1");
  const routingCookie = await login(app.url, "east.routing");
  const gridId = (await sql.query(`SELECT id FROM "User" WHERE login = 'east.grid1'`)).rows[0].id as string;
  const routingId = (await sql.query(`SELECT id FROM "User" WHERE login = 'east.routing'`)).rows[0].id as string;
  const anchorSession = async (userId: string) => {
    const sid = randomBytes(16).toString("hex");
    await sql.query(`INSERT INTO "Session" (id, "userId", "expiresAt") VALUES ($1, $2, now() + interval '1 day')`, [
      sid,
      userId,
    ]);
    return `sid=${sid}`;
  };
  anchor = await startAnchor(anchorProxy.url(dbName, "anchor"), anchorTenant);

  /** Fresh reported cases (version 1) for triage, one per request; ids in order. */
  const reportedPool = async (tenantId: string, tag: string) => {
    await copyCases([tenantId], POOL, tag, [templates[0]!]);
    const ids = (
      await sql.query<{ id: string }>(
        `SELECT id FROM "Case" WHERE "tenantId" = $1 AND number LIKE $2 || '%' ORDER BY number`,
        [tenantId, tag],
      )
    ).rows.map((r) => r.id);
    let i = 0;
    return { next: () => ids[i++ % ids.length]!, used: () => i, size: ids.length };
  };

  type Row = { path: string; connections: number; app: Point; anchor?: Point };
  const rows: Row[] = [];
  const triage = form({ transitionId: "triage", input: { gradeId: "general" }, expectedVersion: 1 });
  const appTarget = { url: app.url, pid: app.pid, counter: appProxy.counter, name: "gridwork" };
  const anchorTarget = { url: anchor.url, pid: anchor.pid, counter: anchorProxy.counter, name: "anchor" };
  for (const path of PATHS) {
    for (const connections of CONNECTIONS) {
      if (path === "list") {
        const p = await drive({
          ...appTarget,
          connections,
          method: "GET",
          path: "/t/east-lake/work?_data=routes%2Ft.%24tenant.work",
          cookie: routingCookie,
          expect: 200,
        });
        rows.push({ path, connections, app: p });
      } else if (path === "create") {
        const body = form({ categoryId: "dispute", data: dispute });
        const a = await drive({
          ...appTarget,
          connections,
          method: "POST",
          path: "/t/east-lake/report",
          cookie: gridCookie,
          body,
          expect: 302,
        });
        const b = await drive({
          ...anchorTarget,
          connections,
          method: "POST",
          path: "/report",
          cookie: await anchorSession(gridId),
          body,
          expect: 302,
        });
        rows.push({ path, connections, app: a, anchor: b });
      } else if (path === "transition") {
        const mine = await reportedPool(east, `T${connections}-`);
        const a = await drive({
          ...appTarget,
          connections,
          method: "POST",
          path: "/",
          cookie: routingCookie,
          body: triage,
          expect: 302,
          nextPath: () => `/t/east-lake/cases/${mine.next()}`,
        });
        const theirs = await reportedPool(anchorTenant, `A${connections}-`);
        const b = await drive({
          ...anchorTarget,
          connections,
          method: "POST",
          path: "/",
          cookie: await anchorSession(routingId),
          body: triage,
          expect: 302,
          nextPath: () => `/cases/${theirs.next()}`,
        });
        if (mine.used() > mine.size || theirs.used() > theirs.size)
          log(
            `  note: the transition pool (${POOL}) ran out at ${connections} connections; repeated cases answer 409 (raise --transition-pool)`,
          );
        rows.push({ path, connections, app: a, anchor: b });
      }
      const last = rows.at(-1)!;
      if (processCpuMs(app.pid) === undefined) throw new Error(`the server exited during ${path} @ ${connections}`);
      log(
        `  ${path} @ ${connections}: ${last.app.rps.toFixed(1)} req/s${last.anchor ? `, anchor ${last.anchor.rps.toFixed(0)} req/s` : ""}`,
      );
    }
  }

  const fmt = (p: Point | undefined, digits = 1) =>
    p
      ? [
          p.rps.toFixed(digits),
          `${p.p50} / ${p.p99}`,
          String(p.unexpected),
          p.nodeMs.toFixed(2),
          p.pgMs.toFixed(2),
          p.statements.toFixed(1),
        ]
      : ["—", "—", "—", "—", "—", "—"];
  const header = [
    "path",
    "conns",
    "req/s",
    "p50 / p99 ms",
    "unexpected",
    "node CPU ms/req",
    "PG CPU ms/req",
    "statements/req",
    "anchor req/s",
    "anchor p50 / p99 ms",
    "anchor unexpected",
    "anchor node ms/req",
    "anchor PG ms/req",
    "anchor statements/req",
    "ratio",
  ];
  const table = rows.map((r) => [
    r.path,
    String(r.connections),
    ...fmt(r.app),
    ...fmt(r.anchor, 0),
    r.anchor ? `${((100 * r.app.rps) / r.anchor.rps).toFixed(1)} %` : "—",
  ]);
  log("\n| " + header.join(" | ") + " |");
  log("|" + header.map(() => "---").join("|") + "|");
  for (const line of table) log("| " + line.join(" | ") + " |");
  log(
    `\nunexpected = responses other than the path's success status (302 for create and transition, 200 for list) plus errors and timeouts.` +
      `\nstatements = Query/Execute protocol messages from the process to PostgreSQL (BEGIN/COMMIT included; the app's job work in the window too), counted by a proxy;` +
      `\nNode CPU = the server process's utime + stime in the window (its in-process or BullMQ job work included) ÷ responses; PG CPU = the backends of that process's connections (application_name).` +
      `\nlist = the workbench's data request (Remix _data), ${total.toLocaleString("en")} cases in ${tenants.length} townships; copies have no audit trail.`,
  );
  log(
    `load avg after: ${loadavg()
      .map((l) => l.toFixed(2))
      .join(" ")}`,
  );
} catch (error) {
  if (app) console.error(`server output (last 40 lines):\n${app.output().split("\n").slice(-40).join("\n")}`);
  throw error;
} finally {
  await app?.stop();
  if (values.profile) printProfile(path.resolve(values.profile), log);
  await anchor?.stop();
  appProxy.close();
  anchorProxy.close();
  await sql.end().catch(() => {});
  await db.$disconnect();
  if (useRedis) {
    const q = new Queue("outbox", { connection: { url: REDIS_URL, maxRetriesPerRequest: null }, prefix });
    await q.obliterate({ force: true }).catch(() => {});
    await q.close();
  }
  await database.drop();
}
