// The append-only audit trail, chained per tenant with a server-held key and anchored by signed
// checkpoints (docs/decisions/005-audit-trail.md): hash = HMAC-SHA256(key, prevHash ‖ canonical JSON
// of the entry). Rows from before keyed chaining keep their plain sha256 (hashAlg "sha256").
import { createHash } from "node:crypto";
import { Prisma } from "#app/generated/prisma/client";
import { formatMessage, type MessageKey } from "#app/locales/index";
import { canonical, checkpointSignatureValid, hmacHex, hmacKey } from "./audit-crypto.server";
import type { Db, Tx } from "./db.server";

export type AuditEntry = {
  tenantId: string;
  caseId?: string | null;
  actorId?: string | null;
  type: string;
  data: Record<string, unknown>;
  at: Date;
};

const GENESIS = "genesis";
const HMAC_ALG = "hmac-sha256";
const LEGACY_ALG = "sha256";

function entryBody(seq: number, e: AuditEntry): string {
  return canonical({
    seq,
    tenantId: e.tenantId,
    caseId: e.caseId ?? null,
    actorId: e.actorId ?? null,
    type: e.type,
    data: e.data,
    at: e.at.toISOString(),
  });
}

/** The unkeyed hash of rows written before keyed chaining: anyone can recompute it, so it only counts up to a checkpoint. */
export function legacyAuditHash(prevHash: string, seq: number, e: AuditEntry): string {
  return createHash("sha256").update(prevHash).update(entryBody(seq, e)).digest("hex");
}

function auditHash(prevHash: string, seq: number, e: AuditEntry, key = hmacKey()): string {
  return hmacHex(key, prevHash, entryBody(seq, e));
}

function auditLockKey(tenantId: string) {
  return "audit:" + tenantId;
}

// Transactions that already hold their tenant's chain lock (taken at most once per transaction).
const locked = new WeakMap<Tx, Set<string>>();

/**
 * The chain lock as a SQL expression, for a writer that takes it inside a statement it sends
 * anyway (ADR 044); `markAuditLocked` once that statement has run. Reads of the head must come in
 * a later statement: a statement's snapshot predates the locks it takes.
 */
export const auditLockSql = (tenantId: string) =>
  Prisma.sql`pg_advisory_xact_lock(hashtext(${auditLockKey(tenantId)}))`;

export function markAuditLocked(tx: Tx, tenantId: string) {
  let set = locked.get(tx);
  if (!set) locked.set(tx, (set = new Set()));
  set.add(tenantId);
}

async function lockChain(tx: Tx, tenantId: string) {
  if (locked.get(tx)?.has(tenantId)) return;
  // Serialise appends per tenant so the chain has no forks.
  await tx.$executeRaw`SELECT ${auditLockSql(tenantId)}`;
  markAuditLocked(tx, tenantId);
}

/** An entry with its place in the chain, ready to insert. */
export type ChainedAudit = AuditEntry & { seq: number; prevHash: string; hash: string; hashAlg: string };

/**
 * Takes the chain lock (unless held), reads the head and chains `entries` (one tenant's) after it;
 * the caller inserts them in its transaction, e.g. with `auditInsertSql` in a statement it sends anyway.
 */
export async function chainAudits(tx: Tx, tenantId: string, entries: readonly AuditEntry[]): Promise<ChainedAudit[]> {
  if (!entries.length) return [];
  const key = hmacKey();
  await lockChain(tx, tenantId);
  const [last] = await tx.$queryRaw<Array<{ seq: number; hash: string }>>`
    SELECT seq, hash FROM "AuditEvent" WHERE "tenantId" = ${tenantId}::uuid ORDER BY seq DESC LIMIT 1`;
  let seq = last?.seq ?? 0;
  let prevHash = last?.hash ?? GENESIS;
  return entries.map((e) => {
    seq++;
    const hash = auditHash(prevHash, seq, e, key);
    const chained = { ...e, seq, prevHash, hash, hashAlg: HMAC_ALG };
    prevHash = hash;
    return chained;
  });
}

/** `INSERT INTO "AuditEvent"` of chained entries, as SQL to send alone or as a CTE. */
export function auditInsertSql(rows: readonly ChainedAudit[]): Prisma.Sql {
  const json = rows.map((r) => ({
    tenantId: r.tenantId,
    caseId: r.caseId ?? null,
    actorId: r.actorId ?? null,
    type: r.type,
    data: r.data,
    at: r.at.toISOString(),
    seq: r.seq,
    prevHash: r.prevHash,
    hash: r.hash,
    hashAlg: r.hashAlg,
  }));
  return Prisma.sql`INSERT INTO "AuditEvent" ("tenantId", "caseId", "actorId", type, data, at, seq, "prevHash", hash, "hashAlg")
    SELECT "tenantId", "caseId", "actorId", type, data, at, seq, "prevHash", hash, "hashAlg"
    FROM jsonb_to_recordset(${JSON.stringify(json)}::jsonb) AS x("tenantId" uuid, "caseId" uuid, "actorId" uuid,
      type text, data jsonb, at timestamp(3), seq int, "prevHash" text, hash text, "hashAlg" text)`;
}

/** Appends one entry; must run inside the transaction that makes the change it records. */
export async function appendAudit(tx: Tx, entry: AuditEntry) {
  const [row] = await chainAudits(tx, entry.tenantId, [entry]);
  return tx.auditEvent.create({
    data: {
      tenantId: row!.tenantId,
      caseId: row!.caseId ?? null,
      actorId: row!.actorId ?? null,
      type: row!.type,
      data: row!.data as object,
      at: row!.at,
      seq: row!.seq,
      prevHash: row!.prevHash,
      hash: row!.hash,
      hashAlg: row!.hashAlg,
    },
  });
}

export type Checkpoint = { tenantId: string; seq: number; hash: string; at: Date; keyId: string; signature: string };

type ChainBreak =
  | { kind: "edited"; seq: number }
  | { kind: "missing"; after: number; checkpointSeq?: number }
  | { kind: "checkpoint-mismatch"; checkpointSeq: number }
  | { kind: "signature-invalid"; checkpointSeq: number };

export type ChainCheck =
  | { ok: true; count: number; anchoredAt?: number }
  | ({ ok: false; count: number; message: ChainMessage } & ChainBreak);

type ChainMessage = { key: Extract<MessageKey, `chain.${string}`>; params: Record<string, number> };

function messageOf(b: ChainBreak): ChainMessage {
  switch (b.kind) {
    case "edited":
      return { key: "chain.edited", params: { n: b.seq } };
    case "missing":
      return b.checkpointSeq === undefined
        ? { key: "chain.missing", params: { n: b.after } }
        : { key: "chain.missingCheckpoint", params: { n: b.after, m: b.checkpointSeq } };
    case "checkpoint-mismatch":
      return { key: "chain.checkpointMismatch", params: { m: b.checkpointSeq } };
    case "signature-invalid":
      return { key: "chain.signatureInvalid", params: { m: b.checkpointSeq } };
  }
}

function broken(count: number, b: ChainBreak): ChainCheck {
  return { ok: false, count, message: messageOf(b), ...b };
}

/** "中文 / English" for logs and the CLI; screens render the same key through app/i18n.ts. */
export function chainMessageText(m: ChainMessage): string {
  return `${formatMessage("zh-CN", m.key, m.params)} / ${formatMessage("en", m.key, m.params)}`;
}

export type VerifyOptions = {
  /** Checkpoints to check against, e.g. a county's exported copy; default: the tenant's rows in AuditCheckpoint. */
  checkpoints?: Checkpoint[];
  /** Start after this checkpoint (already verified) instead of at genesis. */
  from?: { seq: number; hash: string };
};

/**
 * Recomputes a tenant's chain and holds it against its signed checkpoints. Names the first place
 * it breaks: an edited entry, entries missing (a gap, or a chain shorter than a checkpoint), a
 * chain recomputed so that it no longer matches a checkpoint, or a checkpoint not signed by us.
 */
export async function verifyAuditChain(
  db: Db | Tx,
  tenantId: string,
  options: VerifyOptions = {},
): Promise<ChainCheck> {
  const checkpoints = (
    options.checkpoints ?? (await db.auditCheckpoint.findMany({ where: { tenantId }, orderBy: { seq: "asc" } }))
  )
    .filter((c) => c.tenantId === tenantId)
    .sort((a, b) => a.seq - b.seq);
  for (const c of checkpoints)
    if (!checkpointSignatureValid(c)) return broken(0, { kind: "signature-invalid", checkpointSeq: c.seq });
  const bySeq = new Map<number, Checkpoint[]>();
  for (const c of checkpoints) bySeq.set(c.seq, [...(bySeq.get(c.seq) ?? []), c]);
  const first = checkpoints[0];
  const last = checkpoints[checkpoints.length - 1];

  if (options.from) {
    // Continuing from a verified checkpoint: its entry must still be there, unchanged.
    const at = await db.auditEvent.findUnique({
      where: { tenantId_seq: { tenantId, seq: options.from.seq } },
      select: { hash: true },
    });
    if (!at) {
      const below = await db.auditEvent.findFirst({
        where: { tenantId, seq: { lt: options.from.seq } },
        orderBy: { seq: "desc" },
        select: { seq: true },
      });
      return broken(below?.seq ?? 0, { kind: "missing", after: below?.seq ?? 0, checkpointSeq: options.from.seq });
    }
    if (at.hash !== options.from.hash)
      return broken(options.from.seq - 1, { kind: "checkpoint-mismatch", checkpointSeq: options.from.seq });
  }
  let key: string | undefined;
  let prevHash = options.from?.hash ?? GENESIS;
  let expectedSeq = (options.from?.seq ?? 0) + 1;
  let keyed = false;
  const pageSize = 1000;
  for (let cursor = expectedSeq - 1; ; ) {
    const rows = await db.auditEvent.findMany({
      where: { tenantId, seq: { gt: cursor } },
      orderBy: { seq: "asc" },
      take: pageSize,
    });
    for (const row of rows) {
      const count = expectedSeq - 1;
      if (row.seq !== expectedSeq)
        return broken(count, {
          kind: "missing",
          after: expectedSeq - 1,
          checkpointSeq: checkpoints.find((c) => c.seq >= expectedSeq)?.seq,
        });
      if (row.prevHash !== prevHash) return broken(count, { kind: "edited", seq: row.seq });
      const entry = {
        tenantId,
        caseId: row.caseId,
        actorId: row.actorId,
        type: row.type,
        data: row.data as Record<string, unknown>,
        at: row.at,
      };
      let hash: string;
      if (row.hashAlg === HMAC_ALG) {
        keyed = true;
        hash = auditHash(prevHash, row.seq, entry, (key ??= hmacKey()));
      } else if (row.hashAlg === LEGACY_ALG && !keyed && !(first && row.seq > first.seq)) {
        // Unkeyed rows only before the first keyed row and before the first checkpoint: every
        // checkpoint is written by code that chains with the key, so a later one is a downgrade.
        hash = legacyAuditHash(prevHash, row.seq, entry);
      } else {
        return broken(count, { kind: "edited", seq: row.seq });
      }
      if (hash !== row.hash) return broken(count, { kind: "edited", seq: row.seq });
      for (const c of bySeq.get(row.seq) ?? [])
        if (c.hash !== row.hash) return broken(count, { kind: "checkpoint-mismatch", checkpointSeq: c.seq });
      prevHash = row.hash;
      expectedSeq++;
    }
    if (rows.length < pageSize) break;
    cursor = rows[rows.length - 1]!.seq;
  }
  const count = expectedSeq - 1;
  if (last && last.seq > count) return broken(count, { kind: "missing", after: count, checkpointSeq: last.seq });
  return last ? { ok: true, count, anchoredAt: last.seq } : { ok: true, count };
}
