// Peacetime ↔ wartime (平战转换) for a township: the engine decides (engine/modes.ts), this file
// applies the decision in one transaction with the tenant row locked, so two leaders switching at
// once cannot both win, and the switch is audited and announced through the outbox.
import { actorMatches } from "#engine/actors";
import type { Mode } from "#engine/case-state";
import { pickText } from "#engine/i18n";
import { decideModeSwitch, switchers } from "#engine/modes";
import type { WorkflowRefusal } from "#engine/workflow";
import type { Db } from "./db.server";
import { changing } from "./context-cache.server";
import { applyOutcomes } from "./effects.server";
import { relayOutbox } from "./jobs.server";
import type { OutboxRef } from "./outbox.server";
import { afterStaffingChange } from "./stuck.server";
import type { TenantContext } from "./tenancy.server";
import { actorContextFor } from "./workflow.server";

export type ModeState = { mode: Mode; version: number; changedAt: Date | null; canSwitch: boolean };

export async function getModeState(db: Db, ctx: TenantContext, now: Date): Promise<ModeState> {
  const tenant = await db.tenant.findUniqueOrThrow({
    where: { id: ctx.tenant.id },
    select: { mode: true, modeVersion: true, modeChangedAt: true },
  });
  const actor = await actorContextFor(db, ctx, ctx.compiled, tenant.mode, now);
  const canSwitch = switchers(ctx.compiled).some((entry) =>
    actorMatches(ctx.compiled, undefined, tenant.mode, actor, entry),
  );
  return { mode: tenant.mode, version: tenant.modeVersion, changedAt: tenant.modeChangedAt, canSwitch };
}

export type ModeSwitchResult = { ok: true; mode: Mode; version: number } | { ok: false; refusal: WorkflowRefusal };

const MODE_NAMES = { peacetime: { zh: "平时", en: "peacetime" }, wartime: { zh: "战时", en: "wartime" } } as const;

/**
 * Switches the township to `to`. `expectedVersion` is the mode version the user saw; a reason is
 * required, since the switch changes deadlines and duty for everyone and the audit must say why.
 */
export async function switchTenantMode(
  db: Db,
  ctx: TenantContext,
  command: { to: Mode; reason: string; expectedVersion: number },
  now: Date,
): Promise<ModeSwitchResult> {
  const reason = command.reason.trim();
  if (reason.length < 2) {
    return {
      ok: false,
      refusal: {
        kind: "invalid-input",
        issues: [
          {
            path: "/reason",
            code: "mode.reason-missing",
            message: { zh: "请说明切换理由", en: "Give a reason for the switch" },
          },
        ],
      },
    };
  }
  const seen = await db.tenant.findUniqueOrThrow({ where: { id: ctx.tenant.id }, select: { mode: true } });
  const actor = await actorContextFor(db, ctx, ctx.compiled, seen.mode, now);
  let outbox: OutboxRef[] = [];
  const result = await changing(
    ctx.db.transaction(async (tx): Promise<ModeSwitchResult> => {
      const [row] = await tx.$queryRaw<Array<{ mode: Mode; modeVersion: number }>>`
      SELECT mode::text AS mode, "modeVersion" FROM "Tenant" WHERE id = ${ctx.tenant.id}::uuid FOR UPDATE`;
      if (!row) throw new Error(`Tenant ${ctx.tenant.id} is missing`);
      const decision = decideModeSwitch(
        ctx.compiled,
        { tenantId: ctx.tenant.id, mode: row.mode, version: row.modeVersion },
        { type: "switch-mode", to: command.to, reason, expectedVersion: command.expectedVersion },
        actor,
        now,
      );
      if (!decision.ok) return decision;
      // The notification's title: which township, from what to what (kept in Chinese, like case titles).
      const title = `${pickText(ctx.compiled.config.name, "zh-CN")}：${MODE_NAMES[row.mode].zh} → ${MODE_NAMES[command.to].zh}`;
      outbox = await applyOutcomes(
        tx,
        {
          tenantId: ctx.tenant.id,
          actorId: ctx.user.id,
          caseId: null,
          caseTitle: title,
          now,
          timeZone: ctx.compiled.defaults.timeZone,
        },
        decision.outcomes,
      );
      return { ok: true, mode: decision.next.mode, version: decision.next.version };
    }),
    "Tenant",
  );
  await relayOutbox(outbox);
  return afterStaffingChange(ctx, now, result);
}
