import { describe, expect, it } from "vitest";
import { prepareConfig } from "#engine/config/index";
import { describeChange } from "#engine/config/diff";
import {
  adminPostOf,
  buildTownshipSource,
  changesFromTemplate,
  configCounts,
  emptyDraft,
  knownUnits,
  peopleFor,
  templateFacts,
  unitsForPost,
  type OnboardingDraft,
} from "#engine/onboarding";
import type { TownshipConfig } from "#schemas/township-config";
import { templateLookup } from "./helpers";
import { issueMessage, withMessage } from "#app/locales/issues/index";

const TEMPLATE = "command-room-guideline@1.0.0";

function template(ref = TEMPLATE): TownshipConfig {
  const prepared = prepareConfig(templateLookup(ref), templateLookup);
  if (!prepared.ok) throw new Error("template invalid");
  return prepared.config;
}

function draft(patch: Partial<OnboardingDraft> = {}): OnboardingDraft {
  return {
    ...emptyDraft(TEMPLATE),
    township: { code: "south-lake", name: { zh: "南湖镇", en: "South Lake Town" } },
    platforms: { keep: ["platform-party", "platform-economy", "platform-safety", "platform-service"], add: [] },
    units: [
      { kind: "village", id: "village-nanhu", name: "南湖村", name_en: "Nanhu Village", parent: "", gridType: "" },
      {
        kind: "grid",
        id: "grid-nanhu-1",
        name: "南湖村第一网格",
        name_en: "",
        parent: "village-nanhu",
        gridType: "comprehensive",
      },
    ],
    admin: { login: "south-lake.admin", name: "郑洁" },
    staff: [{ login: "south-lake.grid1", name: "林晓", post: "grid-worker", unit: "grid-nanhu-1" }],
    ...patch,
  };
}

function prepare(d: unknown) {
  const built = buildTownshipSource(d, template());
  if (!built.ok) return { built, prepared: undefined };
  return { built, prepared: prepareConfig(built.source, templateLookup) };
}

describe("buildTownshipSource", () => {
  it("writes a township that extends the template with its own villages and grids, valid as published", () => {
    const { built, prepared } = prepare(draft());
    if (!built.ok || !prepared?.ok) throw new Error(JSON.stringify(built.ok ? prepared : built.issues));
    expect(built.source).toMatchObject({
      kind: "township",
      id: "south-lake",
      version: "1.0.0",
      extends: TEMPLATE,
      name: { zh: "南湖镇", en: "South Lake Town" },
    });
    expect(built.source.org).toEqual({
      units: [
        { id: "village-nanhu", kind: "village", name: { zh: "南湖村", en: "Nanhu Village" }, parent: "command-room" },
        {
          id: "grid-nanhu-1",
          kind: "grid",
          name: { zh: "南湖村第一网格" },
          parent: "village-nanhu",
          gridType: "comprehensive",
        },
      ],
    });
    expect(configCounts(prepared.config)).toMatchObject({ platforms: 4, villages: 1, grids: 1, categories: 3 });
    expect(changesFromTemplate(template(), prepared.config).map((c) => describeChange(c))).toEqual([
      "新增单位“南湖村”",
      "新增单位“南湖村第一网格”",
    ]);
  });

  it("drops platforms the township does not keep and adds its own", () => {
    const { built, prepared } = prepare(
      draft({
        platforms: {
          keep: ["platform-safety", "platform-service"],
          add: [{ id: "platform-tourism", name: { zh: "文旅平台", en: "Tourism platform" } }],
        },
      }),
    );
    if (!built.ok || !prepared?.ok) throw new Error("should be valid");
    const units = prepared.config.org!.units!;
    expect(units.map((u) => u.id)).not.toContain("platform-party");
    expect(units.find((u) => u.id === "platform-tourism")).toEqual({
      id: "platform-tourism",
      kind: "platform",
      parent: "command-room",
      name: { zh: "文旅平台", en: "Tourism platform" },
    });
    expect(changesFromTemplate(template(), prepared.config).map((c) => describeChange(c, "en"))).toContain(
      'Removed unit "Party-building platform"',
    );
  });

  it("asks what becomes of a dropped platform's categories, naming them, before building anything", () => {
    const built = buildTownshipSource(draft({ platforms: { keep: ["platform-party"], add: [] } }), template());
    expect(built.ok).toBe(false);
    const issues = built.ok ? [] : built.issues;
    expect(issues.map((i) => [i.path, i.code])).toEqual([
      ["/platforms/remap/platform-safety", "onboarding.platform-categories"],
      ["/platforms/remap/platform-service", "onboarding.platform-categories"],
    ]);
    expect(issueMessage(issues[0]!)).toEqual({
      zh: "平台“平安法治平台”办理 2 个事件类别（矛盾纠纷、安全隐患）：请选择改由哪个平台办理，或一并删除这些类别",
      en: "The Safety and rule-of-law platform handles 2 categories (Dispute, Safety hazard): choose the platform that takes them over, or drop them too",
    });
  });

  it("moves a dropped platform's categories (and their lead unit) to a kept or added platform, or drops them", () => {
    const { built, prepared } = prepare(
      draft({
        platforms: {
          keep: ["platform-party"],
          add: [{ id: "platform-peace", name: { zh: "平安建设平台" } }],
          remap: { "platform-safety": "platform-peace", "platform-service": "" },
        },
      }),
    );
    if (!built.ok || !prepared?.ok) throw new Error(`should be valid: ${JSON.stringify(prepared)}`);
    const categories = prepared.config.categories ?? [];
    expect(categories.map((c) => [c.id, c.platform, c.routing?.leadUnit ?? null])).toEqual([
      ["dispute", "platform-peace", "platform-peace"],
      ["safety-hazard", "platform-peace", "platform-peace"],
    ]);
  });

  it("refuses to move categories to a platform the township does not keep", () => {
    const built = buildTownshipSource(
      draft({
        platforms: {
          keep: ["platform-party", "platform-service"],
          add: [],
          remap: { "platform-safety": "platform-economy" },
        },
      }),
      template(),
    );
    expect(built.ok ? [] : built.issues.map((i) => [i.path, i.code, issueMessage(i).en])).toEqual([
      [
        "/platforms/remap/platform-safety",
        "onboarding.remap-unknown",
        '"platform-economy" is not a platform the township keeps or adds',
      ],
    ]);
  });

  it("onboards from a template that names no admin post once the county picks one, granting it the config and the people", () => {
    const zhoushan = template("zhoushan-141@1.0.0");
    const base = {
      ...draft(),
      template: "zhoushan-141@1.0.0",
      platforms: { keep: ["platform-party", "platform-economy", "platform-safety", "platform-service"], add: [] },
      staff: [],
    };
    const refused = buildTownshipSource(base, zhoushan);
    expect(refused.ok ? [] : refused.issues.map((i) => [i.path, i.code])).toEqual([
      ["/admin/post", "onboarding.no-admin-post"],
    ]);
    const chosen = { ...base, admin: { ...base.admin, post: "director" } };
    const built = buildTownshipSource(chosen, zhoushan);
    if (!built.ok) throw new Error(JSON.stringify(built.issues));
    const prepared = prepareConfig(built.source, templateLookup);
    if (!prepared.ok) throw new Error(JSON.stringify(prepared.issues));
    expect(adminPostOf(prepared.config)).toBe("director");
    expect(
      prepared.config.permissions
        ?.filter((r) => r.action === "manage" && r.posts.includes("director"))
        .map((r) => r.subject),
    ).toEqual(["Config", "Membership"]);
    const people = peopleFor(chosen, prepared.config);
    expect(people.ok && people.people[0]).toMatchObject({ login: "south-lake.admin", posts: ["director"] });
  });

  it.each<[string, unknown, string, string]>([
    [
      "a code with capitals",
      draft({ township: { code: "South", name: { zh: "南湖镇" } } }),
      "/township/code",
      "schema.pattern",
    ],
    [
      "a missing name",
      draft({ township: { code: "south", name: { zh: "" } } }),
      "/township/name/zh",
      "schema.minLength",
    ],
    [
      "an extra property (nothing unexpected is trusted)",
      { ...draft(), tenantId: "someone-else" },
      "/tenantId",
      "schema.additionalProperties",
    ],
    [
      "a platform the template lacks",
      draft({ platforms: { keep: ["platform-moon"], add: [] } }),
      "/platforms/keep/0",
      "onboarding.platform-unknown",
    ],
    [
      "an added platform with a template unit's id",
      draft({ platforms: { keep: [], add: [{ id: "command-room", name: { zh: "X" } }] } }),
      "/platforms/add/0/id",
      "onboarding.platform-taken",
    ],
    [
      "a grid under a missing village, by row",
      draft({ units: [{ kind: "grid", id: "g", name: "G", name_en: "", parent: "v-none", gridType: "" }] }),
      "/units/0/parent",
      "import.parent-missing",
    ],
  ])("refuses %s", (_name, d, path, code) => {
    const built = buildTownshipSource(d, template());
    expect(built.ok).toBe(false);
    if (!built.ok) expect(built.issues.map((i) => [i.path, i.code])).toContainEqual([path, code]);
  });

  it("refuses a template that is not published", () => {
    const built = buildTownshipSource(draft({ template: "nowhere@1.0.0" }), undefined);
    expect(built.ok).toBe(false);
    if (built.ok) return;
    expect(built.issues.map(withMessage)).toEqual([
      {
        path: "/template",
        code: "onboarding.template-missing",
        params: { template: "nowhere@1.0.0" },
        message: { zh: "找不到已发布的模板“nowhere@1.0.0”", en: 'No published template "nowhere@1.0.0"' },
      },
    ]);
  });
});

describe("peopleFor", () => {
  const config = () => {
    const { prepared } = prepare(draft());
    if (!prepared?.ok) throw new Error("invalid");
    return prepared.config;
  };

  it("makes the admin a holder of the post that may manage the config, in its unit", () => {
    expect(adminPostOf(template())).toBe("township-admin");
    const people = peopleFor(draft(), config());
    expect(people).toEqual({
      ok: true,
      people: [
        { login: "south-lake.admin", name: "郑洁", posts: ["township-admin"], unit: "command-room", path: "/admin" },
        { login: "south-lake.grid1", name: "林晓", posts: ["grid-worker"], unit: "grid-nanhu-1", path: "/staff/0" },
      ],
    });
  });

  it.each<[string, OnboardingDraft["staff"], string, string]>([
    [
      "an unknown post",
      [{ login: "a.b.c", name: "X", post: "astronaut", unit: "grid-nanhu-1" }],
      "/staff/0/post",
      "reference.missing",
    ],
    [
      "an unknown unit",
      [{ login: "a.b.c", name: "X", post: "routing", unit: "moon" }],
      "/staff/0/unit",
      "reference.missing",
    ],
    [
      "a grid worker outside a grid",
      [{ login: "a.b.c", name: "X", post: "grid-worker", unit: "village-nanhu" }],
      "/staff/0/unit",
      "onboarding.unit-kind",
    ],
    [
      "a director outside the command room",
      [{ login: "a.b.c", name: "X", post: "director", unit: "village-nanhu" }],
      "/staff/0/unit",
      "onboarding.unit-fixed",
    ],
    [
      "a login used twice",
      [{ login: "south-lake.admin", name: "X", post: "routing", unit: "command-room" }],
      "/staff/0/login",
      "onboarding.login-duplicate",
    ],
  ])("refuses %s", (_name, staff, path, code) => {
    const result = peopleFor(draft({ staff }), config());
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.issues.map((i) => [i.path, i.code])).toContainEqual([path, code]);
  });
});

describe("templateFacts and knownUnits", () => {
  it("offers the template's platforms and the command room", () => {
    const facts = templateFacts(template());
    expect(facts.commandRoom).toBe("command-room");
    expect(facts.platforms.map((p) => p.id)).toEqual([
      "platform-party",
      "platform-economy",
      "platform-safety",
      "platform-service",
    ]);
    expect(facts.adminPost).toBe("township-admin");
  });

  it("knows the template's units minus dropped platforms plus added ones", () => {
    const ids = knownUnits(template().org!.units!, {
      keep: ["platform-safety"],
      add: [{ id: "platform-x", name: { zh: "X" } }],
    }).map((u) => u.id);
    expect(ids).toContain("platform-safety");
    expect(ids).toContain("platform-x");
    expect(ids).not.toContain("platform-party");
    expect(ids).toContain("command-room");
  });
});

describe("unitsForPost", () => {
  const facts = templateFacts(template());
  const units = [
    ...facts.units,
    { id: "village-nanhu", kind: "village" },
    { id: "grid-nanhu-1", kind: "grid" },
    { id: "grid-nanhu-2", kind: "grid" },
  ];
  const post = (id: string) => facts.posts.find((p) => p.id === id);

  it("offers a grid worker the grids, a platform lead the platforms, a fixed post its own unit", () => {
    expect(unitsForPost(post("grid-worker"), units).map((u) => u.id)).toEqual(["grid-nanhu-1", "grid-nanhu-2"]);
    expect(unitsForPost(post("platform-lead"), units).map((u) => u.id)).toEqual(facts.platforms.map((p) => p.id));
    expect(unitsForPost(post("director"), units).map((u) => u.id)).toEqual(["command-room"]);
  });

  it("offers every unit when no post is chosen yet", () => {
    expect(unitsForPost(undefined, units)).toHaveLength(units.length);
  });
});
