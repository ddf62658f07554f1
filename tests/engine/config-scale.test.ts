// Config work stays linear in the size of the lists (issue 12, item 2): merging, stripping,
// writing overrides, mapping issue paths and diffing 8,000 and 200,000 items. Without a clock:
// items count the property reads made on them, and the reads per item must not grow with the list.
import { describe, expect, it } from "vitest";
import { diffConfigs } from "#engine/config/diff";
import { idPathsIn, type Json, type JsonObject } from "#engine/config/id-paths";
import { applySectionEdits } from "#engine/config/overrides";
import { mergeConfig, resolveConfig } from "#engine/config/resolve";
import { configLimitIssues, jsonTextDepth, MAX_JSON_DEPTH, parseBoundedJson } from "#engine/limits";
import { withMessage } from "#app/locales/issues/index";

const SIZES = [8_000, 200_000];

/** Items that count every property read on them. */
function counting() {
  let reads = 0;
  const wrap = <T extends object>(item: T): T =>
    new Proxy(item, {
      get(target, key, receiver) {
        reads++;
        return Reflect.get(target, key, receiver);
      },
    });
  return { wrap, reads: () => reads };
}

const post = (i: number, zh = `岗位${i}`): JsonObject => ({ id: `p${i}`, kind: "working", name: { zh } });
const range = (n: number) => Array.from({ length: n }, (_, i) => i);

// A handful of reads per item (id, the keys of a small object …); quadratic work would read each
// item as many times as the list is long.
const PER_ITEM = 40;

// Proxies are slow: 200,000 of them take seconds even when the work is linear.
describe.each(SIZES)("with %i items", { timeout: 60_000 }, (n) => {
  it("mergeConfig merges an id list by id, in order, with removals and additions", () => {
    const c = counting();
    const base = range(n).map((i) => c.wrap(post(i)));
    // Every even item changed, every third removed, n/2 new ones appended.
    const override = [
      ...range(n).flatMap((i): JsonObject[] =>
        i % 3 === 0
          ? [c.wrap({ id: `p${i}`, $remove: true })]
          : i % 2 === 0
            ? [c.wrap({ id: `p${i}`, name: { zh: "改" } })]
            : [],
      ),
      ...range(n / 2).map((i) => c.wrap(post(n + i))),
    ];
    const merged = mergeConfig(base, override as Json) as JsonObject[];
    const kept = range(n).filter((i) => i % 3 !== 0);
    expect(merged.map((p) => p.id)).toEqual([...kept.map((i) => `p${i}`), ...range(n / 2).map((i) => `p${n + i}`)]);
    expect(merged[0]).toEqual(post(1));
    expect(merged[1]).toEqual({ ...post(2), name: { zh: "改" } });
    expect(c.reads() / (base.length + override.length)).toBeLessThan(PER_ITEM);
  });

  it("resolveConfig strips the removal markers of a template chain", () => {
    const c = counting();
    const template = {
      kind: "template",
      id: "big",
      version: "1.0.0",
      name: { zh: "大" },
      posts: range(n).map((i) => c.wrap(post(i))),
    };
    const source = {
      kind: "township",
      id: "t",
      version: "1.0.0",
      name: { zh: "镇" },
      extends: "big@1.0.0",
      posts: range(n).map((i) => c.wrap(i % 2 ? { id: `p${i}`, $remove: true } : post(i, "改"))),
    };
    const resolved = resolveConfig(source, (ref) => (ref === "big@1.0.0" ? template : undefined));
    if (!resolved.ok) throw new Error("does not resolve");
    const posts = (resolved.value as { posts: JsonObject[] }).posts;
    expect(posts).toHaveLength(n / 2);
    expect(posts.every((p) => !("$remove" in p) && (p.name as JsonObject).zh === "改")).toBe(true);
    expect(c.reads() / (2 * n)).toBeLessThan(PER_ITEM);
  });

  it("applySectionEdits writes an edited list back as overrides of the template", () => {
    const c = counting();
    const template: JsonObject = {
      kind: "template",
      id: "big",
      version: "1.0.0",
      name: { zh: "大" },
      posts: range(n).map((i) => c.wrap(post(i))),
    };
    const source: JsonObject = {
      kind: "township",
      id: "t",
      version: "1.0.0",
      name: { zh: "镇" },
      extends: "big@1.0.0",
      posts: range(n / 2).map((i) => c.wrap({ id: `p${i}`, name: { zh: "旧" } })),
    };
    // The admin renames the last item and adds n new ones.
    const edited = [
      ...range(n).map((i) => c.wrap(i === n - 1 ? post(i, "新") : i < n / 2 ? post(i, "旧") : post(i))),
      ...range(n).map((i) => c.wrap(post(n + i))),
    ];
    const applied = applySectionEdits(source, template, { posts: edited as Json });
    if (!applied.ok) throw new Error(JSON.stringify(applied.issues.slice(0, 3)));
    const written = applied.source.posts as JsonObject[];
    expect(written).toHaveLength(n / 2 + 1 + n);
    expect(written[n / 2]).toEqual({ id: `p${n - 1}`, name: { zh: "新" } });
    expect(c.reads() / (n + n / 2 + 2 * n)).toBeLessThan(PER_ITEM);
  });

  it("idPathsIn names every issue's item by id, looking at the list once", () => {
    const c = counting();
    const document = { posts: range(n).map((i) => c.wrap(post(i))) };
    const toIdPath = idPathsIn(document);
    const paths = range(n).map((i) => toIdPath(`/posts/${i}/kind`));
    expect(paths[0]).toBe("/posts/p0/kind");
    expect(paths[n - 1]).toBe(`/posts/p${n - 1}/kind`);
    expect(c.reads() / n).toBeLessThan(PER_ITEM);
  });

  it("diffConfigs compares reordered and changed id lists without a search per item", () => {
    const a = { posts: range(n).map((i) => post(i)) };
    const b = {
      posts: [
        ...range(n)
          .reverse()
          .map((i) => (i % 1000 === 0 ? post(i, "改") : post(i))),
        post(n),
      ],
    };
    const changes = diffConfigs(a, b);
    expect(changes.filter((ch) => ch.reordered)).toHaveLength(1);
    expect(changes.filter((ch) => ch.kind === "changed" && !ch.reordered)).toHaveLength(n / 1000);
    expect(changes.filter((ch) => ch.kind === "added")).toEqual([expect.objectContaining({ path: `/posts/p${n}` })]);
  });

  it("configLimitIssues refuses the list by its cap in one pass", () => {
    expect(configLimitIssues({ posts: range(n).map((i) => post(i)) }).map(withMessage)).toEqual([
      {
        path: "/posts",
        code: "limit.count",
        params: { what: "posts", entries: n, limit: 2000 },
        message: { zh: `配置过大：岗位 ${n} 个，上限 2000`, en: `Config too large: ${n} posts, limit 2000` },
      },
    ]);
  });
});

describe("depth", () => {
  const nested = (levels: number) => "[".repeat(levels) + "]".repeat(levels);

  it.each([
    [1, "[]"],
    [2, '{"a":[1]}'],
    [1, '{"a":"[[[[{{{"}'],
    [1, '["\\"[[["]'],
    [MAX_JSON_DEPTH, nested(MAX_JSON_DEPTH)],
  ])("counts %i levels in %s, ignoring brackets in strings", (levels, text) => {
    expect(jsonTextDepth(text)).toBe(levels);
  });

  it("refuses JSON text deeper than the cap before parsing it, and parses what is within", () => {
    expect(parseBoundedJson(nested(MAX_JSON_DEPTH))).toEqual({ ok: true, value: JSON.parse(nested(MAX_JSON_DEPTH)) });
    expect(parseBoundedJson(nested(MAX_JSON_DEPTH + 1))).toMatchObject({
      ok: false,
      status: 400,
      issue: { code: "limit.depth" },
    });
    expect(parseBoundedJson(nested(1_000_000))).toMatchObject({ ok: false, status: 400 });
    expect(parseBoundedJson("not json")).toEqual({ ok: true, value: undefined });
  });

  it("refuses JSON text over the byte cap by its size, naming the cap", () => {
    expect(parseBoundedJson(JSON.stringify("x".repeat(100)), 64)).toMatchObject({
      ok: false,
      status: 413,
      issue: { code: "limit.bytes" },
    });
    // Three bytes per character in UTF-8: over the cap in bytes though not in characters.
    expect(parseBoundedJson(JSON.stringify("岗".repeat(30)), 64)).toMatchObject({ ok: false, status: 413 });
    expect(parseBoundedJson(JSON.stringify("岗".repeat(15)), 64)).toMatchObject({ ok: true });
  });

  it("configLimitIssues walks a document nested 100,000 levels deep without recursion", () => {
    let deep: unknown = 1;
    for (let i = 0; i < 100_000; i++) deep = { x: deep };
    expect(configLimitIssues({ forms: deep })).toEqual([expect.objectContaining({ code: "limit.depth" })]);
  });
});
