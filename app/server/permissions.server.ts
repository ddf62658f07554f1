// One CASL ability per request answers guards, masking, list queries and the "who can see" screen,
// so none of them can disagree on rule order (docs/decisions/029-one-permission-semantics.md).
// The engine writes conditions in CASL's Mongo vocabulary (the browser reads them too); here they
// are restated in Prisma's for `@casl/prisma`, which matches objects and builds `where` clauses
// from the same rules in the same order.
import type { Ability, ForcedSubject, RawRuleOf } from "@casl/ability";
import { accessibleBy, createPrismaAbility, type PrismaQueryFactory } from "@casl/prisma/runtime";
import {
  explainAccess,
  rulesFor,
  type AccessExplanation,
  type Action,
  type Actor,
  type CaseFacts,
  type Condition,
  type RawRule,
  type Subject,
} from "#engine/permissions";
import type { CompiledConfig } from "#engine/config/index";
import type { Prisma } from "#app/generated/prisma/client";

type PrismaConditions = PrismaQueryFactory<Prisma.TypeMap>;
export type CaseAbility = Ability<[Action, Subject | (ForcedSubject<Subject> & Partial<CaseFacts>)], PrismaConditions>;

/**
 * How each case fact is stored. A nullable column's match also says "not null", so that a deny
 * rule (`NOT …`) keeps rows where the column is null, as CASL does in memory; SQL's `NOT (NULL)`
 * would drop them.
 */
const COLUMNS: Record<keyof CaseFacts, "value" | "nullable" | "array"> = {
  tenantId: "value",
  orgUnitId: "value",
  platformId: "value",
  categoryId: "value",
  reporterId: "value",
  leadUnitId: "nullable",
  assistUnitIds: "array",
};

function toPrismaConditions(conditions: Condition): Record<string, unknown> {
  const where: Record<string, unknown> = {};
  for (const [field, value] of Object.entries(conditions)) {
    if (value === undefined) continue;
    const kind = COLUMNS[field as keyof CaseFacts];
    // A condition on a fact with no column would silently match nothing (or, denied, everything).
    if (!kind) throw new Error(`Permission condition on "${field}", which is not a case column`);
    // On an array column, Mongo equality means "contains" and $in means "contains any".
    const match =
      typeof value === "string"
        ? kind === "array"
          ? { has: value }
          : { equals: value }
        : kind === "array"
          ? { hasSome: value.$in }
          : { in: value.$in };
    where[field] = kind === "nullable" ? { ...match, not: null } : match;
  }
  return where;
}

/** The engine's raw rules in Prisma's vocabulary, same order, same inversions and fields. */
function toPrismaRules(rules: readonly RawRule[]) {
  return rules.map((rule) => (rule.conditions ? { ...rule, conditions: toPrismaConditions(rule.conditions) } : rule));
}

export function buildCaseAbility(rules: readonly RawRule[]): CaseAbility {
  return createPrismaAbility<CaseAbility>(toPrismaRules(rules) as RawRuleOf<CaseAbility>[]);
}

export const abilityFor = (compiled: CompiledConfig, actor: Actor) => buildCaseAbility(rulesFor(compiled, actor));

/** Matches no row wherever it is nested. */
const NO_CASE: Prisma.CaseWhereInput = { id: { in: [] } };

/** Cases the ability allows for `action`, as a Prisma filter. Put it in an `AND` after an explicit tenant pin. */
export function accessibleCases(ability: CaseAbility, action: Action = "read"): Prisma.CaseWhereInput {
  const where: Prisma.CaseWhereInput = accessibleBy(ability, action).ofType("Case");
  // No rule gives `{ OR: [] }`, which Prisma 7 drops inside an `AND`: it would match every case.
  return Array.isArray(where.OR) && where.OR.length === 0 && Object.keys(where).length === 1 ? NO_CASE : where;
}

/** The explainer, asked of the same kind of ability the member's own requests get. */
export function explainCaseAccess(
  compiled: CompiledConfig,
  actor: Actor,
  action: Action,
  facts: CaseFacts,
): AccessExplanation {
  return explainAccess(compiled, actor, action, facts, buildCaseAbility);
}
