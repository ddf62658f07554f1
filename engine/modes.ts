// Peacetime and wartime (平战转换). Switching is one command on the tenant; everything that
// differs by mode reads the tenant's current mode from the case state: the duration and reminders
// of new deadlines (deadlinePolicies.*.wartime / wartimeReminders), who is on duty (dutyRota.wartime),
// who analyses each grade (modes.<mode>.grades) and how urgent notifications are (modes.<mode>.urgency).
// Deadlines already running keep the mode they were set in.
import { actorMatches, gradeAnalysis, resolveRecipients } from "./actors";
import type { ActorContext, Mode } from "./case-state";
import type { CompiledConfig } from "./config/compile";
import type { Outcome, Urgency } from "./outcomes";
import type { Issue } from "./issues";
import type { WorkflowRefusal } from "./workflow";

export { gradeAnalysis };

export type TenantModeState = { tenantId: string; mode: Mode; version: number };
export type SwitchModeCommand = { type: "switch-mode"; to: Mode; reason?: string; expectedVersion: number };
export type ModeDecision =
  | { ok: true; next: TenantModeState; outcomes: Outcome[] }
  | { ok: false; refusal: WorkflowRefusal };

const MODE_NAMES: Record<Mode, { zh: string; en: string }> = {
  peacetime: { zh: "平时", en: "peacetime" },
  wartime: { zh: "战时", en: "wartime" },
};

export function modeUrgency(config: CompiledConfig, mode: Mode): Urgency {
  return config.config.modes?.[mode]?.urgency ?? "normal";
}

/** Who may switch modes: `modes.switchBy`, by default any leadership post holder. */
export function switchers(config: CompiledConfig): string[] {
  return config.config.modes?.switchBy ?? ["$leadership"];
}

const refuse = (kind: WorkflowRefusal["kind"], issue: Issue): ModeDecision => ({
  ok: false,
  refusal: { kind, issues: [issue] },
});

export function decideModeSwitch(
  config: CompiledConfig,
  tenant: TenantModeState,
  command: SwitchModeCommand,
  actor: ActorContext,
  now: Date,
): ModeDecision {
  if (actor.kind !== "township" || actor.tenantId !== tenant.tenantId) {
    return refuse("not-allowed", {
      path: "",
      code: "mode.not-allowed",
      message: { zh: "您无权切换本镇的平战状态", en: "You may not switch this township's mode" },
    });
  }
  if (command.expectedVersion !== tenant.version) {
    return refuse("stale-version", {
      path: "/expectedVersion",
      code: "version.stale",
      message: { zh: "状态已被他人更新，请刷新后重试", en: "Someone else changed this first; reload and try again" },
    });
  }
  if (command.to === tenant.mode) {
    const name = MODE_NAMES[command.to];
    return refuse("wrong-state", {
      path: "/to",
      code: "mode.unchanged",
      message: { zh: `当前已是${name.zh}状态`, en: `Already in ${name.en}` },
    });
  }
  if (!switchers(config).some((entry) => actorMatches(config, undefined, tenant.mode, actor, entry))) {
    return refuse("not-allowed", {
      path: "",
      code: "mode.not-allowed",
      message: { zh: "您无权切换本镇的平战状态", en: "You may not switch this township's mode" },
    });
  }
  const at = now.toISOString();
  const version = tenant.version + 1;
  const recipients = resolveRecipients(
    config,
    undefined,
    command.to,
    config.config.modes?.[command.to]?.notifyOnSwitch ?? ["$leadership"],
    now,
  );
  return {
    ok: true,
    next: { tenantId: tenant.tenantId, mode: command.to, version },
    outcomes: [
      { type: "mode-changed", tenantId: tenant.tenantId, from: tenant.mode, to: command.to, at, version },
      {
        type: "audit",
        event: "tenant.mode-switched",
        data: { from: tenant.mode, to: command.to, reason: command.reason ?? null, by: actor.userId, at },
      },
      {
        type: "notify",
        ...recipients,
        kind: "tenant.mode-switched",
        urgency: modeUrgency(config, command.to),
        data: { from: tenant.mode, to: command.to },
        dedupeKey: `tenant:${tenant.tenantId}:mode:v${version}:${command.to}`,
      },
    ],
  };
}
