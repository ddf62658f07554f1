// Abilities from config: each rule in the township's `permissions` that names one of the actor's
// posts becomes a CASL raw rule whose conditions pin the tenant and the actor's org scope.
import { createMongoAbility, type MongoAbility, type RawRuleOf } from "@casl/ability";
import type { CompiledConfig } from "./config/compile";
import { unitRole } from "./org";

export type Actor = { userId: string; tenantId: string; unitId: string; posts: readonly string[] };

export type Action = "read" | "create" | "update" | "transition" | "export" | "manage" | "read-masked";
export type Subject = "Case" | "Config" | "Membership" | "Audit" | "Report";

/** The case fields rules may condition on; the server's queries filter on the same columns. */
export type CaseFacts = {
  tenantId: string;
  orgUnitId: string;
  platformId: string;
  reporterId: string;
  leadUnitId?: string | null;
  /** An array: a condition `{ assistUnitIds: id }` means "contains id". */
  assistUnitIds?: string[];
};

export type Condition = { [K in keyof CaseFacts]?: string | { $in: string[] } };
export type RawRule = RawRuleOf<AppAbility> & { conditions?: Condition };
export type AppAbility = MongoAbility<[Action, Subject | ({ __caslSubjectType__: Subject } & Partial<CaseFacts>)]>;

/** Conditions of a scope: one, several (any of them allows), or none when the scope gives nothing. */
export function scopeConditions(compiled: CompiledConfig, actor: Actor, scope: string): Condition[] {
  if (scope === "assigned") {
    // Units a case is dispatched to (lead or assisting) work on it: joint forces, departments …
    return [
      { tenantId: actor.tenantId, leadUnitId: actor.unitId },
      { tenantId: actor.tenantId, assistUnitIds: actor.unitId },
    ];
  }
  const one = scopeCondition(compiled, actor, scope);
  return one ? [one] : [];
}

export function scopeCondition(compiled: CompiledConfig, actor: Actor, scope: string): Condition | null {
  const base = { tenantId: actor.tenantId };
  switch (scope) {
    case "own":
      return { ...base, reporterId: actor.userId };
    case "unit":
      return { ...base, orgUnitId: actor.unitId };
    case "unit-subtree":
      return { ...base, orgUnitId: { $in: compiled.org.subtree(actor.unitId) } };
    case "platform": {
      // The platform a person works for is the nearest unit of role platform above their own unit.
      const platform = compiled.org.ancestry(actor.unitId).find((id) => unitRole(compiled.org.byId.get(id)?.kind) === "platform");
      return platform ? { ...base, platformId: platform } : null;
    }
    case "township":
      return base;
    default:
      return null;
  }
}

export function rulesFor(compiled: CompiledConfig, actor: Actor): RawRule[] {
  const rules: RawRule[] = [];
  for (const rule of compiled.config.permissions ?? []) {
    if (!rule.posts.some((p) => p === "*" || actor.posts.includes(p))) continue;
    for (const conditions of scopeConditions(compiled, actor, rule.scope ?? "township")) {
      rules.push({
        action: rule.action,
        subject: rule.subject,
        conditions,
        ...(rule.fields ? { fields: rule.fields } : {}),
        ...(rule.inverted ? { inverted: true } : {}),
      });
    }
  }
  return rules;
}

export function buildAbility(rules: RawRule[]): AppAbility {
  return createMongoAbility<AppAbility>(rules as never);
}

export function caseSubject(facts: CaseFacts) {
  return { __caslSubjectType__: "Case" as const, ...facts };
}

export type AccessExplanation = {
  allowed: boolean;
  /** Config rules (by index into `permissions`) that matched, allowing or (inverted) denying. */
  allowedBy: number[];
  deniedBy: number[];
};

/** Why an actor may or may not act on a case: each config rule is checked on its own. */
export function explainAccess(compiled: CompiledConfig, actor: Actor, action: Action, facts: CaseFacts): AccessExplanation {
  const allowedBy: number[] = [];
  const deniedBy: number[] = [];
  (compiled.config.permissions ?? []).forEach((rule, index) => {
    if (rule.subject !== "Case" || (rule.action !== action && rule.action !== "manage")) return;
    if (!rule.posts.some((p) => p === "*" || actor.posts.includes(p))) return;
    const matches = scopeConditions(compiled, actor, rule.scope ?? "township").some((conditions) =>
      buildAbility([{ action, subject: "Case", conditions }]).can(action, caseSubject(facts)),
    );
    if (matches) (rule.inverted ? deniedBy : allowedBy).push(index);
  });
  return { allowed: allowedBy.length > 0 && deniedBy.length === 0, allowedBy, deniedBy };
}
