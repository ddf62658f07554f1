// The ledger's origin column (docs/decisions/026-one-scoring-path.md): a database migrated before it,
// holding rule lines, a reversal, a correction and a line of the retired workflow `score` action,
// is migrated on; each line gets its origin, the period ledger the screens read leaves out the
// action's line, and the ledger stays append-only.
import { cpSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createPrisma, type Db } from "#app/server/db.server";
import { migrate } from "#app/server/migrate.server";
import { periodLedger } from "#app/server/scoring.server";
import { periodFromKey } from "#engine/scoring/index";
import { ADMIN_URL, postgresAvailable, requireInCI } from "#tests/setup/services";

const migrations = fileURLToPath(new URL("../../prisma/migrations/", import.meta.url));
const ORIGIN_MIGRATION = readdirSync(migrations).find((n) => n.endsWith("_score_origin"))!;
const TENANT = "00000000-0000-4000-8000-000000000001";

const hasPostgres = requireInCI("PostgreSQL", await postgresAvailable());

describe.runIf(hasPostgres)("migrating the score ledger to an origin column", () => {
  const name = `gridwork_test_origin_${process.pid}_${Date.now()}`;
  const url = new URL(ADMIN_URL);
  url.pathname = `/${name}`;
  let before: string;
  let client: pg.Client;
  let db: Db;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE ${name}`);
    await admin.end();
    // Every migration before the origin column, as a database deployed before it has.
    before = mkdtempSync(path.join(tmpdir(), "gridwork-migrations-"));
    for (const m of readdirSync(migrations).filter((n) => /^\d/.test(n) && n < ORIGIN_MIGRATION))
      cpSync(path.join(migrations, m), path.join(before, m), { recursive: true });
    await migrate(url.toString(), before);
    client = new pg.Client({ connectionString: url.toString() });
    await client.connect();
    await client.query(`INSERT INTO "Tenant" (id, code, name, kind) VALUES ($1, 'origin-test', '测试镇', 'township')`, [
      TENANT,
    ]);
    const line = (rule: string, points: number, key: string) =>
      client.query(
        `INSERT INTO "ScoreEntry" ("tenantId", rule, "targetKind", "targetId", points, at, "dedupeKey") VALUES ($1, $2, 'unit', 'village-a', $3, '2026-03-10T02:00:00Z', $4)`,
        [TENANT, rule, points, key],
      );
    await line("closed-late", -3, "score:t:closed-late:12:unit:village-a");
    await line("closed-late", 3, "score:t:closed-late:12:unit:village-a:reversed");
    await line(
      "supervision-sheet",
      -2,
      "score:t:supervision-sheet:14:unit:village-a:recompute:v2@2026-03-31T00:00:00.000Z",
    );
    await line("overdue", -2, "case:c1:deadline:handle@3:step:4:unit:village-a");
    await migrate(url.toString(), migrations);
    db = createPrisma(url.toString());
  });

  afterAll(async () => {
    await db?.$disconnect();
    await client?.end();
    if (before) rmSync(before, { recursive: true, force: true });
    const admin = new pg.Client({ connectionString: ADMIN_URL });
    await admin.connect();
    await admin.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await admin.end();
  });

  it("each existing line is told its origin by its key", async () => {
    const rows = await client.query<{ origin: string; rule: string }>(
      `SELECT origin::text, rule FROM "ScoreEntry" ORDER BY id`,
    );
    expect(rows.rows.map((r) => [r.rule, r.origin])).toEqual([
      ["closed-late", "rule"],
      ["closed-late", "reversal"],
      ["supervision-sheet", "correction"],
      ["overdue", "effect"],
    ]);
  });

  it("the period ledger the scores page and rankings read leaves out the retired action's line", async () => {
    const ledger = await periodLedger(db, TENANT, periodFromKey("Asia/Shanghai", "2026-03")!);
    expect(ledger.map((l) => [l.rule, l.origin, l.points])).toEqual([
      ["closed-late", "rule", -3],
      ["closed-late", "reversal", 3],
      ["supervision-sheet", "correction", -2],
    ]);
  });

  it("the ledger stays append-only, and a new line must say where it comes from", async () => {
    await expect(client.query(`UPDATE "ScoreEntry" SET points = 0`)).rejects.toThrow(/append-only/);
    await expect(
      client.query(
        `INSERT INTO "ScoreEntry" ("tenantId", rule, "targetKind", "targetId", points, at, "dedupeKey") VALUES ($1, 'r', 'unit', 'u', 1, now(), 'k')`,
        [TENANT],
      ),
    ).rejects.toThrow(/origin/);
  });
});
