import { describe, expect, it } from "vitest";
import { createAjv } from "../../engine/ajv";
import { prepareConfig } from "../../engine/config/index";
import type { Json } from "../../engine/config/id-paths";
import { applySectionEdits, overrideFor, SECTION_IDS, sectionValue, type SectionEdits, type SectionId } from "../../engine/config/overrides";
import { resolveConfig } from "../../engine/config/resolve";
import { sectionContext, sectionForm } from "../../engine/config/section-forms";
import { hasCjk, readTenantJson, templateLookup, type MutableConfig } from "./helpers";

const TEMPLATE = "command-room-guideline@1.0.0";

function template(): MutableConfig {
  const resolved = resolveConfig(templateLookup(TEMPLATE), templateLookup);
  if (!resolved.ok) throw new Error("template does not resolve");
  return resolved.value as MutableConfig;
}
const source = (id = "east-lake") => readTenantJson(`townships/${id}.json`) as MutableConfig;
function effective(src: MutableConfig): MutableConfig {
  const prepared = prepareConfig(src, templateLookup);
  if (!prepared.ok) throw new Error(JSON.stringify(prepared.issues));
  return structuredClone(prepared.config) as MutableConfig;
}
const section = (config: MutableConfig, id: SectionId) => structuredClone(sectionValue(config, id)) as any;

describe("overrideFor", () => {
  type Row = [string, Json | undefined, Json, Json | undefined, Json | undefined];
  it.each<Row>([
    ["nothing when the target is the base", { a: 1 }, { a: 1 }, undefined, undefined],
    ["a changed key only", { a: 1, b: { c: 2, d: 3 } }, { a: 1, b: { c: 2, d: 4 } }, undefined, { b: { d: 4 } }],
    ["a new key whole", { a: 1 }, { a: 1, b: [1, 2] }, undefined, { b: [1, 2] }],
    ["a list without ids whole", { l: [1, 2] }, { l: [2, 1] }, undefined, { l: [2, 1] }],
    ["id items by id, new ones whole, missing ones removed", [{ id: "x", v: 1 }, { id: "y", v: 2 }], [{ id: "x", v: 5 }, { id: "z", v: 3 }], undefined, [{ id: "x", v: 5 }, { id: "z", v: 3 }, { id: "y", $remove: true }]],
    ["the previous override when it still gives the target", { a: 1 }, { a: 1 }, { a: 1 }, { a: 1 }],
    ["everything when there is no base", undefined, { a: 1 }, undefined, { a: 1 }],
  ])("gives %s", (_name, base, target, previous, expected) => {
    expect(overrideFor(base, target, previous)).toEqual(expected);
  });
});

describe("applySectionEdits", () => {
  it("writes a renamed category and a shorter deadline as the smallest overrides, leaving the rest of the source alone", () => {
    const src = source();
    const config = effective(src);
    const categories = section(config, "categories");
    categories.find((c: any) => c.id === "dispute").name.zh = "邻里纠纷";
    const policies = section(config, "deadlinePolicies");
    policies.standard.handle.amount = 3;
    const result = applySectionEdits(src, template(), { categories, deadlinePolicies: policies, units: section(config, "units"), posts: section(config, "posts") });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.source.categories).toEqual([{ id: "dispute", name: { zh: "邻里纠纷" } }]);
    expect(result.source.deadlinePolicies).toEqual({ standard: { handle: { amount: 3 } } });
    expect(result.source.org).toEqual(src.org);
    expect(result.source.posts).toEqual(src.posts);
    const after = effective(result.source as MutableConfig);
    expect(section(after, "categories")).toEqual(categories);
    expect(section(after, "deadlinePolicies")).toEqual(policies);
    expect(after.categories.find((c: any) => c.id === "dispute").name.en).toBe("Dispute");
  });

  it("keeps what the township wrote when a section is saved unchanged, even an override equal to the template", () => {
    const src = { ...source(), grades: [{ id: "general", name: { zh: "一般事件" } }] };
    const config = effective(src);
    const edits = Object.fromEntries(SECTION_IDS.map((id) => [id, section(config, id)])) as SectionEdits;
    const result = applySectionEdits(src, template(), edits);
    expect(result).toEqual({ ok: true, source: src });
  });

  it("removes a template category with $remove and keeps a township's own category whole", () => {
    const src = source("west-hill");
    const config = effective(src);
    const categories = section(config, "categories").filter((c: any) => c.id !== "public-service");
    categories.find((c: any) => c.id === "market-complaint").name.zh = "市场投诉举报";
    const result = applySectionEdits(src, template(), { categories });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.source.categories).toEqual([
      { ...src.categories[0], name: { zh: "市场投诉举报", en: "Market complaint" } },
      { id: "public-service", $remove: true },
    ]);
    expect(section(effective(result.source as MutableConfig), "categories")).toEqual(categories);
  });

  it.each<[string, (c: MutableConfig) => SectionEdits, string, string]>([
    [
      "deleting a setting the template defines",
      (c) => {
        const p = section(c, "deadlinePolicies");
        delete p.standard.wartime;
        return { deadlinePolicies: p };
      },
      "/deadlinePolicies/standard/wartime",
      "删除时限规则“standard”的战时时限",
    ],
    [
      "reordering the template's categories",
      (c) => ({ categories: section(c, "categories").reverse() }),
      "/categories",
      "类别的顺序",
    ],
  ])("refuses %s, saying where and why", (_name, edit, path, zh) => {
    const result = applySectionEdits(source(), template(), edit(effective(source())));
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]!.path).toBe(path);
    expect(result.issues[0]!.code).toBe("override.not-expressible");
    expect(result.issues[0]!.message.zh).toContain(zh);
    expect(hasCjk(result.issues[0]!.message.en)).toBe(false);
  });

  it("lets validation catch a reference that no longer resolves", () => {
    const src = source();
    const config = effective(src);
    const categories = section(config, "categories");
    categories[0].defaultGrade = "urgent";
    const result = applySectionEdits(src, template(), { categories });
    if (!result.ok) throw new Error("should apply");
    const prepared = prepareConfig(result.source, templateLookup);
    expect(prepared.ok).toBe(false);
    if (!prepared.ok) expect(prepared.issues.map((i) => [i.path, i.code])).toContainEqual(["/categories/0/defaultGrade", "reference.missing"]);
  });
});

describe("sectionForm", () => {
  const config = effective(source());
  const context = sectionContext(config as never);

  it.each(SECTION_IDS)("generates a valid schema for %s that accepts the township's current section", (id) => {
    const { schema } = sectionForm(id, context, "zh-CN");
    const ajv = createAjv();
    expect(ajv.validateSchema(schema)).toBe(true);
    const validate = ajv.compile(schema);
    expect(validate(sectionValue(config, id)), JSON.stringify(validate.errors)).toBe(true);
    expect(JSON.stringify(schema)).not.toContain("$remove");
    expect(JSON.stringify(schema)).not.toContain("Text shown to people");
  });

  it("offers the config's own things as choices, named in the reader's language", () => {
    const { schema } = sectionForm("categories", context, "en");
    const item = (schema.items as any).properties;
    expect(item.platform.oneOf.map((o: any) => o.const)).toEqual(["platform-party", "platform-economy", "platform-safety", "platform-service"]);
    expect(item.defaultGrade.oneOf[0]).toEqual({ const: "general", title: "General（general）" });
    expect(item.name.title).toBe("Name");
    expect(item.name.properties.zh.title).toBe("Chinese");
    const zh = sectionForm("deadlinePolicies", context, "zh-CN").schema as any;
    expect(zh.additionalProperties.properties.handle.properties.unit.oneOf.map((o: any) => o.title)).toEqual(["工作日", "自然日", "小时"]);
  });
});
