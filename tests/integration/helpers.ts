import { randomBytes } from "node:crypto";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import pg from "pg";
import { afterAll, beforeAll } from "vitest";
import { createPrisma, type Db } from "#app/server/db.server";
import { seedDemo } from "#app/server/seed.server";
import type { TenantContext } from "#app/server/tenancy.server";
import { contextOf, fireAs, memberContext, sessionUserOf, transitionAsIs } from "#tests/setup/drive-cases";
import { startApp, type AppProcess } from "#tests/setup/app-process";
import { createTestDatabase, REDIS_URL, type TestDatabase } from "#tests/setup/services";

/** `login` (in `township`, East Lake by default) fires `transitionId` on the case as it stands. */
type Drive = (
  caseId: string,
  login: string,
  transitionId: string,
  input: unknown,
  now: Date,
  township?: string,
) => ReturnType<typeof transitionAsIs>;

export type Seeded = {
  database: TestDatabase;
  db: Db;
  /** The user as a session holds it, for the `load…Context` functions. */
  sessionUser: (login: string) => ReturnType<typeof sessionUserOf>;
  contextOf: (login: string, township: string) => Promise<TenantContext | null>;
  /** The member's context in the township (East Lake by default); throws for a non-member. */
  context: (login: string, township?: string) => Promise<TenantContext>;
  /** `login` fires `transitionId` on the case as it stands; returns the result, a refusal included. */
  attempt: Drive;
  /** As `attempt`, but a refusal fails the test. */
  fire: Drive;
};

/** A fresh database with the demo county seeded from tenants/. */
export async function seededDatabase(): Promise<Seeded> {
  const database = await createTestDatabase();
  const db = createPrisma(database.url, database.kind === "pglite");
  await seedDemo(db, "tenants");
  return {
    database,
    db,
    sessionUser: (login) => sessionUserOf(db, login),
    contextOf: (login, township) => contextOf(db, login, township),
    context: (login, township) => memberContext(db, login, township),
    attempt: async (caseId, login, transitionId, input, now, township) =>
      transitionAsIs(db, await memberContext(db, login, township), caseId, transitionId, input, now),
    fire: async (caseId, login, transitionId, input, now, township) =>
      fireAs(db, await memberContext(db, login, township), caseId, transitionId, input, now),
  };
}

export async function teardown(s: Seeded | undefined) {
  await s?.db.$disconnect();
  await s?.database.drop();
}

export { validDispute } from "#tests/setup/drive-cases";

/** Polls `check` until it holds; fails naming `what` after `timeoutMs`. */
export async function waitFor(what: string, check: () => Promise<boolean>, timeoutMs = 30_000, everyMs = 50) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, everyMs));
  }
}

export type QueuedApp = {
  /** The queue prefix of this block's app, so parallel files never share a queue. */
  readonly prefix: string;
  readonly database: TestDatabase;
  readonly app: AppProcess;
  /** A plain SQL connection to the app's database, for counting rows. */
  readonly sql: pg.Client;
  readonly redis: Redis;
  /** BullMQ's event stream of the outbox queue, each event as its fields. */
  outboxEvents(): Promise<Array<Record<string, string>>>;
};

/**
 * The built server (`npm start`) on a fresh PostgreSQL database and Redis under a queue prefix of
 * its own, with the environment `env` adds; registers the hooks that start and clean up all of it.
 */
export function useQueuedApp(name: string, env: Record<string, string>, startTimeoutMs?: number): QueuedApp {
  const prefix = `gw-test-${name}-${randomBytes(4).toString("hex")}`;
  let database: TestDatabase | undefined;
  let app: AppProcess | undefined;
  let sql: pg.Client | undefined;
  let redis: Redis | undefined;

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startApp({
      DATABASE_URL: database.url,
      GRIDWORK_EMBEDDED_DB: "0",
      REDIS_URL,
      GRIDWORK_QUEUE_PREFIX: prefix,
      ...env,
    });
    sql = new pg.Client({ connectionString: database.url });
    await sql.connect();
    redis = new Redis(REDIS_URL);
  }, startTimeoutMs);
  afterAll(async () => {
    await app?.stop();
    const queue = new Queue("outbox", { connection: { url: REDIS_URL, maxRetriesPerRequest: null }, prefix });
    await queue.obliterate({ force: true }).catch(() => {});
    await queue.close();
    redis?.disconnect();
    await sql?.end();
    await database?.drop();
  });

  const ready = <T>(value: T | undefined, what: string): T => {
    if (value === undefined) throw new Error(`queued app: ${what} is not ready (use it inside a test)`);
    return value;
  };
  return {
    prefix,
    get database() {
      return ready(database, "database");
    },
    get app() {
      return ready(app, "app");
    },
    get sql() {
      return ready(sql, "sql");
    },
    get redis() {
      return ready(redis, "redis");
    },
    async outboxEvents() {
      return (await ready(redis, "redis").xrange(`${prefix}:outbox:events`, "-", "+")).map(([, fields]) => {
        const f: Record<string, string> = {};
        for (let i = 0; i < fields.length; i += 2) f[fields[i]!] = fields[i + 1]!;
        return f;
      });
    },
  };
}

/** A township's newest published version, and a copy of its source to edit and publish again. */
export async function latestVersion(db: Seeded["db"], township: string) {
  const row = await db.configVersion.findFirstOrThrow({
    where: { tenant: { code: township } },
    orderBy: { version: "desc" },
  });
  return { row, source: structuredClone(row.source) as Record<string, unknown> };
}
