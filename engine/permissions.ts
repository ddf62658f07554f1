// Abilities from config: each rule in the township's `permissions` that names one of the actor's
// posts becomes a CASL raw rule whose conditions pin the tenant and the actor's org scope.
import { createMongoAbility, type AnyAbility, type MongoAbility, type RawRuleOf } from "@casl/ability";
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
  categoryId: string;
  reporterId: string;
  leadUnitId?: string | null;
  /** An array: a condition `{ assistUnitIds: id }` means "contains id". */
  assistUnitIds?: string[];
};

export type Condition = { [K in keyof CaseFacts]?: string | { $in: string[] } };
export type RawRule = RawRuleOf<AppAbility> & { conditions?: Condition };
export type AppAbility = MongoAbility<[Action, Subject | ({ __caslSubjectType__: Subject } & Partial<CaseFacts>)]>;

/** What rules are built from: the config's rules and the org tree their scopes look up. */
export type PermissionConfig = Pick<CompiledConfig, "config" | "org">;

/** Conditions of a scope: one, several (any of them allows), or none when the scope gives nothing. */
function scopeConditions(compiled: PermissionConfig, actor: Actor, scope: string): Condition[] {
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

export function scopeCondition(compiled: PermissionConfig, actor: Actor, scope: string): Condition | null {
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
      const platform = compiled.org
        .ancestry(actor.unitId)
        .find((id) => unitRole(compiled.org.byId.get(id)?.kind) === "platform");
      return platform ? { ...base, platformId: platform } : null;
    }
    case "township":
      return base;
    default:
      return null;
  }
}

export function rulesFor(compiled: PermissionConfig, actor: Actor): RawRule[] {
  return sourcedRulesFor(compiled, actor).map((r) => r.rule);
}

/** The actor's raw rules, each with the index of the config rule (`permissions[source]`) it comes from. */
function sourcedRulesFor(compiled: PermissionConfig, actor: Actor): Array<{ rule: RawRule; source: number }> {
  const out: Array<{ rule: RawRule; source: number }> = [];
  (compiled.config.permissions ?? []).forEach((rule, source) => {
    if (!rule.posts.some((p) => p === "*" || actor.posts.includes(p))) return;
    // A rule narrowed to categories (who may report which) holds only for cases of those categories.
    const categories = rule.categories ? { categoryId: { $in: [...rule.categories] } } : {};
    for (const conditions of scopeConditions(compiled, actor, rule.scope ?? "township")) {
      out.push({
        rule: {
          action: rule.action,
          subject: rule.subject,
          conditions: { ...conditions, ...categories },
          ...(rule.fields ? { fields: rule.fields } : {}),
          ...(rule.inverted ? { inverted: true } : {}),
        },
        source,
      });
    }
  });
  return out;
}

export function buildAbility(rules: RawRule[]): AppAbility {
  return createMongoAbility<AppAbility>(rules as never);
}

export function caseSubject(facts: CaseFacts) {
  return { __caslSubjectType__: "Case" as const, ...facts };
}

export type AccessExplanation = {
  allowed: boolean;
  /** The config rule (index into `permissions`) that decides: the last one that matches; null when none does. */
  decidedBy: number | null;
  /** Every config rule that matches, allowing or (inverted) denying, in config order. */
  allowedBy: number[];
  deniedBy: number[];
};

/** The part of a CASL ability the explainer reads; both the engine's and the server's abilities have it. */
export type ExplainableAbility = Pick<AnyAbility, "can" | "rulesFor" | "rules">;

/**
 * Why an actor may or may not act on a case, asked of the ability `build` makes from their rules —
 * the server passes the one its guards and queries use, so the answer follows the same rule order
 * (later rules win, as in CASL).
 */
export function explainAccess(
  compiled: CompiledConfig,
  actor: Actor,
  action: Action,
  facts: CaseFacts,
  build: (rules: RawRule[]) => ExplainableAbility = buildAbility,
): AccessExplanation {
  const sourced = sourcedRulesFor(compiled, actor);
  const ability = build(sourced.map((r) => r.rule));
  const subject = caseSubject(facts);
  // rulesFor lists the rules for this action in CASL's priority order (the last config rule first).
  const matching = ability.rulesFor(action, "Case").filter((r) => r.matchesConditions(subject));
  const sourceOf = (r: (typeof matching)[number]) => sourced[ability.rules.indexOf(r.origin)]!.source;
  const uniqueSorted = (xs: number[]) => [...new Set(xs)].sort((a, b) => a - b);
  return {
    allowed: ability.can(action, subject),
    decidedBy: matching[0] ? sourceOf(matching[0]) : null,
    allowedBy: uniqueSorted(matching.filter((r) => !r.inverted).map(sourceOf)),
    deniedBy: uniqueSorted(matching.filter((r) => r.inverted).map(sourceOf)),
  };
}
