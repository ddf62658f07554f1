// Signed checkpoints of each tenant's audit chain head (docs/decisions/005-audit-trail.md): written
// by the job runner and `npm run audit:checkpoint`, exported as JSON lines for a county to keep.
import { chainMessageText, verifyAuditChain, type Checkpoint } from "./audit.server";
import { checkpointPayload, checkpointPublicKey, signCheckpoint } from "./audit-crypto.server";
import type { Db } from "./db.server";
import { env } from "./env.server";

export type CheckpointResult = { code: string; written: boolean; seq?: number; refused?: string };

/**
 * Signs the head of each tenant's chain that moved since its last checkpoint (and, unless `force`,
 * whose last checkpoint is at least `minAgeMs` old). The chain since the last checkpoint is
 * verified first: a broken chain is reported, never signed.
 */
export async function writeCheckpoints(
  db: Db,
  now: Date,
  options: { codes?: string[]; minAgeMs?: number; force?: boolean } = {},
): Promise<CheckpointResult[]> {
  const tenants = await db.tenant.findMany({
    where: options.codes?.length ? { code: { in: options.codes } } : {},
    orderBy: { code: "asc" },
    select: { id: true, code: true },
  });
  const results: CheckpointResult[] = [];
  for (const t of tenants) {
    const head = await db.auditEvent.findFirst({
      where: { tenantId: t.id },
      orderBy: { seq: "desc" },
      select: { seq: true, hash: true },
    });
    const last = await db.auditCheckpoint.findFirst({
      where: { tenantId: t.id },
      orderBy: [{ seq: "desc" }, { at: "desc" }],
    });
    if (!head ? !last : last && last.seq === head.seq && last.hash === head.hash) {
      results.push({ code: t.code, written: false });
      continue;
    }
    if (!options.force && last && now.getTime() - last.at.getTime() < (options.minAgeMs ?? 0)) {
      results.push({ code: t.code, written: false });
      continue;
    }
    // Rows up to the head are immutable, so verifying without the append lock is sound.
    const check = await verifyAuditChain(db, t.id, last ? { checkpoints: [last], from: last } : { checkpoints: [] });
    if (!check.ok) {
      results.push({ code: t.code, written: false, refused: chainMessageText(check.message) });
      continue;
    }
    const row = await db.auditEvent.findUniqueOrThrow({
      where: { tenantId_seq: { tenantId: t.id, seq: check.count } },
      select: { seq: true, hash: true },
    });
    const fields = { tenantId: t.id, seq: row.seq, hash: row.hash, at: now };
    await db.auditCheckpoint.create({ data: { ...fields, ...signCheckpoint(fields) } });
    results.push({ code: t.code, written: true, seq: row.seq });
  }
  return results;
}

const globalForCheckpoints = globalThis as unknown as { gridworkCheckpointScan?: number };

/** The job runner's periodic part: at most one scan a minute, a checkpoint per changed chain every AUDIT_CHECKPOINT_MINUTES. Never throws. */
export async function writeDueCheckpoints(db: Db, now: Date): Promise<number> {
  const previous = globalForCheckpoints.gridworkCheckpointScan;
  if (previous !== undefined && now.getTime() - previous < 60_000) return 0;
  globalForCheckpoints.gridworkCheckpointScan = now.getTime();
  try {
    const results = await writeCheckpoints(db, now, { minAgeMs: env.auditCheckpointMinutes * 60_000 });
    for (const r of results)
      if (r.refused) console.error(`[audit] ${r.code}: chain broken, no checkpoint written: ${r.refused}`);
    return results.filter((r) => r.written).length;
  } catch (error) {
    console.error("[audit] checkpoints failed:", (error as Error).message);
    return 0;
  }
}

type ExportedCheckpoint = Omit<Checkpoint, "at"> & { tenant: string; at: string; payload: string; publicKey: string };

/** JSON lines, one per checkpoint, each with the signed payload and the public key to check it with. */
export async function exportCheckpoints(db: Db, tenantIds?: string[]): Promise<string> {
  const rows = await db.auditCheckpoint.findMany({
    where: tenantIds ? { tenantId: { in: tenantIds } } : {},
    orderBy: [{ tenantId: "asc" }, { seq: "asc" }, { id: "asc" }],
    include: { tenant: { select: { code: true } } },
  });
  const { publicKey } = rows.length ? checkpointPublicKey() : { publicKey: "" };
  return rows
    .map((r) => {
      const line: ExportedCheckpoint = {
        tenant: r.tenant.code,
        tenantId: r.tenantId,
        seq: r.seq,
        hash: r.hash,
        at: r.at.toISOString(),
        keyId: r.keyId,
        signature: r.signature,
        payload: checkpointPayload(r),
        publicKey,
      };
      return JSON.stringify(line) + "\n";
    })
    .join("");
}

/** Reads an export back; a line that is not a checkpoint throws with its line number. */
export function parseCheckpointLines(text: string): Checkpoint[] {
  return text
    .split("\n")
    .map((line, i) => [line.trim(), i + 1] as const)
    .filter(([line]) => line)
    .map(([line, n]) => {
      const v = JSON.parse(line) as Partial<ExportedCheckpoint>;
      if (
        typeof v.tenantId !== "string" ||
        typeof v.seq !== "number" ||
        typeof v.hash !== "string" ||
        typeof v.at !== "string" ||
        typeof v.keyId !== "string" ||
        typeof v.signature !== "string"
      ) {
        throw new Error(`line ${n} is not an exported audit checkpoint`);
      }
      return {
        tenantId: v.tenantId,
        seq: v.seq,
        hash: v.hash,
        at: new Date(v.at),
        keyId: v.keyId,
        signature: v.signature,
      };
    });
}
