// The minimal anchor for `npm run bench:http`: plain node:http + pg + ajv doing the same create and
// transition transactions as Gridwork on the same tables (session lookup, Origin check, JSON Schema
// check, numbered case, hash-chained audit entry under the tenant's advisory lock, outbox row, one
// transaction). No framework, no ORM, no permissions engine, no job runner: a floor, not a rival.
// Run by bench/http.ts with DATABASE_URL and ANCHOR_TENANT_ID; prints "ANCHOR_READY <url>".
import { createHash, randomUUID } from "node:crypto";
import http from "node:http";
import type { AddressInfo } from "node:net";
import { Ajv } from "ajv";
import pg from "pg";

const tenantId = process.env.ANCHOR_TENANT_ID!;
const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.ANCHOR_POOL) || 10 });
const ajv = new Ajv({ allErrors: true });
const checkDispute = ajv.compile({
  type: "object",
  required: ["categoryId", "data"],
  properties: {
    categoryId: { const: "dispute" },
    data: {
      type: "object",
      required: ["summary", "parties", "location"],
      properties: {
        summary: { type: "string", minLength: 2, maxLength: 500 },
        parties: { type: "integer", minimum: 1, maximum: 100 },
        location: { type: "string", maxLength: 200 },
        partyPhone: { type: "string", pattern: "^1\\d{10}$" },
        partyIdNumber: { type: "string", pattern: "^\\d{17}[\\dX]$" },
      },
      additionalProperties: false,
    },
  },
});
const checkTriage = ajv.compile({
  type: "object",
  required: ["transitionId", "input", "expectedVersion"],
  properties: {
    transitionId: { const: "triage" },
    input: { type: "object", required: ["gradeId"], properties: { gradeId: { enum: ["general", "major", "urgent"] } } },
    expectedVersion: { type: "integer" },
  },
});

const SESSION = `SELECT s."userId", m."unitId" FROM "Session" s JOIN "Membership" m ON m."userId" = s."userId" AND m."tenantId" = $2 AND m.active
  WHERE s.id = $1 AND s."expiresAt" > now()`;

async function audit(c: pg.PoolClient, caseId: string, actorId: string, type: string, data: object) {
  await c.query({
    name: "audit-lock",
    text: `SELECT pg_advisory_xact_lock(hashtext($1))`,
    values: ["audit:" + tenantId],
  });
  const last = (
    await c.query({
      name: "audit-last",
      text: `SELECT seq, hash FROM "AuditEvent" WHERE "tenantId" = $1 ORDER BY seq DESC LIMIT 1`,
      values: [tenantId],
    })
  ).rows[0];
  const seq = (last?.seq ?? 0) + 1;
  const at = new Date();
  const hash = createHash("sha256")
    .update(last?.hash ?? "genesis")
    .update(JSON.stringify({ seq, tenantId, caseId, actorId, type, data, at }))
    .digest("hex");
  await c.query({
    name: "audit-insert",
    text: `INSERT INTO "AuditEvent" ("tenantId", "caseId", "actorId", type, data, at, seq, "prevHash", hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
    values: [tenantId, caseId, actorId, type, data, at, seq, last?.hash ?? "genesis", hash],
  });
}

// Written as done: the anchor has no job runner, and the app's sweep must not pick these up.
const outbox = (c: pg.PoolClient, caseId: string, kind: string) =>
  c.query({
    name: "outbox",
    text: `INSERT INTO "OutboxJob" (id, "tenantId", kind, payload, "dedupeKey", "runAt", status) VALUES ($1, $2, 'notify', $3, $4, now(), 'done')`,
    values: [randomUUID(), tenantId, { kind, caseId, posts: ["routing"] }, `anchor:${randomUUID()}`],
  });

async function inTransaction<T>(fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    await c.query("BEGIN");
    const out = await fn(c);
    await c.query("COMMIT");
    return out;
  } catch (error) {
    await c.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    c.release();
  }
}

async function create(actor: { userId: string; unitId: string }, input: { data: Record<string, unknown> }) {
  return inTransaction(async (c) => {
    const year = new Date().getUTCFullYear();
    const counter = await c.query({
      name: "counter",
      text: `INSERT INTO "TenantCounter" ("tenantId", name, value) VALUES ($1, $2, 1) ON CONFLICT ("tenantId", name) DO UPDATE SET value = "TenantCounter".value + 1 RETURNING value`,
      values: [tenantId, `case:${year}`],
    });
    const id = randomUUID();
    await c.query({
      name: "case-insert",
      text: `INSERT INTO "Case" (id, "tenantId", number, "configVersion", "workflowId", "categoryId", "gradeId", "platformId", state, title, data, "reporterId", "orgUnitId", "updatedAt")
             VALUES ($1, $2, $3, 1, 'standard', 'dispute', 'general', 'platform-safety', 'reported', $4, $5, $6, $7, now())`,
      values: [
        id,
        tenantId,
        `${year}-${String(counter.rows[0].value).padStart(6, "0")}`,
        String(input.data.summary),
        input.data,
        actor.userId,
        actor.unitId,
      ],
    });
    await audit(c, id, actor.userId, "case.reported", { categoryId: "dispute" });
    await outbox(c, id, "case.reported");
    return id;
  });
}

async function triage(
  actor: { userId: string },
  caseId: string,
  cmd: { input: { gradeId: string }; expectedVersion: number },
) {
  return inTransaction(async (c) => {
    const updated = await c.query({
      name: "case-update",
      text: `UPDATE "Case" SET state = 'triaged', "gradeId" = $3, version = version + 1, "updatedAt" = now() WHERE id = $1 AND "tenantId" = $4 AND version = $2 AND state = 'reported'`,
      values: [caseId, cmd.expectedVersion, cmd.input.gradeId, tenantId],
    });
    if (updated.rowCount !== 1) return false;
    await audit(c, caseId, actor.userId, "case.triaged", { gradeId: cmd.input.gradeId });
    await outbox(c, caseId, "case.triage");
    return true;
  });
}

const server = http.createServer((req, res) => {
  const chunks: Buffer[] = [];
  req.on("data", (c: Buffer) => chunks.push(c));
  req.on("end", () => {
    void (async () => {
      const origin = `http://${req.headers.host}`;
      if (req.method !== "POST" || req.headers.origin !== origin) return res.writeHead(403).end();
      const sid = /(?:^|;\s*)sid=([^;]+)/.exec(req.headers.cookie ?? "")?.[1];
      const actor = sid
        ? (await pool.query({ name: "session", text: SESSION, values: [sid, tenantId] })).rows[0]
        : undefined;
      if (!actor) return res.writeHead(401).end();
      const payload = JSON.parse(new URLSearchParams(Buffer.concat(chunks).toString()).get("payload") ?? "null");
      if (req.url === "/report") {
        if (!checkDispute(payload))
          return res.writeHead(422, { "Content-Type": "application/json" }).end(JSON.stringify(checkDispute.errors));
        const id = await create(actor, payload);
        return res.writeHead(302, { Location: `/cases/${id}` }).end();
      }
      const caseId = /^\/cases\/([0-9a-f-]{36})$/.exec(req.url ?? "")?.[1];
      if (!caseId) return res.writeHead(404).end();
      if (!checkTriage(payload)) return res.writeHead(422).end();
      return (await triage(actor, caseId, payload))
        ? res.writeHead(302, { Location: `/cases/${caseId}` }).end()
        : res.writeHead(409).end();
    })().catch((error) => {
      console.error(error);
      res.writeHead(500).end();
    });
  });
});
server.listen(0, "127.0.0.1", () =>
  console.log(`ANCHOR_READY http://127.0.0.1:${(server.address() as AddressInfo).port}`),
);
process.once("SIGTERM", () => process.exit(0));
