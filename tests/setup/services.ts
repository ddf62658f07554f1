// Real services for integration and e2e tests. With CI=true a missing PostgreSQL, Redis or
// Chromium fails the run; elsewhere PostgreSQL falls back to embedded PGlite so `npm test` works
// on a machine with nothing but Node, and Redis/Chromium tests are reported as skipped.
import { randomBytes } from "node:crypto";
import { existsSync, mkdtempSync, rmSync } from "node:fs";
import net from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { startEmbeddedPostgres } from "#app/server/embedded-postgres.server";
import { migrate } from "#app/server/migrate.server";

export const isCI = process.env.CI === "true" || process.env.CI === "1";
export const ADMIN_URL = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const REDIS_URL = process.env.TEST_REDIS_URL ?? "redis://127.0.0.1:6379";
export const CHROMIUM = process.env.CHROMIUM_PATH ?? "/usr/bin/chromium";

function tcpReachable(url: string, timeoutMs = 1500): Promise<boolean> {
  const { hostname, port } = new URL(url);
  return new Promise((resolve) => {
    const socket = net.connect({ host: hostname, port: Number(port) }, () => {
      socket.end();
      resolve(true);
    });
    socket.setTimeout(timeoutMs, () => {
      socket.destroy();
      resolve(false);
    });
    socket.on("error", () => resolve(false));
  });
}

export async function postgresAvailable() {
  if (!(await tcpReachable(ADMIN_URL))) return false;
  const client = new pg.Client({ connectionString: ADMIN_URL });
  try {
    await client.connect();
    await client.query("SELECT 1");
    return true;
  } catch {
    return false;
  } finally {
    await client.end().catch(() => {});
  }
}

export const redisAvailable = () => tcpReachable(REDIS_URL);
export const chromiumAvailable = () => existsSync(CHROMIUM);

export function requireInCI(what: string, available: boolean) {
  if (!available && isCI)
    throw new Error(`${what} is required when CI=true, and it is not available. .ci/run starts it; see README.md.`);
  if (!available)
    console.warn(`\n[tests] ${what} not available: the tests that need it are skipped (they never skip in CI).\n`);
  return available;
}

export type TestDatabase = { url: string; kind: "postgres" | "pglite"; drop: () => Promise<void> };

/** A fresh, migrated database of its own for one test file, so files can run in parallel. */
export async function createTestDatabase(): Promise<TestDatabase> {
  if (await postgresAvailable()) {
    const name = `gridwork_test_${randomBytes(6).toString("hex")}`;
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    const url = new URL(ADMIN_URL);
    url.pathname = `/${name}`;
    await migrate(url.toString());
    return {
      url: url.toString(),
      kind: "postgres",
      async drop() {
        const c = new pg.Client({ connectionString: ADMIN_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
        await c.end();
      },
    };
  }
  requireInCI("PostgreSQL on " + ADMIN_URL, false);
  return createPgliteDatabase();
}

export async function createPgliteDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(path.join(tmpdir(), "gridwork-pglite-"));
  const embedded = await startEmbeddedPostgres(dir);
  await migrate(embedded.url);
  return {
    url: embedded.url,
    kind: "pglite",
    async drop() {
      await embedded.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
