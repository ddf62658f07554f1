// The append-only audit trail, hash-chained per tenant (docs/decisions/005-audit-trail.md):
// hash = sha256(prevHash + canonical JSON of the entry), so any edit or gap shows on verify.
import { createHash } from "node:crypto";
import type { Db, Tx } from "./db.server.ts";

export type AuditEntry = {
  tenantId: string;
  caseId?: string | null;
  actorId?: string | null;
  type: string;
  data: Record<string, unknown>;
  at: Date;
};

const GENESIS = "genesis";

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(",")}]`;
  if (value && typeof value === "object") {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}

export function auditHash(prevHash: string, seq: number, e: AuditEntry): string {
  const body = canonical({ seq, tenantId: e.tenantId, caseId: e.caseId ?? null, actorId: e.actorId ?? null, type: e.type, data: e.data, at: e.at.toISOString() });
  return createHash("sha256").update(prevHash).update(body).digest("hex");
}

/** Appends one entry; must run inside the transaction that makes the change it records. */
export async function appendAudit(tx: Tx, entry: AuditEntry) {
  // Serialise appends per tenant so the chain has no forks.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"audit:" + entry.tenantId}))`;
  const last = await tx.auditEvent.findFirst({ where: { tenantId: entry.tenantId }, orderBy: { seq: "desc" }, select: { seq: true, hash: true } });
  const seq = (last?.seq ?? 0) + 1;
  const prevHash = last?.hash ?? GENESIS;
  return tx.auditEvent.create({
    data: {
      tenantId: entry.tenantId,
      caseId: entry.caseId ?? null,
      actorId: entry.actorId ?? null,
      type: entry.type,
      data: entry.data as object,
      at: entry.at,
      seq,
      prevHash,
      hash: auditHash(prevHash, seq, entry),
    },
  });
}

export type ChainCheck = { ok: true; count: number } | { ok: false; count: number; brokenAt: number; reason: string };

export async function verifyAuditChain(db: Db, tenantId: string): Promise<ChainCheck> {
  let prevHash = GENESIS;
  let expectedSeq = 1;
  let count = 0;
  const pageSize = 1000;
  for (let cursor = 0; ; ) {
    const rows = await db.auditEvent.findMany({ where: { tenantId, seq: { gt: cursor } }, orderBy: { seq: "asc" }, take: pageSize });
    for (const row of rows) {
      if (row.seq !== expectedSeq) return { ok: false, count, brokenAt: expectedSeq, reason: "missing entry" };
      if (row.prevHash !== prevHash) return { ok: false, count, brokenAt: row.seq, reason: "previous hash does not match" };
      const entry = { tenantId, caseId: row.caseId, actorId: row.actorId, type: row.type, data: row.data as Record<string, unknown>, at: row.at };
      if (auditHash(prevHash, row.seq, entry) !== row.hash) return { ok: false, count, brokenAt: row.seq, reason: "entry changed" };
      prevHash = row.hash;
      expectedSeq++;
      count++;
    }
    if (rows.length < pageSize) return { ok: true, count };
    cursor = rows[rows.length - 1]!.seq;
  }
}
