import { describe, it, expect } from "vitest";
import {
  buildAbility,
  caseSubject,
  explainAccess,
  rulesFor,
  scopeCondition,
  type Action,
  type Actor,
  type CaseFacts,
} from "#engine/permissions";
import type { CompiledConfig } from "#engine/config/compile";
import { actor, caseFacts, compileVariant, demoConfig, loadTownship, readTenantJson } from "./helpers";

const east = loadTownship("east-lake");
const west = loadTownship("west-hill");
const compiledFor: Record<string, CompiledConfig> = { "east-lake": east.compiled, "west-hill": west.compiled };

const can = (compiled: CompiledConfig, who: Actor, action: Action, facts: CaseFacts) =>
  buildAbility(rulesFor(compiled, who)).can(action, caseSubject(facts));

// East Lake cases, none reported by the actors below.
const CASES = {
  qiaotou1Safety: caseFacts("east-lake", "grid-qiaotou-1", "platform-safety"),
  qiaotou2Service: caseFacts("east-lake", "grid-qiaotou-2", "platform-service"),
  shanxia1Safety: caseFacts("east-lake", "grid-shanxia-1", "platform-safety"),
  commandRoomEconomy: caseFacts("east-lake", "command-room", "platform-economy"),
  qiaotouVillageParty: caseFacts("east-lake", "village-qiaotou", "platform-party"),
} as const;
type CaseName = keyof typeof CASES;

/** Where a holder of the post sits in East Lake: the post's own unit, or a unit of one of its kinds. */
const unitFor = (post: string) =>
  east.compiled.posts.get(post)?.unit ??
  { "platform-lead": "platform-safety", "village-station": "village-qiaotou", "grid-worker": "grid-qiaotou-1" }[post] ??
  "command-room";
const ALL = Object.keys(CASES) as CaseName[];

describe("reading cases in East Lake, by post and scope", () => {
  const rows: Array<{ name: string; who: Actor; reads: CaseName[] }> = [
    {
      name: "grid worker, Qiaotou grid 1 (unit)",
      who: actor("east-lake", "grid-qiaotou-1", ["grid-worker"]),
      reads: ["qiaotou1Safety"],
    },
    {
      name: "grid worker, Qiaotou grid 2 (unit)",
      who: actor("east-lake", "grid-qiaotou-2", ["grid-worker"]),
      reads: ["qiaotou2Service"],
    },
    {
      name: "grid worker, Shanxia grid 1 (unit)",
      who: actor("east-lake", "grid-shanxia-1", ["grid-worker"]),
      reads: ["shanxia1Safety"],
    },
    {
      name: "village station, Qiaotou (unit-subtree)",
      who: actor("east-lake", "village-qiaotou", ["village-station"]),
      reads: ["qiaotou1Safety", "qiaotou2Service", "qiaotouVillageParty"],
    },
    {
      name: "village station, Shanxia (unit-subtree)",
      who: actor("east-lake", "village-shanxia", ["village-station"]),
      reads: ["shanxia1Safety"],
    },
    {
      name: "platform lead, safety platform (platform)",
      who: actor("east-lake", "platform-safety", ["platform-lead"]),
      reads: ["qiaotou1Safety", "shanxia1Safety"],
    },
    {
      name: "platform lead, service platform (platform)",
      who: actor("east-lake", "platform-service", ["platform-lead"]),
      reads: ["qiaotou2Service"],
    },
    {
      name: "platform lead, party platform (platform)",
      who: actor("east-lake", "platform-party", ["platform-lead"]),
      reads: ["qiaotouVillageParty"],
    },
    {
      name: "platform lead held outside any platform reads nothing by platform",
      who: actor("east-lake", "grid-qiaotou-1", ["platform-lead"]),
      reads: [],
    },
    { name: "routing (township)", who: actor("east-lake", "command-room", ["routing"]), reads: ALL },
    { name: "director (township)", who: actor("east-lake", "command-room", ["director"]), reads: ALL },
    { name: "flexible post (township)", who: actor("east-lake", "command-room", ["flexible"]), reads: ALL },
    { name: "a member with no posts", who: actor("east-lake", "command-room", []), reads: [] },
    {
      name: "grid worker who is also village station",
      who: actor("east-lake", "village-shanxia", ["grid-worker", "village-station"]),
      reads: ["shanxia1Safety"],
    },
  ];

  it.each(rows)("$name", ({ who, reads }) => {
    const readable = ALL.filter((name) => can(east.compiled, who, "read", CASES[name]));
    expect(readable).toEqual(reads);
  });
});

describe("platform scope in West Hill: a special unit counts as a platform", () => {
  const lead = actor("west-hill", "market-unit", ["platform-lead"]);
  it.each([
    { platformId: "market-unit", reads: true },
    { platformId: "platform-economy", reads: false },
    { platformId: "platform-safety", reads: false },
  ])("market unit's platform lead reads cases on $platformId: $reads", ({ platformId, reads }) => {
    expect(can(west.compiled, lead, "read", caseFacts("west-hill", "grid-xishan-market", platformId))).toBe(reads);
  });

  it("the community station reads both community grids, including the dedicated market grid", () => {
    const station = actor("west-hill", "community-xishan", ["village-station"]);
    expect(can(west.compiled, station, "read", caseFacts("west-hill", "grid-xishan-1", "platform-service"))).toBe(true);
    expect(can(west.compiled, station, "read", caseFacts("west-hill", "grid-xishan-market", "platform-economy"))).toBe(
      true,
    );
    expect(can(west.compiled, station, "read", caseFacts("west-hill", "market-unit", "platform-economy"))).toBe(false);
  });
});

describe("own scope", () => {
  const posts = [...east.compiled.posts.keys()];
  it.each([{ held: [] as string[] }, ...posts.map((p) => ({ held: [p] }))])(
    "a member with posts $held reads cases they reported anywhere in the township",
    ({ held }) => {
      const who = actor("east-lake", "grid-shanxia-1", held, "user-reporter");
      expect(
        can(east.compiled, who, "read", caseFacts("east-lake", "grid-qiaotou-2", "platform-party", "user-reporter")),
      ).toBe(true);
      expect(
        can(east.compiled, who, "read", caseFacts("west-hill", "grid-qiaotou-2", "platform-party", "user-reporter")),
      ).toBe(false);
    },
  );

  it("a member with no posts does not read a neighbour's report", () => {
    const who = actor("east-lake", "grid-qiaotou-1", [], "user-a");
    expect(can(east.compiled, who, "read", caseFacts("east-lake", "grid-qiaotou-1", "platform-safety", "user-b"))).toBe(
      false,
    );
  });
});

describe("masked fields (read-masked)", () => {
  // The template gives unmasked reading to the command room's leadership and working posts, except the flexible post.
  // "no-access": the post does not read the township's cases at all (administration only).
  const expected: Record<string, boolean | "no-access"> = {
    director: true,
    "executive-deputy": true,
    "full-time-deputy": true,
    coordination: true,
    analysis: true,
    routing: true,
    inspection: true,
    flexible: false,
    "township-admin": "no-access",
    "platform-lead": false,
    "village-station": false,
    "grid-worker": false,
  };

  it("the table covers every post in the township", () => {
    expect(Object.keys(expected).sort()).toEqual([...east.compiled.posts.keys()].sort());
  });

  it.each(Object.entries(expected))("%s may read masked fields: %s", (post, allowed) => {
    const who = actor("east-lake", unitFor(post), [post]);
    // A case the post can read, so the answer is about masking and not about access.
    const facts = caseFacts("east-lake", unitFor(post), "platform-safety");
    expect(can(east.compiled, who, "read", facts)).toBe(allowed !== "no-access");
    expect(can(east.compiled, who, "read-masked", facts)).toBe(allowed === true);
  });

  it("nobody reads masked fields of their own report unless their post allows it", () => {
    const who = actor("east-lake", "grid-qiaotou-1", ["grid-worker"], "user-g");
    expect(
      can(east.compiled, who, "read-masked", caseFacts("east-lake", "grid-qiaotou-1", "platform-safety", "user-g")),
    ).toBe(false);
  });
});

describe("tenant isolation", () => {
  const actions: Action[] = ["read", "read-masked", "create", "update", "transition", "export", "manage"];

  it.each([...east.compiled.posts.keys()])(
    "an East Lake %s can do nothing to a case of another township, even one they reported",
    (post) => {
      const who = actor("east-lake", unitFor(post), [post], "user-x");
      // Same unit ids and platform and reporter as a case the actor could touch at home: only the tenant differs.
      const foreign = caseFacts("west-hill", unitFor(post), "platform-safety", "user-x");
      for (const action of actions) expect(can(east.compiled, who, action, foreign), action).toBe(false);
      expect(can(east.compiled, who, "read", { ...foreign, tenantId: "east-lake" })).toBe(true);
    },
  );

  it("every rule an actor gets is pinned to the actor's tenant", () => {
    for (const compiled of [east.compiled, west.compiled]) {
      for (const post of compiled.posts.keys()) {
        const who = actor(compiled.config.id, unitFor(post), [post]);
        const rules = rulesFor(compiled, who);
        expect(rules.length).toBeGreaterThan(0);
        for (const rule of rules) expect(rule.conditions?.tenantId).toBe(compiled.config.id);
      }
    }
  });

  type SeedUser = { login: string; memberships: Array<{ township: string; posts: string[]; unit: string }> };
  const seed = readTenantJson("demo-seed.json") as { users: SeedUser[] };
  const memberships = seed.users.flatMap((u) => u.memberships.map((m) => ({ login: u.login, ...m })));

  it("the demo seed has a user who works in both townships", () => {
    const both = seed.users.find((u) => u.login === "both.analyst");
    expect(both?.memberships.map((m) => m.township).sort()).toEqual(["east-lake", "west-hill"]);
  });

  it.each(memberships)("$login in $township reads only that township's cases", ({ login, township, posts, unit }) => {
    const compiled = compiledFor[township]!;
    const who = actor(township, unit, posts, login);
    const other = township === "east-lake" ? "west-hill" : "east-lake";
    // The case sits in the member's own unit and was reported by them: readable at home, never elsewhere.
    expect(can(compiled, who, "read", caseFacts(township, unit, "platform-safety", login))).toBe(true);
    expect(can(compiled, who, "read", caseFacts(other, unit, "platform-safety", login))).toBe(false);
    expect(can(compiled, who, "read-masked", caseFacts(other, unit, "platform-safety", login))).toBe(false);
    expect(can(compiled, who, "create", caseFacts(other, unit, "platform-safety", login))).toBe(false);
  });

  it("both.analyst reads every East Lake case as an East Lake member and none of them as a West Hill member", () => {
    const asEast = actor("east-lake", "command-room", ["analysis"], "both.analyst");
    const asWest = actor("west-hill", "command-room", ["analysis"], "both.analyst");
    for (const facts of Object.values(CASES)) {
      expect(can(east.compiled, asEast, "read", facts)).toBe(true);
      expect(can(west.compiled, asWest, "read", facts)).toBe(false);
      // Even evaluated against East Lake's own config, a West Hill membership grants nothing in East Lake.
      expect(can(east.compiled, asWest, "read", facts)).toBe(false);
    }
  });
});

describe("rulesFor and scopeCondition", () => {
  it("unit-subtree covers the unit and every unit below it", () => {
    const condition = scopeCondition(
      east.compiled,
      actor("east-lake", "village-qiaotou", ["village-station"]),
      "unit-subtree",
    );
    const orgUnitId = condition?.orgUnitId;
    expect(typeof orgUnitId === "object" ? [...orgUnitId.$in].sort() : orgUnitId).toEqual([
      "grid-qiaotou-1",
      "grid-qiaotou-2",
      "village-qiaotou",
    ]);
  });

  it.each([
    { scope: "own", expected: { tenantId: "east-lake", reporterId: "u1" } },
    { scope: "unit", expected: { tenantId: "east-lake", orgUnitId: "grid-qiaotou-1" } },
    { scope: "platform", expected: null },
    { scope: "township", expected: { tenantId: "east-lake" } },
    { scope: "county", expected: null },
  ])("scope $scope for a grid worker → $expected", ({ scope, expected }) => {
    expect(scopeCondition(east.compiled, actor("east-lake", "grid-qiaotou-1", ["grid-worker"], "u1"), scope)).toEqual(
      expected,
    );
  });

  it("a rule without a scope defaults to the whole township", () => {
    const rules = rulesFor(east.compiled, actor("east-lake", "grid-qiaotou-1", ["grid-worker"]));
    expect(rules.find((r) => r.action === "create")).toEqual({
      action: "create",
      subject: "Case",
      conditions: { tenantId: "east-lake" },
    });
  });

  it("an inverted rule takes a permission away", () => {
    const config = demoConfig();
    config.permissions.push({
      posts: ["flexible"],
      action: "read",
      subject: "Case",
      scope: "township",
      inverted: true,
    });
    const compiled = compileVariant(config);
    const flexible = actor("east-lake", "command-room", ["flexible"], "user-f");
    expect(can(compiled, flexible, "read", CASES.qiaotou1Safety)).toBe(false);
    expect(can(compiled, actor("east-lake", "command-room", ["routing"]), "read", CASES.qiaotou1Safety)).toBe(true);
  });

  // CASL's order: the last matching rule decides. The explainer names it and agrees with can().
  it.each([
    { order: "deny, then allow own", rules: ["deny", "allow"], allowed: true, decidedBy: 1 },
    { order: "allow own, then deny", rules: ["allow", "deny"], allowed: false, decidedBy: 1 },
  ])("$order → allowed $allowed, decided by rule $decidedBy", ({ rules, allowed, decidedBy }) => {
    const config = demoConfig();
    const made = {
      deny: { posts: ["flexible"], action: "read", subject: "Case", scope: "township", inverted: true },
      allow: { posts: ["flexible"], action: "read", subject: "Case", scope: "own" },
    };
    config.permissions = rules.map((r) => made[r as keyof typeof made]);
    const compiled = compileVariant(config);
    const flexible = actor("east-lake", "command-room", ["flexible"], "user-f");
    const own = caseFacts("east-lake", "grid-qiaotou-1", "platform-safety", "user-f");
    expect(can(compiled, flexible, "read", own)).toBe(allowed);
    expect(explainAccess(compiled, flexible, "read", own)).toEqual({
      allowed,
      decidedBy,
      allowedBy: [rules.indexOf("allow")],
      deniedBy: [rules.indexOf("deny")],
    });
    // Someone else's case: only the deny matches.
    expect(explainAccess(compiled, flexible, "read", CASES.qiaotou1Safety)).toMatchObject({
      allowed: false,
      decidedBy: rules.indexOf("deny"),
    });
  });

  it("caseSubject tags the facts as a Case", () => {
    expect(caseSubject(CASES.qiaotou1Safety)).toEqual({ __caslSubjectType__: "Case", ...CASES.qiaotou1Safety });
  });

  it("case permissions do not leak to other subjects", () => {
    const ability = buildAbility(rulesFor(east.compiled, actor("east-lake", "command-room", ["routing"])));
    expect(ability.can("read", "Case")).toBe(true);
    expect(ability.can("manage", "Config")).toBe(false);
    expect(ability.can("manage", "Membership")).toBe(false);
    expect(ability.can("read", "Audit")).toBe(false);
  });

  it("administration rules go only to the posts the template names", () => {
    const can = (post: string, action: Action, subject: "Audit" | "Membership" | "Config" | "Report" | "Case") =>
      buildAbility(rulesFor(east.compiled, actor("east-lake", "command-room", [post]))).can(action, subject);
    expect(can("township-admin", "manage", "Config")).toBe(true);
    expect(can("director", "manage", "Config")).toBe(false);
    expect(can("director", "read", "Audit")).toBe(true);
    expect(can("grid-worker", "read", "Audit")).toBe(false);
    expect(can("routing", "export", "Case")).toBe(true);
    expect(can("grid-worker", "export", "Case")).toBe(false);
  });
});
