// CASL raw rules from the engine, translated to Prisma filters so every query only ever returns
// what the user may see (docs/decisions/007-permissions.md).
import type { Action, RawRule, Subject } from "../../engine/permissions.ts";
import type { Prisma } from "../generated/prisma/client.ts";

type Where = Record<string, unknown>;

const ARRAY_FIELDS = new Set(["assistUnitIds"]);

function conditionToWhere(conditions: RawRule["conditions"]): Where {
  const where: Where = {};
  for (const [field, value] of Object.entries(conditions ?? {})) {
    if (value && typeof value === "object" && "$in" in value) where[field] = { in: value.$in };
    // Array columns: equality in a CASL condition means "contains".
    else if (ARRAY_FIELDS.has(field)) where[field] = { has: value };
    else where[field] = value;
  }
  return where;
}

/** Rows of `subject` the rules allow for `action`. No matching rule → a filter that matches nothing. */
export function accessibleWhere(rules: readonly RawRule[], action: Action, subject: Subject): Where {
  const applies = (r: RawRule) => r.subject === subject && (r.action === action || r.action === "manage");
  const allow = rules.filter((r) => applies(r) && !r.inverted).map((r) => conditionToWhere(r.conditions));
  const deny = rules.filter((r) => applies(r) && r.inverted).map((r) => conditionToWhere(r.conditions));
  if (!allow.length) return { id: { in: [] } };
  return deny.length ? { AND: [{ OR: allow }, { NOT: { OR: deny } }] } : { OR: allow };
}

export function accessibleCases(rules: readonly RawRule[], action: Action = "read"): Prisma.CaseWhereInput {
  return accessibleWhere(rules, action, "Case") as Prisma.CaseWhereInput;
}
