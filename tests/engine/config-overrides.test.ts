import { describe, expect, it } from "vitest";
import { createAjv } from "#engine/ajv";
import { prepareConfig } from "#engine/config/index";
import { toIdPath, type Json } from "#engine/config/id-paths";
import {
  applySectionEdits,
  overrideFor,
  SECTION_IDS,
  sectionValue,
  type SectionEdits,
  type SectionId,
} from "#engine/config/overrides";
import { resolveConfig } from "#engine/config/resolve";
import { sectionContext, sectionForm } from "#engine/config/section-forms";
import { hasCjk, readTenantJson, templateLookup, type MutableConfig } from "./helpers";
import { issueMessage } from "#app/locales/issues/index";

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
    ["a reordered list without ids as $replace", { l: [1, 2] }, { l: [2, 1] }, undefined, { l: { $replace: [2, 1] } }],
    [
      "items added to a list without ids as $append",
      { l: [1, 2] },
      { l: [1, 2, 3] },
      undefined,
      { l: { $append: [3] } },
    ],
    ["items put first as $prepend", { l: [1, 2] }, { l: [0, 1, 2] }, undefined, { l: { $prepend: [0] } }],
    ["items taken out as $remove", { l: [1, 2, 3] }, { l: [1, 3] }, undefined, { l: { $remove: [2] } }],
    [
      "removed and added together",
      { l: [1, 2, 3] },
      { l: [1, 3, 4] },
      undefined,
      { l: { $remove: [2], $append: [4] } },
    ],
    ["a new list where the template has an empty one", { l: [] }, { l: [1] }, undefined, { l: [1] }],
    [
      "id items by id, new ones whole, missing ones removed",
      [
        { id: "x", v: 1 },
        { id: "y", v: 2 },
      ],
      [
        { id: "x", v: 5 },
        { id: "z", v: 3 },
      ],
      undefined,
      [
        { id: "x", v: 5 },
        { id: "z", v: 3 },
        { id: "y", $remove: true },
      ],
    ],
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
    const result = applySectionEdits(src, template(), {
      categories,
      deadlinePolicies: policies,
      units: section(config, "units"),
      posts: section(config, "posts"),
    });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    // The township's own category (tasks from the county) stays as it was written.
    expect(result.source.categories).toEqual([{ id: "dispute", name: { zh: "邻里纠纷" } }, ...src.categories]);
    expect(result.source.deadlinePolicies).toEqual({
      ...src.deadlinePolicies,
      standard: { handle: { amount: 3 } },
    });
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
      ...src.categories.slice(1),
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
    expect(issueMessage(result.issues[0]!).zh).toContain(zh);
    expect(hasCjk(issueMessage(result.issues[0]!).en)).toBe(false);
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
    if (!prepared.ok)
      expect(prepared.issues.map((i) => [i.path, i.code])).toContainEqual([
        "/categories/0/defaultGrade",
        "reference.missing",
      ]);
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
    // The units that may run a category: the platforms and the command room itself (tasks from the county).
    expect(item.platform.oneOf.map((o: any) => o.const)).toEqual([
      "command-room",
      "platform-party",
      "platform-economy",
      "platform-safety",
      "platform-service",
    ]);
    expect(item.defaultGrade.oneOf[0]).toEqual({ const: "general", title: "General（general）" });
    expect(item.name.title).toBe("Name");
    expect(item.name.properties.zh.title).toBe("Chinese");
    const zh = sectionForm("deadlinePolicies", context, "zh-CN").schema as any;
    expect(zh.additionalProperties.properties.handle.properties.unit.oneOf.map((o: any) => o.title)).toEqual([
      "工作日",
      "自然日",
      "小时",
    ]);
  });
});

describe("scoring rules, rating levels and workbenches as sections", () => {
  const rule = (config: MutableConfig, id: string) => config.scoring.rules.find((r: any) => r.id === id);
  const tab = (config: MutableConfig, wb: string, id: string) =>
    config.views.workbenches.find((w: any) => w.id === wb).tabs.find((t: any) => t.id === id);

  it("writes a rule's new points as the only override, and the township then scores with it", () => {
    const src = source();
    const rules = section(effective(src), "scoring");
    rules.find((r: any) => r.id === "supervision-sheet").points = -4;
    const result = applySectionEdits(src, template(), { scoring: rules });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.source.scoring).toEqual({ rules: [{ id: "supervision-sheet", points: -4 }] });
    const { scoring: _s, ...rest } = result.source;
    expect(rest).toEqual(src);
    const after = effective(result.source as MutableConfig);
    expect(rule(after, "supervision-sheet").points).toBe(-4);
    expect(rule(after, "closed-late").points).toEqual({ perDay: -1, max: 10 });
    // Appeal settings and the base are not part of the section and stay the template's.
    expect(after.scoring.appeal).toEqual(template().scoring.appeal);
    expect(after.scoring.base).toBe(1000);
  });

  it("writes a tab's new filter and name as the only override of that tab", () => {
    const src = source();
    const workbenches = section(effective(src), "views");
    const triage = workbenches[0].tabs.find((t: any) => t.id === "to-triage");
    triage.filter.states = ["reported", "triage"];
    triage.name.zh = "待研判分派";
    const result = applySectionEdits(src, template(), { views: workbenches });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.source.views).toEqual({
      workbenches: [
        {
          id: "command-room",
          tabs: [
            { id: "to-triage", name: { zh: "待研判分派" }, filter: { states: { $append: ["triage"] } } },
            // The township's own tab stays as it was written.
            ...src.views.workbenches[0].tabs,
          ],
        },
      ],
    });
    const after = effective(result.source as MutableConfig);
    expect(tab(after, "command-room", "to-triage")).toEqual({
      id: "to-triage",
      name: { zh: "待研判分派", en: "To triage" },
      filter: { states: ["reported", "triage"] },
    });
    expect(after.views.doneStates).toEqual(["closed"]);
    // No tab lost or added by the edit: the template's tabs plus the township's own one.
    expect(after.views.workbenches.map((w: any) => w.tabs.length)).toEqual(
      template().views.workbenches.map((w: any, i: number) => w.tabs.length + (i === 0 ? 1 : 0)),
    );
  });

  it("writes changed rating thresholds as an explicit $replace (levels have no ids) and leaves the rules alone", () => {
    const src = source();
    const ratings = section(effective(src), "ratings");
    ratings.grid[1].min = 990;
    const result = applySectionEdits(src, template(), { ratings, scoring: section(effective(src), "scoring") });
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.source.scoring).toEqual({ ratings: { grid: { $replace: ratings.grid } } });
    expect(effective(result.source as MutableConfig).scoring.ratings.grid.map((l: any) => l.min)).toEqual([
      1000,
      990,
      undefined,
    ]);
  });

  it.each<[string, (c: MutableConfig) => SectionEdits, string, string, string]>([
    [
      "a rule on a fact that does not exist",
      (c) => ({
        scoring: section(c, "scoring").map((r: any) => (r.id === "returned" ? { ...r, on: "case.lost" } : r)),
      }),
      "/scoring/rules/returned/on",
      "未知的考评事实“case.lost”",
      'Unknown fact "case.lost"',
    ],
    [
      "a workbench for a post that does not exist",
      (c) => {
        const w = section(c, "views");
        w[1].posts = ["platform-lead", "night-watch"];
        return { views: w };
      },
      "/views/workbenches/assignee/posts/1",
      "岗位“night-watch”不存在",
      'Post "night-watch" does not exist',
    ],
  ])("is refused by validation: %s, in Chinese and English", (_name, edit, path, zh, en) => {
    const src = source();
    const result = applySectionEdits(src, template(), edit(effective(src)));
    if (!result.ok) throw new Error("should apply");
    const prepared = prepareConfig(result.source, templateLookup);
    expect(prepared.ok).toBe(false);
    if (prepared.ok) return;
    const resolved = resolveConfig(result.source, templateLookup);
    const issue = prepared.issues
      .map((i) => ({ ...i, path: toIdPath(resolved.ok ? resolved.value : {}, i.path) }))
      .find((i) => i.path === path);
    expect(issueMessage(issue!).zh).toContain(zh);
    expect(issueMessage(issue!).en).toContain(en);
  });

  const config = effective(source());
  const context = sectionContext(config as never);
  const titles = (props: any) => Object.fromEntries(Object.entries(props).map(([k, v]: [string, any]) => [k, v.title]));

  it("offers facts, targets, posts and conditions to pick, with Chinese titles", () => {
    const { schema } = sectionForm("scoring", context, "zh-CN");
    const item = (schema.items as any).properties;
    expect(titles(item)).toEqual({
      id: "编号",
      name: "名称",
      on: "计分事项",
      when: "适用条件",
      target: "计分对象",
      points: "分值",
    });
    const facts = item.on.oneOf[0].oneOf;
    expect(facts.find((f: any) => f.const === "supervision.sheet-issued").title).toBe(
      "督办单（supervision.sheet-issued）",
    );
    expect(item.on.oneOf[1].properties.transition.oneOf.map((o: any) => o.const)).toContain("redo");
    expect(item.on.oneOf[1].properties.workflow.oneOf.map((o: any) => o.const)).toContain("case-loop");
    const targets = item.target.oneOf;
    expect(targets.find((t: any) => t.const === "lead-unit").title).toBe("牵头单位");
    expect(targets.find((t: any) => t.const === "post:director").title).toMatch(/^岗位：.+（director）$/);
    expect(item.points.oneOf.map((o: any) => o.title)).toEqual(["每次计分", "按超期天数计分"]);
    const params = item.when.properties.params.properties;
    expect(params.grades.items.oneOf.map((o: any) => o.const)).toEqual(config.grades.map((g: any) => g.id));
    expect(params.grades.title).toBe("事件等级（用于“事件等级是”）");
    expect(params.transitions.items.oneOf.map((o: any) => o.const)).toContain("return");
    expect(item.when.properties.type.oneOf.find((o: any) => o.const === "grade-in").title).toBe("事件等级是");

    // The browser's check agrees with the server's on a fact that does not exist.
    const validate = createAjv().compile(schema);
    expect(
      validate(section(config, "scoring").map((r: any) => (r.id === "returned" ? { ...r, on: "case.lost" } : r))),
    ).toBe(false);
  });

  it("offers posts, states, grades, categories and columns to pick in a workbench, with Chinese titles", () => {
    const { schema, uiSchema } = sectionForm("views", context, "zh-CN");
    const wb = (schema.items as any).properties;
    expect(titles(wb)).toEqual({ id: "编号", name: "名称", posts: "适用岗位", tabs: "标签页", columns: "列表列" });
    expect(wb.posts.items.oneOf[0]).toEqual({ const: "*", title: "全体成员（*）" });
    expect(wb.posts.items.oneOf.map((o: any) => o.const)).toEqual(["*", ...config.posts.map((p: any) => p.id)]);
    expect(wb.columns.items.oneOf.find((o: any) => o.const === "dueAt").title).toBe("到期时间");
    const filter = wb.tabs.items.properties.filter.properties;
    expect(titles(filter)).toEqual({
      states: "状态",
      mine: "与我相关",
      due: "期限",
      supervised: "督办",
      grades: "事件等级",
      categories: "事件类别",
    });
    expect(filter.states.items.oneOf.map((o: any) => o.const)).toEqual(
      expect.arrayContaining(["reported", "triage", "revisit", "closed"]),
    );
    expect(filter.due.oneOf.map((o: any) => o.title)).toEqual(["已超期", "2 天内到期", "有在计时的期限"]);
    expect(filter.categories.items.oneOf.map((o: any) => o.const)).toEqual(config.categories.map((c: any) => c.id));
    expect((uiSchema as any).items.tabs["ui:options"]).toEqual({ orderable: false });
  });

  it("titles rating levels by the kind of target they rate", () => {
    const { schema } = sectionForm("ratings", context, "en");
    expect((schema as any).properties.grid.title).toBe("Grids");
    expect(titles((schema as any).properties.grid.items.properties)).toEqual({
      level: "Level id",
      name: "Name",
      min: "Lowest score",
    });
  });
});
