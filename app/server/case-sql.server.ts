// The Prisma `where` shapes that case lists build (CASL's `accessibleBy`, the engine's tab
// filters, search) restated as one SQL condition, so the workbench can count every tab in one
// grouped statement (docs/decisions/034-grouped-workbench-counts.md). It knows a closed set of
// fields and operators and throws on anything else: a shape it does not know must fail loudly,
// never match more rows than Prisma would.
import { Prisma } from "#app/generated/prisma/client";

type Kind = "uuid" | "text" | "nullable-text" | "text-array" | "timestamp";

const FIELDS: Record<string, Kind> = {
  id: "uuid",
  tenantId: "uuid",
  reporterId: "uuid",
  number: "text",
  title: "text",
  state: "text",
  workflowId: "text",
  categoryId: "text",
  gradeId: "text",
  platformId: "text",
  orgUnitId: "text",
  leadUnitId: "nullable-text",
  assistUnitIds: "text-array",
  dueAt: "timestamp",
  closedAt: "timestamp",
};

const TRUE = Prisma.sql`TRUE`;
const FALSE = Prisma.sql`FALSE`;

const and = (parts: Prisma.Sql[]) => (parts.length ? Prisma.sql`(${Prisma.join(parts, " AND ")})` : TRUE);
const or = (parts: Prisma.Sql[]) => (parts.length ? Prisma.sql`(${Prisma.join(parts, " OR ")})` : FALSE);
const list = (v: unknown): unknown[] => (Array.isArray(v) ? v : [v]);

function param(kind: Kind, value: unknown): Prisma.Sql {
  if (kind === "timestamp") {
    // Prisma keeps DateTime as UTC in `timestamp(3)`; the ISO string's digits are that UTC time.
    const iso = value instanceof Date ? value.toISOString() : String(value);
    return Prisma.sql`${iso}::timestamp(3)`;
  }
  if (typeof value !== "string") throw new Error(`case-sql: ${kind} value ${JSON.stringify(value)}`);
  return kind === "uuid" ? Prisma.sql`${value}::uuid` : Prisma.sql`${value}::text`;
}

function arrayParam(kind: Kind, values: unknown): Prisma.Sql {
  if (!Array.isArray(values) || values.some((v) => typeof v !== "string"))
    throw new Error(`case-sql: ${kind} list ${JSON.stringify(values)}`);
  return kind === "uuid" ? Prisma.sql`${values}::uuid[]` : Prisma.sql`${values}::text[]`;
}

/** LIKE with the user's text taken literally. */
const likeParam = (s: unknown) => `%${String(s).replace(/[\\%_]/g, (c) => `\\${c}`)}%`;

function field(name: string, filter: unknown): Prisma.Sql {
  const kind = FIELDS[name];
  if (!kind) throw new Error(`case-sql: field "${name}"`);
  const col = Prisma.raw(`c."${name}"`);
  if (filter === null) return Prisma.sql`${col} IS NULL`;
  if (typeof filter !== "object" || filter instanceof Date) return field(name, { equals: filter });
  const f = filter as Record<string, unknown>;
  const parts: Prisma.Sql[] = [];
  const insensitive = f.mode === "insensitive";
  for (const [op, v] of Object.entries(f)) {
    if (v === undefined || op === "mode") continue;
    if (kind === "text-array") {
      if (op === "has") parts.push(Prisma.sql`${param("text", v)} = ANY(${col})`);
      else if (op === "hasSome") parts.push(Prisma.sql`${col} && ${arrayParam("text", v)}`);
      else throw new Error(`case-sql: ${name}.${op}`);
      continue;
    }
    switch (op) {
      case "equals":
        parts.push(v === null ? Prisma.sql`${col} IS NULL` : Prisma.sql`${col} = ${param(kind, v)}`);
        break;
      case "in":
        parts.push(Prisma.sql`${col} = ANY(${arrayParam(kind, v)})`);
        break;
      case "not":
        if (v !== null) throw new Error(`case-sql: ${name}.not other than null`);
        parts.push(Prisma.sql`${col} IS NOT NULL`);
        break;
      case "gte":
        parts.push(Prisma.sql`${col} >= ${param(kind, v)}`);
        break;
      case "lt":
        parts.push(Prisma.sql`${col} < ${param(kind, v)}`);
        break;
      case "contains":
        if (kind !== "text") throw new Error(`case-sql: ${name}.contains`);
        parts.push(
          insensitive ? Prisma.sql`${col} ILIKE ${likeParam(v)}::text` : Prisma.sql`${col} LIKE ${likeParam(v)}::text`,
        );
        break;
      default:
        throw new Error(`case-sql: ${name}.${op}`);
    }
  }
  return and(parts);
}

function sheets(filter: unknown): Prisma.Sql {
  const f = filter as { some?: { status?: unknown }; none?: { status?: unknown } };
  const keys = Object.keys(f ?? {});
  const inner = f?.some ?? f?.none;
  if (keys.length !== 1 || !inner || Object.keys(inner).join() !== "status" || typeof inner.status !== "string")
    throw new Error(`case-sql: sheets ${JSON.stringify(filter)}`);
  const exists = Prisma.sql`EXISTS (SELECT 1 FROM "SupervisionSheet" s WHERE s."caseId" = c.id AND s.status = ${inner.status}::"SupervisionStatus")`;
  return f.some ? exists : Prisma.sql`NOT ${exists}`;
}

/** A Prisma `CaseWhereInput` of the known shapes as SQL on `"Case" c`. */
export function caseWhereSql(where: Prisma.CaseWhereInput): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  for (const [key, value] of Object.entries(where)) {
    if (value === undefined) continue;
    if (key === "AND") parts.push(and(list(value).map((w) => caseWhereSql(w as Prisma.CaseWhereInput))));
    else if (key === "OR") parts.push(or(list(value).map((w) => caseWhereSql(w as Prisma.CaseWhereInput))));
    // Prisma's NOT with several conditions negates each (NOT a AND NOT b).
    else if (key === "NOT")
      parts.push(and(list(value).map((w) => Prisma.sql`NOT ${caseWhereSql(w as Prisma.CaseWhereInput)}`)));
    else if (key === "sheets") parts.push(sheets(value));
    else parts.push(field(key, value));
  }
  return and(parts);
}
