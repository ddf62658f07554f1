// Writes outbox rows and says which rows a statement actually wrote, so the caller can hand exactly
// those to the job runner after its commit (docs/decisions/025-outbox-relay.md).
import { Prisma } from "#app/generated/prisma/client";
import type { Tx } from "./db.server";

/** An outbox row a transaction wrote: what the relay hands on after the commit. */
export type OutboxRef = { id: string; runAt: Date };

export type OutboxRow = { tenantId: string; kind: string; payload: object; dedupeKey: string; runAt: Date };

/**
 * `INSERT INTO "OutboxJob"` skipping dedupe keys already written, `RETURNING id, "runAt"` of the rows
 * it inserted: alone, or as a CTE of a statement that writes other rows too (ADR 044).
 */
export function outboxInsertSql(rows: readonly OutboxRow[]): Prisma.Sql {
  const json = rows.map((r) => ({
    tenantId: r.tenantId,
    kind: r.kind,
    payload: r.payload,
    dedupeKey: r.dedupeKey,
    runAt: r.runAt.toISOString(),
  }));
  // createdAt in UTC as Prisma wrote it (the column's CURRENT_TIMESTAMP default would follow the session's time zone).
  return Prisma.sql`INSERT INTO "OutboxJob" (id, "tenantId", kind, payload, "dedupeKey", "runAt", "createdAt")
    SELECT gen_random_uuid(), "tenantId", kind, payload, "dedupeKey", "runAt", (clock_timestamp() AT TIME ZONE 'UTC')::timestamp(3)
    FROM jsonb_to_recordset(${JSON.stringify(json)}::jsonb) AS x("tenantId" uuid, kind text, payload jsonb, "dedupeKey" text, "runAt" timestamp(3))
    ON CONFLICT DO NOTHING
    RETURNING id, "runAt"`;
}

/** Inserts the rows, skipping dedupe keys already written; returns only the rows this call inserted. */
export function writeOutbox(tx: Tx, rows: readonly OutboxRow[]): Promise<OutboxRef[]> {
  if (!rows.length) return Promise.resolve([]);
  return tx.$queryRaw<OutboxRef[]>(outboxInsertSql(rows));
}
