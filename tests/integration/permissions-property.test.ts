// One permission semantics (ADR 029): for random permission lists (allow and deny, in any order,
// every scope the config offers, with and without fields, some narrowed to categories) and random cases in PostgreSQL, the
// ability the guards and masking ask and the Prisma query the lists run agree row by row — and so
// do the engine's own ability (intake, the browser's hints) and the "who can see" explainer.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { accessibleCases, buildCaseAbility, explainCaseAccess } from "#app/server/permissions.server";
import { buildAbility, caseSubject, rulesFor, type Action, type Actor } from "#engine/permissions";
import type { CompiledConfig } from "#engine/config/index";
import { compileVariant, demoConfig } from "#tests/engine/helpers";
import { seededDatabase, teardown, type Seeded } from "./helpers";

let s: Seeded;
let tenants: string[] = [];
let users: string[] = [];
let number = 0;

const base = demoConfig();
const baseCompiled = compileVariant(base);
// Small pools, so that drawn rules and cases meet often: a village with its grids, a platform and the room.
const units = ["command-room", "platform-safety", "village-qiaotou", "grid-qiaotou-1", "grid-qiaotou-2"];
const platforms = ["platform-safety", "platform-party"];
const categories = ["dispute", "safety-hazard", "public-service"];
const posts = ["routing", "grid-worker", "platform-lead"];
const actions: Action[] = ["read", "read", "read-masked", "export"];

beforeAll(async () => {
  s = await seededDatabase();
  tenants = (
    await s.db.tenant.findMany({ where: { kind: "township" }, orderBy: { code: "asc" }, select: { id: true } })
  ).map((t) => t.id);
  users = (await s.db.user.findMany({ orderBy: { login: "asc" }, take: 4, select: { id: true } })).map((u) => u.id);
});
afterAll(() => teardown(s));

// Indexes into the tenants and users, which are only known once the database is seeded. The draws
// lean towards rules that apply and cases in the actor's township, where order and nulls matter.
const pick = (n: number) => fc.nat({ max: n - 1 });
const sameTenantMostly = fc.constantFrom<number>(0, 0, 0, 1);
const ruleArb = fc.record({
  posts: fc.constantFrom<string[]>(["*"], ["*"], ["routing"], ["grid-worker"], ["platform-lead", "routing"]),
  action: fc.constantFrom<Action>("read", "read", "manage", "read-masked", "export"),
  subject: fc.constantFrom("Case", "Case", "Case", "Case", "Report"),
  scope: fc.constantFrom("own", "unit", "unit-subtree", "platform", "assigned", "township"),
  inverted: fc.boolean(),
  categories: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 3 },
    { arbitrary: fc.subarray(categories, { minLength: 1 }), weight: 2 },
  ),
  // A field rule counts for a whole-case check only when it allows (as in CASL); kept rare.
  fields: fc.oneof(
    { arbitrary: fc.constant(undefined), weight: 4 },
    { arbitrary: fc.constantFrom<string[]>(["data"], ["title", "data"]), weight: 1 },
  ),
});
const caseArb = fc.record({
  tenant: sameTenantMostly,
  reporter: pick(4),
  orgUnitId: fc.constantFrom(...units),
  platformId: fc.constantFrom(...platforms),
  categoryId: fc.constantFrom(...categories),
  leadUnitId: fc.oneof(fc.constant(null), fc.constantFrom(...units)),
  assistUnitIds: fc.uniqueArray(fc.constantFrom(...units), { maxLength: 3 }),
});
const actorArb = fc.record({
  tenant: fc.constant<number>(0),
  user: pick(4),
  unitId: fc.constantFrom(...units),
  posts: fc.subarray(posts, { minLength: 1 }),
});

type ValueOf<A> = A extends fc.Arbitrary<infer T> ? T : never;
type Drawn = [ValueOf<typeof ruleArb>[], ValueOf<typeof actorArb>, Action, ValueOf<typeof caseArb>[]];

async function agree(...[rules, a, action, drawn]: Drawn) {
  // The drawn rules are valid config rules: only the permissions change, so the config is compiled once.
  const permissions = rules.map(({ fields, inverted, categories, ...r }) => ({
    ...r,
    ...(categories ? { categories } : {}),
    ...(fields ? { fields } : {}),
    ...(inverted ? { inverted } : {}),
  }));
  const compiled = { ...baseCompiled, config: { ...baseCompiled.config, permissions } } as CompiledConfig;
  const actor: Actor = { tenantId: tenants[a.tenant]!, userId: users[a.user]!, unitId: a.unitId, posts: a.posts };
  const inserted = await s.db.case.createManyAndReturn({
    data: drawn.map((c) => ({
      tenantId: tenants[c.tenant]!,
      reporterId: users[c.reporter]!,
      orgUnitId: c.orgUnitId,
      platformId: c.platformId,
      leadUnitId: c.leadUnitId,
      assistUnitIds: c.assistUnitIds,
      number: `P-${++number}`,
      configVersion: 1,
      workflowId: "w",
      categoryId: c.categoryId,
      gradeId: "g",
      state: "s",
      title: "t",
      data: {},
    })),
    select: {
      id: true,
      tenantId: true,
      reporterId: true,
      orgUnitId: true,
      platformId: true,
      categoryId: true,
      leadUnitId: true,
      assistUnitIds: true,
    },
  });
  const ability = buildCaseAbility(rulesFor(compiled, actor));
  const found = await s.db.case.findMany({
    where: { AND: [{ id: { in: inserted.map((r) => r.id) } }, accessibleCases(ability, action)] },
    select: { id: true },
  });
  const queried = new Set(found.map((r) => r.id));
  const engine = buildAbility(rulesFor(compiled, actor));
  for (const { id, ...facts } of inserted) {
    const subject = caseSubject(facts);
    const allowed = ability.can(action, subject);
    expect({ facts, inQuery: queried.has(id) }).toEqual({ facts, inQuery: allowed });
    expect(engine.can(action, subject)).toBe(allowed);
    expect(explainCaseAccess(compiled, actor, action, facts).allowed).toBe(allowed);
  }
}

const rule = (over: Partial<ValueOf<typeof ruleArb>>): ValueOf<typeof ruleArb> => ({
  posts: ["*"],
  action: "read",
  subject: "Case",
  scope: "township",
  inverted: false,
  categories: undefined,
  fields: undefined,
  ...over,
});
const me = { tenant: 0, user: 0, unitId: "grid-qiaotou-1", posts: ["grid-worker"] };
const aCase = (over: Partial<ValueOf<typeof caseArb>> = {}) => ({
  tenant: 0,
  reporter: 1,
  orgUnitId: "grid-qiaotou-1",
  platformId: "platform-safety",
  categoryId: "dispute",
  leadUnitId: null,
  assistUnitIds: [],
  ...over,
});
// The shapes that broke before (ADR 029), tried on every run before the random ones.
const examples: Drawn[] = [
  // No rule at all: no rows (an empty OR nested in an AND matches every row in Prisma 7).
  [[], me, "read", [aCase()]],
  // A deny before an allow: the later allow wins for the actor's own case.
  [[rule({ inverted: true }), rule({ scope: "own" })], me, "read", [aCase({ reporter: 0 }), aCase()]],
  // A deny on the lead unit keeps the cases that have no lead unit (SQL's NOT (NULL) drops them).
  [
    [rule({}), rule({ scope: "assigned", inverted: true })],
    me,
    "read",
    [aCase(), aCase({ leadUnitId: "grid-qiaotou-1" })],
  ],
  // A deny narrowed to one category keeps the others.
  [
    [rule({}), rule({ categories: ["dispute"], inverted: true })],
    me,
    "read",
    [aCase(), aCase({ categoryId: "public-service" })],
  ],
];

describe("CASL ability and Prisma query agree", () => {
  it("for random rule lists and cases, can() and the query return the same rows", async () => {
    const property = fc.asyncProperty(
      fc.array(ruleArb, { maxLength: 8 }),
      actorArb,
      fc.constantFrom(...actions),
      fc.array(caseArb, { minLength: 1, maxLength: 30 }),
      agree,
    );
    await fc.assert(property, { numRuns: 100, examples });
  });
});
