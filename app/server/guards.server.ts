import type { Action, Subject } from "#engine/permissions";
import type { TenantContext } from "./tenancy.server";

/** Throws a 403 unless some rule lets the user do `action` on `subject` in this township. */
export function requireAbility(ctx: TenantContext, action: Action, subject: Subject) {
  if (!ctx.ability.can(action, subject)) throw new Response("Forbidden", { status: 403 });
}
