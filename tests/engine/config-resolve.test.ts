import { describe, it, expect } from "vitest";
import { mergeConfig, resolveConfig, type TemplateLookup } from "#engine/config/resolve";
import { readTenantJson, templateLookup } from "./helpers";
import { issueMessage } from "#app/locales/issues/index";

type Json = Parameters<typeof mergeConfig>[0];

describe("mergeConfig", () => {
  const cases: Array<{ name: string; base: Json; override: Json; expected: Json }> = [
    {
      name: "objects merge key by key, recursively",
      base: { a: 1, nested: { x: 1, y: 2 } },
      override: { b: 2, nested: { y: 3, z: 4 } },
      expected: { a: 1, b: 2, nested: { x: 1, y: 3, z: 4 } },
    },
    {
      name: "an id-array item with the same id is merged into the template's item",
      base: {
        posts: [
          { id: "a", name: "A", unit: "u1" },
          { id: "b", name: "B" },
        ],
      },
      override: { posts: [{ id: "a", name: "A2" }] },
      expected: {
        posts: [
          { id: "a", name: "A2", unit: "u1" },
          { id: "b", name: "B" },
        ],
      },
    },
    {
      name: "`$remove: true` removes the template's item",
      base: [{ id: "a" }, { id: "b" }, { id: "c" }],
      override: [{ id: "b", $remove: true }],
      expected: [{ id: "a" }, { id: "c" }],
    },
    {
      name: "removing an id the template does not have is a no-op (the marker is not appended)",
      base: [{ id: "a" }],
      override: [{ id: "zzz", $remove: true }],
      expected: [{ id: "a" }],
    },
    {
      name: "new ids are appended in the override's order, after the template's items",
      base: [{ id: "a" }, { id: "b" }],
      override: [{ id: "d" }, { id: "a", extra: true }, { id: "c" }],
      expected: [{ id: "a", extra: true }, { id: "b" }, { id: "d" }, { id: "c" }],
    },
    {
      name: "items merge deeply by id inside merged items",
      base: [
        {
          id: "a",
          nested: [
            { id: "x", v: 1 },
            { id: "y", v: 2 },
          ],
        },
      ],
      override: [{ id: "a", nested: [{ id: "y", v: 3 }] }],
      expected: [
        {
          id: "a",
          nested: [
            { id: "x", v: 1 },
            { id: "y", v: 3 },
          ],
        },
      ],
    },
    {
      name: "scalars are replaced",
      base: { n: 1, s: "zh", b: true },
      override: { n: 2, s: "en", b: false },
      expected: { n: 2, s: "en", b: false },
    },
    {
      name: "null in the override replaces",
      base: { a: { deep: 1 } },
      override: { a: null },
      expected: { a: null },
    },
    {
      name: "arrays without ids are replaced, not concatenated",
      base: { order: ["a", "b", "c"] },
      override: { order: ["c"] },
      expected: { order: ["c"] },
    },
    {
      name: "an id-array is replaced by an array whose items lack ids",
      base: { items: [{ id: "a" }] },
      override: { items: [{ name: "no id" }] },
      expected: { items: [{ name: "no id" }] },
    },
    {
      name: "an object is replaced by an array and vice versa",
      base: { a: { x: 1 }, b: [1, 2] },
      override: { a: [1], b: { y: 2 } },
      expected: { a: [1], b: { y: 2 } },
    },
    {
      name: "a scalar replaces an object",
      base: { a: { x: 1 } },
      override: { a: "flat" },
      expected: { a: "flat" },
    },
    {
      name: "keys named like Object.prototype members are ordinary data",
      base: { constructor: { a: 1 } },
      override: { constructor: { b: 2 }, toString: "x" },
      expected: { constructor: { a: 1, b: 2 }, toString: "x" },
    },
  ];

  it.each(cases)("$name", ({ base, override, expected }) => {
    expect(mergeConfig(base, override)).toEqual(expected);
  });

  it("does not mutate its inputs", () => {
    const base: Json = { posts: [{ id: "a", name: "A" }], o: { x: 1 } };
    const override: Json = { posts: [{ id: "a", name: "B" }, { id: "c" }], o: { y: 2 } };
    const baseCopy = structuredClone(base);
    const overrideCopy = structuredClone(override);
    mergeConfig(base, override);
    expect(base).toEqual(baseCopy);
    expect(override).toEqual(overrideCopy);
  });

  it("keeps a JSON `__proto__` key as data instead of changing the result's prototype", () => {
    const base = JSON.parse('{"a": 1}') as Json;
    const override = JSON.parse('{"__proto__": {"polluted": true}}') as Json;
    const merged = mergeConfig(base, override) as Record<string, unknown>;
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(merged.polluted).toBeUndefined();
    expect(JSON.parse(JSON.stringify(merged))).toEqual(JSON.parse('{"a": 1, "__proto__": {"polluted": true}}'));
  });
});

describe("resolveConfig", () => {
  const template = {
    kind: "template",
    id: "base",
    version: "1.0.0",
    name: { zh: "基础模板", en: "Base" },
    description: { zh: "模板说明" },
    locale: "zh-CN",
    posts: [
      { id: "a", kind: "working", name: { zh: "甲" } },
      { id: "b", kind: "working", name: { zh: "乙" } },
    ],
  };
  const lookupOf =
    (templates: Record<string, unknown>): TemplateLookup =>
    (ref) =>
      templates[ref];

  it("returns a config without `extends` unchanged", () => {
    const raw = { kind: "township", id: "solo", version: "1.0.0", name: { zh: "独立" } };
    expect(resolveConfig(raw, lookupOf({}))).toEqual({ ok: true, value: raw });
  });

  it("lays the child over its template, identity fields from the child", () => {
    const child = {
      kind: "township",
      id: "town",
      version: "2.3.4",
      extends: "base@1.0.0",
      name: { zh: "某镇" },
      posts: [
        { id: "b", $remove: true },
        { id: "c", kind: "working", name: { zh: "丙" } },
      ],
    };
    const result = resolveConfig(child, lookupOf({ "base@1.0.0": template }));
    expect(result).toEqual({
      ok: true,
      value: {
        kind: "township",
        id: "town",
        version: "2.3.4",
        extends: "base@1.0.0",
        // The child names itself in Chinese only: the template's English name must not leak in.
        name: { zh: "某镇" },
        locale: "zh-CN",
        posts: [
          { id: "a", kind: "working", name: { zh: "甲" } },
          { id: "c", kind: "working", name: { zh: "丙" } },
        ],
      },
    });
    // The template's description is not the township's.
    expect(result.ok && Object.hasOwn(result.value as object, "description")).toBe(false);
  });

  it("drops `$remove` markers a template itself carries", () => {
    const marked = { ...template, posts: [...template.posts, { id: "gone", $remove: true }] };
    const child = { kind: "township", id: "town", version: "1.0.0", extends: "base@1.0.0", name: { zh: "某镇" } };
    const result = resolveConfig(child, lookupOf({ "base@1.0.0": marked }));
    expect(result.ok).toBe(true);
    expect(result.ok && (result.value as { posts: Array<{ id: string }> }).posts.map((p) => p.id)).toEqual(["a", "b"]);
  });

  it("follows a chain of templates, nearest layer winning", () => {
    const middle = {
      kind: "template",
      id: "mid",
      version: "1.0.0",
      extends: "base@1.0.0",
      name: { zh: "中间" },
      locale: "en",
      posts: [{ id: "a", name: { zh: "甲2" } }],
    };
    const child = {
      kind: "township",
      id: "town",
      version: "1.0.0",
      extends: "mid@1.0.0",
      name: { zh: "某镇" },
      posts: [{ id: "b", name: { zh: "乙3" } }],
    };
    const result = resolveConfig(child, lookupOf({ "base@1.0.0": template, "mid@1.0.0": middle }));
    expect(result.ok).toBe(true);
    const value = (result.ok ? result.value : {}) as {
      locale: string;
      extends: string;
      posts: Array<{ id: string; name: { zh: string } }>;
    };
    expect(value.locale).toBe("en");
    expect(value.extends).toBe("mid@1.0.0");
    expect(value.posts.map((p) => [p.id, p.name.zh])).toEqual([
      ["a", "甲2"],
      ["b", "乙3"],
    ]);
  });

  it.each([
    { name: "missing template", lookup: lookupOf({}), code: "extends.not-found" },
    {
      name: "a template missing further up the chain",
      lookup: lookupOf({ "base@1.0.0": { ...template, extends: "ghost@9.9.9" } }),
      code: "extends.not-found",
    },
    {
      name: "a template that extends itself",
      lookup: lookupOf({ "base@1.0.0": { ...template, extends: "base@1.0.0" } }),
      code: "extends.cycle",
    },
    {
      name: "two templates extending each other",
      lookup: lookupOf({
        "base@1.0.0": { ...template, extends: "other@1.0.0" },
        "other@1.0.0": { ...template, id: "other", extends: "base@1.0.0" },
      }),
      code: "extends.cycle",
    },
  ])("reports $name as $code at /extends", ({ lookup, code }) => {
    const child = { kind: "township", id: "town", version: "1.0.0", extends: "base@1.0.0", name: { zh: "某镇" } };
    const result = resolveConfig(child, lookup);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(1);
    const [issue] = result.issues;
    expect(issue).toMatchObject({ path: "/extends", code });
    expect(issueMessage(issue!).zh).toMatch(/[\u4e00-\u9fff]/);
    expect(issueMessage(issue!).en.length).toBeGreaterThan(0);
  });

  it("names the missing template version in the message", () => {
    const child = {
      kind: "township",
      id: "town",
      version: "1.0.0",
      extends: "command-room-guideline@9.0.0",
      name: { zh: "某镇" },
    };
    const result = resolveConfig(child, templateLookup);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(issueMessage(result.issues[0]!).en).toContain("command-room-guideline@9.0.0");
    expect(issueMessage(result.issues[0]!).zh).toContain("command-room-guideline@9.0.0");
  });

  describe("with the shipped tenants", () => {
    it("east-lake gets the template's posts and its own villages appended after the template's units", () => {
      const result = resolveConfig(readTenantJson("townships/east-lake.json"), templateLookup);
      expect(result.ok).toBe(true);
      const value = (result.ok ? result.value : {}) as {
        id: string;
        kind: string;
        name: { zh: string };
        org: { units: Array<{ id: string }> };
        posts: unknown[];
        categories: Array<{ id: string }>;
      };
      expect(value.id).toBe("east-lake");
      expect(value.kind).toBe("township");
      expect(value.name.zh).toBe("东湖镇");
      expect(value.org.units.map((u) => u.id)).toEqual([
        "command-room",
        "platform-party",
        "platform-economy",
        "platform-safety",
        "platform-service",
        "police-station",
        "fire-station",
        "village-qiaotou",
        "grid-qiaotou-1",
        "grid-qiaotou-2",
        "village-shanxia",
        "grid-shanxia-1",
      ]);
      expect(value.posts).toHaveLength(12);
      expect(value.categories.map((c) => c.id)).toEqual(["dispute", "safety-hazard", "public-service", "county-task"]);
      expect(Object.hasOwn(value, "description")).toBe(false);
    });

    it("west-hill adds its own category after the template's", () => {
      const result = resolveConfig(readTenantJson("townships/west-hill.json"), templateLookup);
      expect(result.ok).toBe(true);
      const value = (result.ok ? result.value : {}) as { categories: Array<{ id: string }> };
      expect(value.categories.map((c) => c.id)).toEqual([
        "dispute",
        "safety-hazard",
        "public-service",
        "market-complaint",
        "county-task",
      ]);
    });

    it.each(["townships/east-lake.json", "townships/west-hill.json", "templates/command-room-guideline@1.0.0.json"])(
      "%s resolves deterministically and leaves its inputs untouched",
      (file) => {
        const raw = readTenantJson(file);
        const rawCopy = structuredClone(raw);
        const template = templateLookup("command-room-guideline@1.0.0");
        const templateCopy = structuredClone(template);
        const first = resolveConfig(raw, () => template);
        const second = resolveConfig(structuredClone(raw), templateLookup);
        expect(first.ok).toBe(true);
        expect(second).toEqual(first);
        // Same key order too: the resolved document is stored and diffed as JSON.
        expect(JSON.stringify(second)).toBe(JSON.stringify(first));
        expect(raw).toEqual(rawCopy);
        expect(template).toEqual(templateCopy);
      },
    );

    it("the resolved document shares no objects with the template (editing one cannot change the other)", () => {
      const template = templateLookup("command-room-guideline@1.0.0") as { posts: Array<{ name: { zh: string } }> };
      const result = resolveConfig(readTenantJson("townships/east-lake.json"), () => template);
      expect(result.ok).toBe(true);
      const value = (result.ok ? result.value : {}) as { posts: Array<{ name: { zh: string } }> };
      value.posts[0]!.name.zh = "改过";
      expect(template.posts[0]!.name.zh).toBe("主任");
    });
  });
});
