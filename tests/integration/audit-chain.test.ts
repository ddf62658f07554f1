// The audit chain against someone with the database password (a DBA, or whoever holds
// DATABASE_URL): they can switch off the append-only trigger, delete the last entries, or rewrite
// one and recompute every later hash with the plain function in the code. `audit:verify` must
// say so and where (docs/decisions/005-audit-trail.md).
import { spawn } from "node:child_process";
import { cpSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import pg from "pg";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { appendAudit, legacyAuditHash } from "#app/server/audit.server";
import { createPrisma, type Db, type Tx } from "#app/server/db.server";
import { migrate } from "#app/server/migrate.server";
import { HttpSession, startAppOn, type AppProcess } from "#tests/setup/app-process";
import { createTestDatabase, type TestDatabase } from "#tests/setup/services";
import { validDispute } from "./helpers";

/** Runs one of the audit CLIs as an operator would, against `url`. */
function cli(script: "audit-verify" | "audit-checkpoint", url: string, args: string[] = []) {
  return new Promise<{ code: number | null; out: string }>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", `scripts/${script}.ts`, ...args], {
      env: { ...process.env, DATABASE_URL: url },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (c: Buffer) => (out += c.toString()));
    child.stderr.on("data", (c: Buffer) => (out += c.toString()));
    child.on("error", reject);
    child.on("exit", (code) => resolve({ code, out }));
  });
}

/** Does what the trigger forbids, as the table owner can: off, the statements, on again. */
async function asSuperuser(db: Db, statements: (tx: Tx) => Promise<unknown>) {
  await db.$transaction(async (tx) => {
    await tx.$executeRawUnsafe(`ALTER TABLE "AuditEvent" DISABLE TRIGGER "AuditEvent_append_only"`);
    await tx.$executeRawUnsafe(`ALTER TABLE "AuditCheckpoint" DISABLE TRIGGER "AuditCheckpoint_append_only"`);
    await statements(tx);
    await tx.$executeRawUnsafe(`ALTER TABLE "AuditEvent" ENABLE TRIGGER "AuditEvent_append_only"`);
    await tx.$executeRawUnsafe(`ALTER TABLE "AuditCheckpoint" ENABLE TRIGGER "AuditCheckpoint_append_only"`);
  });
}

/** Rewrites entry `from` (new data) and recomputes every later hash with the unkeyed function. */
async function rewriteAndRecompute(db: Db, tenantId: string, from: number, label: "sha256" | "hmac-sha256") {
  const rows = await db.auditEvent.findMany({ where: { tenantId, seq: { gte: from } }, orderBy: { seq: "asc" } });
  let prevHash = rows[0]!.prevHash;
  await asSuperuser(db, async (tx) => {
    for (const row of rows) {
      const data = row.seq === from ? { forged: "无事发生" } : (row.data as Record<string, unknown>);
      const hash = legacyAuditHash(prevHash, row.seq, {
        tenantId,
        caseId: row.caseId,
        actorId: row.actorId,
        type: row.type,
        data,
        at: row.at,
      });
      await tx.auditEvent.update({
        where: { id: row.id },
        data: { data: data as object, prevHash, hash, hashAlg: label },
      });
      prevHash = hash;
    }
  });
}

describe("the audit chain of a running install", () => {
  let database: TestDatabase;
  let app: AppProcess;
  let db: Db;
  let east: string;
  let checkpointSeq: number;
  /** The app itself may have anchored an earlier head already (it checks once a minute). */
  let firstCheckpointSeq: number;
  let head: number;
  const dir = mkdtempSync(path.join(tmpdir(), "gridwork-audit-"));
  const countyCopy = path.join(dir, "county-checkpoints.jsonl");

  const report = (http: HttpSession) =>
    http.request("/t/east-lake/report", {
      method: "POST",
      body: new URLSearchParams({ payload: JSON.stringify({ categoryId: "dispute", data: validDispute }) }),
    });
  const verify = (...args: string[]) => cli("audit-verify", database.url, args);
  const auditPage = async () => {
    const http = new HttpSession(app.url);
    await http.login("east.director");
    const html = await (await http.request("/t/east-lake/audit")).text();
    return /data-testid="chain-status">([^<]*)</.exec(html)?.[1] ?? "";
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    app = await startAppOn(database);
    db = createPrisma(database.url, database.kind === "pglite");
    east = (await db.tenant.findUniqueOrThrow({ where: { code: "east-lake" } })).id;
    const grid1 = new HttpSession(app.url);
    await grid1.login("east.grid1");
    for (let i = 0; i < 3; i++) expect((await report(grid1)).status).toBe(302);
    const written = await cli("audit-checkpoint", database.url, ["east-lake"]);
    expect(written.code).toBe(0);
    checkpointSeq = Number(/east-lake: checkpoint at seq (\d+)/.exec(written.out)?.[1]);
    firstCheckpointSeq = (
      await db.auditCheckpoint.findFirstOrThrow({ where: { tenantId: east }, orderBy: { seq: "asc" } })
    ).seq;
    // One more case after the checkpoint: entries the checkpoint does not cover yet.
    expect((await report(grid1)).status).toBe(302);
    head = (await db.auditEvent.findFirstOrThrow({ where: { tenantId: east }, orderBy: { seq: "desc" } })).seq;
    expect(head).toBeGreaterThan(checkpointSeq);
    // The county keeps its own copy of the checkpoints, downloaded from its screen.
    const county = new HttpSession(app.url);
    await county.login("county.admin");
    const download = await county.request("/c/demo-county/audit-checkpoints");
    expect(download.status).toBe(200);
    writeFileSync(countyCopy, await download.text());
    await db.$executeRawUnsafe(`CREATE TABLE audit_backup AS SELECT * FROM "AuditEvent"`);
    await db.$executeRawUnsafe(`CREATE TABLE checkpoint_backup AS SELECT * FROM "AuditCheckpoint"`);
  });
  // Each attack starts from the untouched chain.
  afterEach(async () => {
    await asSuperuser(db, async (tx) => {
      await tx.$executeRawUnsafe(`DELETE FROM "AuditEvent"`);
      await tx.$executeRawUnsafe(`INSERT INTO "AuditEvent" SELECT * FROM audit_backup`);
      await tx.$executeRawUnsafe(`DELETE FROM "AuditCheckpoint"`);
      await tx.$executeRawUnsafe(`INSERT INTO "AuditCheckpoint" SELECT * FROM checkpoint_backup`);
    });
  });
  afterAll(async () => {
    await db?.$disconnect();
    await app?.stop();
    await database?.drop();
    rmSync(dir, { recursive: true, force: true });
  });

  it("verifies untouched, anchored by signed checkpoints the app writes itself and a county can download", async () => {
    const { code, out } = await verify();
    expect(code).toBe(0);
    expect(out).toContain(`east-lake: ok, ${head} entries`);
    expect(out).toContain(`anchored by the signed checkpoint at seq ${checkpointSeq}`);
    // The standards body's entries (publishing the seed's templates) were anchored by the app at start.
    expect(out).toMatch(/demo-standards: ok, \d+ entries .*已由第 \d+ 条处的签名检查点锚定/);
    expect(await auditPage()).toContain(`已由第 ${checkpointSeq} 条处的签名检查点锚定`);

    const lines = readFileSync(countyCopy, "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines).toContainEqual(
      expect.objectContaining({
        tenant: "east-lake",
        seq: checkpointSeq,
        publicKey: expect.stringContaining("BEGIN PUBLIC KEY"),
      }),
    );
    // Only a county admin gets them.
    const grid1 = new HttpSession(app.url);
    await grid1.login("east.grid1");
    const refused = await grid1.request("/c/demo-county/audit-checkpoints");
    expect(refused.status).toBeGreaterThanOrEqual(400);
    expect(await refused.text()).not.toContain("signature");
  });

  it("reports deleted last entries with the place, and a county's copy still shows it after the checkpoints are deleted too", async () => {
    const keep = checkpointSeq - 2;
    await asSuperuser(db, (tx) =>
      tx.$executeRawUnsafe(`DELETE FROM "AuditEvent" WHERE "tenantId" = $1::uuid AND seq > $2`, east, keep),
    );
    const where = `entries missing after seq ${keep} (checkpoint at seq ${checkpointSeq})`;

    const found = await verify("east-lake");
    expect(found.code).toBe(1);
    expect(found.out).toContain(`east-lake: BROKEN`);
    expect(found.out).toContain(`第 ${keep} 条之后的记录缺失（检查点在第 ${checkpointSeq} 条） / ${where}`);
    expect(await auditPage()).toContain(`第 ${keep} 条之后的记录缺失（检查点在第 ${checkpointSeq} 条）`);
    // Nor is the shortened chain signed over.
    const signing = await cli("audit-checkpoint", database.url, ["east-lake"]);
    expect(signing.code).toBe(1);
    expect(signing.out).toContain(where);

    await asSuperuser(db, (tx) =>
      tx.$executeRawUnsafe(`DELETE FROM "AuditCheckpoint" WHERE "tenantId" = $1::uuid`, east),
    );
    const withCopy = await verify("--checkpoints", countyCopy, "east-lake");
    expect(withCopy.code).toBe(1);
    expect(withCopy.out).toContain(where);
  });

  it.each([
    [
      "an entry after the checkpoint, relabelled as an unkeyed row",
      (): number => checkpointSeq + 1,
      "sha256",
      (seq: number): string => `edited entry at seq ${seq}`,
    ],
    [
      "an entry the checkpoint covers, keeping the keyed label",
      (): number => checkpointSeq - 1,
      "hmac-sha256",
      (seq: number): string => `edited entry at seq ${seq}`,
    ],
    [
      "every entry from the first, as if the whole chain predated keyed hashing",
      (): number => 1,
      "sha256",
      (): string => `chain does not match the checkpoint at seq ${firstCheckpointSeq}`,
    ],
  ] as const)("reports rewriting %s and recomputing every later hash", async (_what, from, label, where) => {
    await rewriteAndRecompute(db, east, from(), label);
    const { code, out } = await verify("east-lake");
    expect(code).toBe(1);
    expect(out).toContain(where(from()));
    expect(out).toMatch(/east-lake: BROKEN \/ 审计链断开: (第 \d+ 条记录被修改|审计链与第 \d+ 条处的检查点不符)/);
  });

  it("reports a checkpoint whose signature is not the server's", async () => {
    const file = path.join(dir, "forged.jsonl");
    const line = readFileSync(countyCopy, "utf8")
      .split("\n")
      .find((l) => l.includes('"east-lake"'))!;
    const forged = { ...JSON.parse(line), seq: head + 5 };
    writeFileSync(file, JSON.stringify(forged) + "\n");
    const { code, out } = await verify("--checkpoints", file, "east-lake");
    expect(code).toBe(1);
    expect(out).toContain(`checkpoint signature invalid (checkpoint at seq ${head + 5})`);
  });
});

describe("an install upgraded from unkeyed hashing", () => {
  let database: TestDatabase;
  let db: Db;
  afterAll(async () => {
    await db?.$disconnect();
    await database?.drop();
  });

  it("verifies its sha256 prefix followed by keyed entries, and still catches an edit in the prefix", async () => {
    database = await createTestDatabase();
    // The database as the previous release left it: recreate it without this change's migration.
    const old = mkdtempSync(path.join(tmpdir(), "gridwork-migrations-"));
    const all = readdirSync("prisma/migrations")
      .filter((n) => !n.includes("."))
      .sort();
    for (const name of all.slice(
      0,
      all.findIndex((n) => n.endsWith("_audit_hmac_checkpoints")),
    ))
      cpSync(path.join("prisma/migrations", name), path.join(old, name), { recursive: true });
    const admin = new pg.Client({ connectionString: database.url });
    await admin.connect();
    await admin.query(`DROP SCHEMA public CASCADE; CREATE SCHEMA public`);
    await admin.end();
    await migrate(database.url, old);
    rmSync(old, { recursive: true, force: true });

    const client = new pg.Client({ connectionString: database.url });
    await client.connect();
    const tenantId = (
      await client.query<{ id: string }>(
        `INSERT INTO "Tenant" (id, code, kind, name) VALUES (gen_random_uuid(), 'old-town', 'township', '旧镇') RETURNING id`,
      )
    ).rows[0]!.id;
    let prevHash = "genesis";
    for (let seq = 1; seq <= 3; seq++) {
      const entry = {
        tenantId,
        caseId: null,
        actorId: null,
        type: "member.invited",
        data: { n: seq },
        at: new Date(Date.UTC(2026, 10, seq)),
      };
      const hash = legacyAuditHash(prevHash, seq, entry);
      await client.query(
        `INSERT INTO "AuditEvent" ("tenantId", type, data, at, seq, "prevHash", hash) VALUES ($1, $2, $3, $4::timestamptz AT TIME ZONE 'UTC', $5, $6, $7)`,
        [tenantId, entry.type, JSON.stringify(entry.data), entry.at.toISOString(), seq, prevHash, hash],
      );
      prevHash = hash;
    }
    await client.end();

    await migrate(database.url);
    db = createPrisma(database.url, database.kind === "pglite");
    for (let n = 4; n <= 5; n++)
      await db.$transaction((tx) => appendAudit(tx, { tenantId, type: "member.invited", data: { n }, at: new Date() }));
    expect(
      (await db.auditEvent.findMany({ where: { tenantId }, orderBy: { seq: "asc" } })).map((r) => r.hashAlg),
    ).toEqual(["sha256", "sha256", "sha256", "hmac-sha256", "hmac-sha256"]);

    const before = await cli("audit-verify", database.url, ["old-town"]);
    expect(before.code).toBe(0);
    expect(before.out).toContain("old-town: ok, 5 entries");
    expect((await cli("audit-checkpoint", database.url, ["old-town"])).out).toContain("old-town: checkpoint at seq 5");

    // Unkeyed rows can be recomputed by anyone; the first keyed entry after them cannot.
    const rows = await db.auditEvent.findMany({
      where: { tenantId, seq: { gte: 2, lte: 3 } },
      orderBy: { seq: "asc" },
    });
    let prev = rows[0]!.prevHash;
    await asSuperuser(db, async (tx) => {
      for (const row of rows) {
        const data = row.seq === 2 ? { n: 99 } : (row.data as Record<string, unknown>);
        const hash = legacyAuditHash(prev, row.seq, {
          tenantId,
          caseId: null,
          actorId: null,
          type: row.type,
          data,
          at: row.at,
        });
        await tx.auditEvent.update({ where: { id: row.id }, data: { data: data as object, prevHash: prev, hash } });
        prev = hash;
      }
    });
    const after = await cli("audit-verify", database.url, ["old-town"]);
    expect(after.code).toBe(1);
    expect(after.out).toContain("edited entry at seq 4");
  });
});
