// Applies the engine's effects inside the caller's transaction. Every write is idempotent on the
// effect's dedupe key, so applying the same decision twice (a retried sweep) changes nothing.
import type { Outcome } from "../../engine/outcomes.ts";
import { localYearMonth } from "../../engine/time.ts";
import { appendAudit } from "./audit.server.ts";
import type { Tx } from "./db.server.ts";
import { writeOutbox, type OutboxRef } from "./outbox.server.ts";
import { auditMakesFacts } from "./scoring-facts.server.ts";

export async function nextNumber(tx: Tx, tenantId: string, name: string, year: number) {
  const counterName = `${name}:${year}`;
  const [row] = await tx.$queryRaw<Array<{ value: number }>>`
    INSERT INTO "TenantCounter" ("tenantId", name, value) VALUES (${tenantId}::uuid, ${counterName}, 1)
    ON CONFLICT ("tenantId", name) DO UPDATE SET value = "TenantCounter".value + 1
    RETURNING value`;
  return `${year}-${String(row!.value).padStart(6, "0")}`;
}

/** `timeZone`: the tenant config's, for per-year numbering (a sheet issued on 31 December local time counts in that year). */
export type EffectContext = { tenantId: string; actorId: string | null; caseId: string | null; caseTitle: string; now: Date; timeZone: string };

/** Applies the effects; returns the outbox rows it wrote, for the caller to hand on after its commit. */
export async function applyEffects(tx: Tx, ctx: EffectContext, effects: readonly Outcome[]): Promise<OutboxRef[]> {
  const outbox: OutboxRef[] = [];
  let scoreSeq: number | undefined;
  for (const effect of effects) {
    switch (effect.type) {
      case "audit": {
        const audited = await appendAudit(tx, { tenantId: ctx.tenantId, caseId: ctx.caseId, actorId: ctx.actorId, type: effect.event, data: effect.data, at: ctx.now });
        if (ctx.caseId && auditMakesFacts(effect.event, effect.data)) scoreSeq = audited.seq;
        break;
      }
      case "notify":
        outbox.push(
          ...(await writeOutbox(tx, [
            {
              tenantId: ctx.tenantId,
              kind: "notify",
              payload: {
                posts: effect.posts,
                units: effect.units ?? [],
                users: effect.users ?? [],
                dutyLeaderOn: effect.dutyLeaderOn ?? null,
                county: effect.county ?? false,
                caseId: effect.caseId ?? ctx.caseId,
                kind: effect.kind,
                urgency: effect.urgency ?? "normal",
                title: ctx.caseTitle,
                data: (effect.data ?? {}) as object,
              },
              dedupeKey: effect.dedupeKey,
              runAt: ctx.now,
            },
          ])),
        );
        break;
      case "escalate":
        outbox.push(
          ...(await writeOutbox(tx, [
            {
              tenantId: ctx.tenantId,
              kind: "notify",
              payload: { posts: [], county: true, caseId: effect.caseId, kind: effect.handover ? "case.escalated" : "case.overdue-reported", urgency: "urgent", title: ctx.caseTitle, data: { reason: effect.reason } },
              dedupeKey: effect.dedupeKey,
              runAt: ctx.now,
            },
          ])),
        );
        break;
      case "supervision-sheet": {
        if (await tx.supervisionSheet.findUnique({ where: { dedupeKey: effect.dedupeKey }, select: { id: true } })) break;
        const issuedAt = new Date(effect.issuedAt);
        await tx.supervisionSheet.create({
          data: {
            tenantId: effect.tenantId,
            caseId: effect.caseId,
            number: await nextNumber(tx, effect.tenantId, effect.sequence, localYearMonth(ctx.timeZone, issuedAt).year),
            trigger: effect.trigger,
            deadlineKind: effect.deadlineKind ?? null,
            dueAt: effect.dueAt ? new Date(effect.dueAt) : null,
            issuedAt,
            respondBy: effect.respondBy ? new Date(effect.respondBy) : null,
            toUnitIds: effect.toUnitIds,
            toUserIds: effect.toUserIds,
            copyPosts: effect.copyPosts,
            urgency: effect.urgency,
            dedupeKey: effect.dedupeKey,
          },
        });
        break;
      }
      case "principal-talk":
        await tx.principalTalk.createMany({
          data: [
            {
              tenantId: effect.tenantId,
              caseId: effect.caseId,
              principalPost: effect.principalPost,
              withUnitIds: effect.withUnitIds,
              withUserIds: effect.withUserIds,
              scheduleBy: new Date(effect.scheduleBy),
              dedupeKey: effect.dedupeKey,
            },
          ],
          skipDuplicates: true,
        });
        break;
      case "supervision-closed": {
        const at = new Date(effect.at);
        await tx.supervisionSheet.updateMany({ where: { caseId: effect.caseId, status: "open" }, data: { status: "closed", closedAt: at } });
        await tx.principalTalk.updateMany({ where: { caseId: effect.caseId, status: "open" }, data: { status: "closed" } });
        break;
      }
      case "mode-changed":
        await tx.tenant.updateMany({
          where: { id: effect.tenantId, modeVersion: effect.version - 1 },
          data: { mode: effect.to, modeVersion: effect.version, modeChangedAt: new Date(effect.at) },
        });
        break;
      case "deadline-set":
      case "deadline-paused":
      case "deadline-resumed":
      case "deadline-cleared":
        // The case row's `deadlines` (from the decision's next state) is the record; the audit entry tells the story.
        break;
    }
  }
  // Scoring (docs/decisions/013): one job per case and decision re-evaluates the case's trail.
  if (ctx.caseId && scoreSeq !== undefined) {
    outbox.push(...(await writeOutbox(tx, [{ tenantId: ctx.tenantId, kind: "score", payload: { caseId: ctx.caseId }, dedupeKey: `score:${ctx.caseId}:v${scoreSeq}`, runAt: ctx.now }])));
  }
  return outbox;
}
