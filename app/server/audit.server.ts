// The append-only audit trail, chained per tenant with a server-held key and anchored by signed
// checkpoints (docs/decisions/005-audit-trail.md): hash = HMAC-SHA256(key, prevHash ‖ canonical JSON
// of the entry). Rows from before keyed chaining keep their plain sha256 (hashAlg "sha256").
import { createHash } from "node:crypto";
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

/** Appends one entry; must run inside the transaction that makes the change it records. */
export async function appendAudit(tx: Tx, entry: AuditEntry) {
  const key = hmacKey();
  // Serialise appends per tenant so the chain has no forks.
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${auditLockKey(entry.tenantId)}))`;
  const last = await tx.auditEvent.findFirst({
    where: { tenantId: entry.tenantId },
    orderBy: { seq: "desc" },
    select: { seq: true, hash: true },
  });
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
      hash: auditHash(prevHash, seq, entry, key),
      hashAlg: HMAC_ALG,
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
