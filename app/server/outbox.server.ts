// Writes outbox rows and says which rows a statement actually wrote, so the caller can hand exactly
// those to the job runner after its commit (docs/decisions/025-outbox-relay.md).
import type { Tx } from "./db.server";

/** An outbox row a transaction wrote: what the relay hands on after the commit. */
export type OutboxRef = { id: string; runAt: Date };

export type OutboxRow = { tenantId: string; kind: string; payload: object; dedupeKey: string; runAt: Date };

/** Inserts the rows, skipping dedupe keys already written; returns only the rows this call inserted. */
export function writeOutbox(tx: Tx, rows: OutboxRow[]): Promise<OutboxRef[]> {
  if (!rows.length) return Promise.resolve([]);
  return tx.outboxJob.createManyAndReturn({ data: rows, skipDuplicates: true, select: { id: true, runAt: true } });
}
