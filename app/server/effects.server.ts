// Applies a decision's outcomes (engine/outcomes.ts) inside the caller's transaction. Every write is idempotent on the
// outcome's dedupe key, so applying the same decision twice (a retried sweep) changes nothing.
import type { Outcome } from "#engine/outcomes";
import { localYearMonth } from "#engine/time";
import { Prisma } from "#app/generated/prisma/client";
import { auditInsertSql, chainAudits, type AuditEntry } from "./audit.server";
import type { Tx } from "./db.server";
import { outboxInsertSql, writeOutbox, type OutboxRef, type OutboxRow } from "./outbox.server";
import { auditMakesFacts } from "./scoring-facts.server";

async function nextNumber(tx: Tx, tenantId: string, name: string, year: number) {
  const counterName = `${name}:${year}`;
  const [row] = await tx.$queryRaw<Array<{ value: number }>>`
    INSERT INTO "TenantCounter" ("tenantId", name, value) VALUES (${tenantId}::uuid, ${counterName}, 1)
    ON CONFLICT ("tenantId", name) DO UPDATE SET value = "TenantCounter".value + 1
    RETURNING value`;
  return `${year}-${String(row!.value).padStart(6, "0")}`;
}

/** `timeZone`: the tenant config's, for per-year numbering (a sheet issued on 31 December local time counts in that year). */
export type OutcomeContext = {
  tenantId: string;
  actorId: string | null;
  caseId: string | null;
  caseTitle: string;
  now: Date;
  timeZone: string;
};

/**
 * What applying one outcome leaves for the end: audit entries and outbox rows to write, and which
 * audit entry asks for scoring.
 */
type Applied = { audits: AuditEntry[]; outbox: OutboxRow[]; scoreIndex?: number };
type Apply<T extends Outcome["type"]> = (
  tx: Tx,
  ctx: OutcomeContext,
  outcome: Extract<Outcome, { type: T }>,
  applied: Applied,
) => Promise<void>;

// Each outcome type is applied here and nowhere else; a new type without an entry is a type error.
const APPLY: { [T in Outcome["type"]]: Apply<T> } = {
  async audit(_tx, ctx, o, applied) {
    if (ctx.caseId && auditMakesFacts(o.event, o.data)) applied.scoreIndex = applied.audits.length;
    applied.audits.push({
      tenantId: ctx.tenantId,
      caseId: ctx.caseId,
      actorId: ctx.actorId,
      type: o.event,
      data: o.data,
      at: ctx.now,
    });
  },
  async notify(_tx, ctx, o, applied) {
    applied.outbox.push({
      tenantId: ctx.tenantId,
      kind: "notify",
      payload: {
        posts: o.posts,
        units: o.units ?? [],
        users: o.users ?? [],
        dutyLeaderOn: o.dutyLeaderOn ?? null,
        county: o.county ?? false,
        caseId: o.caseId ?? ctx.caseId,
        kind: o.kind,
        urgency: o.urgency ?? "normal",
        title: ctx.caseTitle,
        data: (o.data ?? {}) as object,
      },
      dedupeKey: o.dedupeKey,
      runAt: ctx.now,
    });
  },
  async escalate(_tx, ctx, o, applied) {
    const notice = {
      tenantId: ctx.tenantId,
      kind: "notify",
      payload: {
        posts: [],
        county: true,
        caseId: o.caseId,
        kind: o.handover ? "case.escalated" : "case.overdue-reported",
        urgency: "urgent",
        title: ctx.caseTitle,
        data: { reason: o.reason },
      },
      dedupeKey: o.dedupeKey,
      runAt: ctx.now,
    };
    // A handover opens the county's own linked case (ADR 039), whose intake tells the posts the
    // county's config names; the job sends this notice instead when the county has no config.
    const row = o.handover
      ? {
          tenantId: ctx.tenantId,
          kind: "county-intake",
          payload: { caseId: o.caseId, reason: o.reason, notice },
          dedupeKey: `${o.dedupeKey}:county-intake`,
          runAt: ctx.now,
        }
      : notice;
    applied.outbox.push(row);
  },
  async "supervision-sheet"(tx, ctx, o) {
    if (await tx.supervisionSheet.findUnique({ where: { dedupeKey: o.dedupeKey }, select: { id: true } })) return;
    const issuedAt = new Date(o.issuedAt);
    await tx.supervisionSheet.create({
      data: {
        tenantId: o.tenantId,
        caseId: o.caseId,
        number: await nextNumber(tx, o.tenantId, o.sequence, localYearMonth(ctx.timeZone, issuedAt).year),
        trigger: o.trigger,
        deadlineKind: o.deadlineKind ?? null,
        dueAt: o.dueAt ? new Date(o.dueAt) : null,
        issuedAt,
        respondBy: o.respondBy ? new Date(o.respondBy) : null,
        toUnitIds: o.toUnitIds,
        toUserIds: o.toUserIds,
        copyPosts: o.copyPosts,
        urgency: o.urgency,
        dedupeKey: o.dedupeKey,
      },
    });
  },
  async "principal-talk"(tx, _ctx, o) {
    await tx.principalTalk.createMany({
      data: [
        {
          tenantId: o.tenantId,
          caseId: o.caseId,
          principalPost: o.principalPost,
          withUnitIds: o.withUnitIds,
          withUserIds: o.withUserIds,
          scheduleBy: new Date(o.scheduleBy),
          dedupeKey: o.dedupeKey,
        },
      ],
      skipDuplicates: true,
    });
  },
  async "supervision-closed"(tx, _ctx, o) {
    const at = new Date(o.at);
    await tx.supervisionSheet.updateMany({
      where: { caseId: o.caseId, status: "open" },
      data: { status: "closed", closedAt: at },
    });
    await tx.principalTalk.updateMany({ where: { caseId: o.caseId, status: "open" }, data: { status: "closed" } });
  },
  async "mode-changed"(tx, _ctx, o) {
    await tx.tenant.updateMany({
      where: { id: o.tenantId, modeVersion: o.version - 1 },
      data: { mode: o.to, modeVersion: o.version, modeChangedAt: new Date(o.at) },
    });
  },
  // The case row's `deadlines` (from the decision's next state) is the record; the audit entry tells the story.
  "deadline-set": async () => {},
  "deadline-paused": async () => {},
  "deadline-resumed": async () => {},
  "deadline-cleared": async () => {},
};

/**
 * Applies the outcomes; returns the outbox rows it wrote (with `extraOutbox`, rows the caller adds),
 * for the caller to hand on after its commit. The audit entries and the outbox rows go in one
 * statement after the chain's head is read (ADR 044).
 */
export async function applyOutcomes(
  tx: Tx,
  ctx: OutcomeContext,
  outcomes: readonly Outcome[],
  extraOutbox: readonly OutboxRow[] = [],
): Promise<OutboxRef[]> {
  const applied: Applied = { audits: [], outbox: [] };
  for (const outcome of outcomes) await (APPLY[outcome.type] as Apply<Outcome["type"]>)(tx, ctx, outcome, applied);
  const audits = await chainAudits(tx, ctx.tenantId, applied.audits);
  // Scoring (docs/decisions/013): one job per case and decision re-evaluates the case's trail.
  const scoreSeq = applied.scoreIndex === undefined ? undefined : audits[applied.scoreIndex]?.seq;
  if (ctx.caseId && scoreSeq !== undefined) {
    applied.outbox.push({
      tenantId: ctx.tenantId,
      kind: "score",
      payload: { caseId: ctx.caseId },
      dedupeKey: `score:${ctx.caseId}:v${scoreSeq}`,
      runAt: ctx.now,
    });
  }
  const outbox = [...applied.outbox, ...extraOutbox];
  if (!audits.length) return writeOutbox(tx, outbox);
  if (!outbox.length) {
    await tx.$executeRaw(auditInsertSql(audits));
    return [];
  }
  return tx.$queryRaw<OutboxRef[]>(
    Prisma.sql`WITH a AS (${auditInsertSql(audits)}), o AS (${outboxInsertSql(outbox)}) SELECT id, "runAt" FROM o`,
  );
}
