// Peacetime and wartime (平战转换). Switching is one command on the tenant; everything that
// differs by mode reads the tenant's current mode from the case state: the duration and reminders
// of new deadlines (deadlinePolicies.*.wartime / wartimeReminders), who is on duty (dutyRota.wartime),
// who analyses each grade (modes.<mode>.grades) and how urgent notifications are (modes.<mode>.urgency).
// Deadlines already running keep the mode they were set in.
import { actorMatches, gradeAnalysis, resolveRecipients } from "./actors";
import type { ActorContext, Mode } from "./case-state";
import type { CompiledConfig } from "./config/compile";
import type { Outcome, Urgency } from "./outcomes";
import { type Issue, issue } from "./issues";
import type { WorkflowRefusal } from "./workflow";

export { gradeAnalysis };

export type TenantModeState = { tenantId: string; mode: Mode; version: number };
export type SwitchModeCommand = { type: "switch-mode"; to: Mode; reason?: string; expectedVersion: number };
export type ModeDecision =
  | { ok: true; next: TenantModeState; outcomes: Outcome[] }
  | { ok: false; refusal: WorkflowRefusal };

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
    return refuse("not-allowed", issue("", "mode.not-allowed"));
  }
  if (command.expectedVersion !== tenant.version) {
    return refuse("stale-version", issue("/expectedVersion", "version.stale", { what: "mode" }));
  }
  if (command.to === tenant.mode) {
    return refuse("wrong-state", issue("/to", "mode.unchanged", { mode: command.to }));
  }
  if (!switchers(config).some((entry) => actorMatches(config, undefined, tenant.mode, actor, entry))) {
    return refuse("not-allowed", issue("", "mode.not-allowed"));
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
