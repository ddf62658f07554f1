// Starts Gridwork in one process: database (DATABASE_URL or embedded PGlite), migrations, demo
// seed, the Remix app behind Express, and the job runner (BullMQ with REDIS_URL, else in-process).
import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import path from "node:path";
import { pathToFileURL } from "node:url";
import compression from "compression";
import express from "express";
import { writeDueCheckpoints } from "./audit-checkpoints.server";
import { loadAuditKeys } from "./audit-crypto.server";
import { startContextCache, stopContextCache } from "./context-cache.server";
import { getPrisma } from "./db.server";
import { allowedHosts, knownHosts, sameOriginWrites, securityHeaders } from "./http-guards.server";
import { env } from "./env.server";
import { startEmbeddedPostgres, type EmbeddedPostgres } from "./embedded-postgres.server";
import { createJobRunner, setJobRunner } from "./jobs.server";
import { answerClientErrors, refuseMalformedRequests } from "./malformed-requests.server";
import { migrate } from "./migrate.server";
import { createRequestHandler } from "./remix-handler.server";
import { seedDemo, type DemoLogin } from "./seed.server";
import { sweepStuckCases } from "./stuck.server";
import { sweepDueCases } from "./workflow.server";

/**
 * `prepared`: the cluster's primary already migrated, seeded and built (scripts/start.ts);
 * `web: false`: a job worker process without an HTTP server (docs/decisions/030-processes.md).
 */
export type BootOptions = {
  port?: number;
  host?: string;
  dataDir?: string;
  build?: boolean;
  seed?: boolean;
  prepared?: boolean;
  web?: boolean;
  log?: (line: string) => void;
};
export type Running = { url: string; logins: DemoLogin[]; stop: () => Promise<void> };

function sessionSecretFor(dataDir: string) {
  if (process.env.SESSION_SECRET) return process.env.SESSION_SECRET;
  // Local use only: a secret kept in the data folder so sessions survive a restart.
  const file = path.join(dataDir, "session-secret");
  if (!existsSync(file)) {
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(file, randomBytes(32).toString("hex"), { mode: 0o600 });
  }
  return readFileSync(file, "utf8").trim();
}

/** Database, secrets, migrations, the demo seed and the build: once per install, before any process serves. */
export async function prepare(
  options: BootOptions = {},
): Promise<{ logins: DemoLogin[]; embedded?: EmbeddedPostgres }> {
  const log = options.log ?? ((line: string) => console.log(line));
  const dataDir = path.resolve(options.dataDir ?? process.env.GRIDWORK_DATA_DIR ?? "data");
  let embedded: EmbeddedPostgres | undefined;
  if (!process.env.DATABASE_URL) {
    embedded = await startEmbeddedPostgres(path.join(dataDir, "pglite"));
    process.env.DATABASE_URL = embedded.url;
    process.env.GRIDWORK_EMBEDDED_DB = "1";
    log(`Database: embedded PostgreSQL (PGlite) in ${path.join(dataDir, "pglite")}`);
  } else {
    log("Database: DATABASE_URL");
  }
  process.env.SESSION_SECRET = sessionSecretFor(dataDir);
  loadAuditKeys(dataDir, { create: true });

  const { applied } = await migrate(process.env.DATABASE_URL!);
  if (applied.length) log(`Migrations applied: ${applied.join(", ")}`);
  const db = getPrisma();
  const seeded = options.seed === false ? { created: false, logins: [] } : await seedDemo(db);
  if (seeded.created) log("Demo county seeded from tenants/demo-seed.json");

  if (options.build !== false || !existsSync(buildFile)) {
    log("Building the app …");
    execFileSync(process.execPath, ["node_modules/@remix-run/dev/dist/cli.js", "build"], { stdio: "inherit" });
  }
  return { logins: seeded.logins, embedded };
}

const buildFile = path.resolve("build/index.js");

export async function boot(options: BootOptions = {}): Promise<Running> {
  const log = options.log ?? ((line: string) => console.log(line));
  const { logins, embedded } = options.prepared ? { logins: [], embedded: undefined } : await prepare(options);
  const db = getPrisma();

  // The supervision sweep runs with the jobs: reminders, sheets and talks come due by time; so do
  // the signed audit checkpoints. Only where the worker runs, so web-only processes never sweep.
  const periodic = env.runWorker
    ? async (now: Date) =>
        (await sweepDueCases(db, now)) + (await sweepStuckCases(db, now)) + (await writeDueCheckpoints(db, now))
    : undefined;
  const runner = createJobRunner(db, periodic);
  setJobRunner(runner);
  await runner.start();
  await startContextCache();
  const stopJobs = async () => {
    await runner.stop();
    setJobRunner(undefined);
    await stopContextCache();
    await db.$disconnect();
    await embedded?.stop();
  };
  if (options.web === false) {
    log(`Jobs: ${runner.mode === "bullmq" ? "BullMQ worker on REDIS_URL" : "in-process"}`);
    return { url: "", logins, stop: stopJobs };
  }
  const build = await import(pathToFileURL(buildFile).href);

  const app = express();
  app.disable("x-powered-by");
  if (process.env.TRUST_PROXY) app.set("trust proxy", process.env.TRUST_PROXY);
  // Pages and the JS bundles are text: gzip cuts what a phone on a slow link downloads several-fold.
  app.use(compression());
  app.use(securityHeaders);
  app.use(refuseMalformedRequests);
  // Known once listening (PORT=0 picks the port); no request arrives before.
  let hosts: ReadonlySet<string> = new Set();
  app.use(knownHosts(() => hosts));
  app.use(sameOriginWrites);
  app.use("/build", express.static("public/build", { immutable: true, maxAge: "1y" }));
  app.use(express.static("public", { maxAge: "1h" }));
  app.all(
    "*",
    createRequestHandler({
      build,
      mode: process.env.NODE_ENV ?? "production",
      getLoadContext: (req) => ({ clientIp: req.ip ?? "unknown" }),
    }),
  );
  app.use(answerClientErrors);

  log(
    `Jobs: ${runner.mode === "bullmq" ? (env.runWorker ? "BullMQ on REDIS_URL" : "BullMQ on REDIS_URL, worker in its own process") : "in-process (no REDIS_URL)"}`,
  );

  const host = options.host ?? "127.0.0.1";
  const server = await new Promise<import("node:http").Server>((resolve) => {
    const s = app.listen(options.port ?? 3000, host, () => resolve(s));
  });
  const { port } = server.address() as AddressInfo;
  hosts = allowedHosts(env.allowedHosts, host, port);
  const url = `http://${host === "0.0.0.0" ? "127.0.0.1" : host}:${port}`;

  return {
    url,
    logins,
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await stopJobs();
    },
  };
}
