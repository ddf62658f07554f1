import { describe, expect, it } from "vitest";
import { changeMessage, describeChange, diffConfigs, type ConfigChange } from "#engine/config/diff";
import { getAtIdPath, toIdPath } from "#engine/config/id-paths";
import { demoConfig, hasCjk, type MutableConfig } from "./helpers";

const TEMPLATE = "command-room-guideline@1.0.0";

/** The same document with every object's keys in reverse order (as PostgreSQL jsonb might return it). */
function reverseKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reverseKeys);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .reverse()
        .map(([k, v]) => [k, reverseKeys(v)]),
    );
  return value;
}

const category = (config: MutableConfig, id: string) => config.categories.find((c: { id: string }) => c.id === id);

describe("diffConfigs", () => {
  it("finds nothing between a config and a copy of it, whatever the key order", () => {
    const a = demoConfig();
    expect(diffConfigs(a, structuredClone(a))).toEqual([]);
    expect(diffConfigs(a, reverseKeys(a))).toEqual([]);
  });

  it("ignores the root $schema, an editor hint", () => {
    const a = demoConfig();
    const b = { ...structuredClone(a), $schema: "https://example.org/elsewhere.json" };
    expect(diffConfigs(a, b)).toEqual([]);
  });

  type Case = {
    name: string;
    edit: (b: MutableConfig) => void;
    expected: Array<Pick<ConfigChange, "path" | "kind"> & Partial<ConfigChange>>;
  };
  const cases: Case[] = [
    {
      name: "a renamed category is addressed by its id",
      edit: (b) => (category(b, "dispute").name.zh = "邻里纠纷"),
      expected: [{ path: "/categories/dispute/name/zh", kind: "changed", before: "矛盾纠纷", after: "邻里纠纷" }],
    },
    {
      name: "moving a category changes only the order, not every item after it",
      edit: (b) => b.categories.push(b.categories.shift()),
      expected: [{ path: "/categories", kind: "changed", reordered: true }],
    },
    {
      name: "an added item is one change at its id, with the whole item",
      edit: (b) =>
        b.posts.push({ id: "hotline", kind: "working", unit: "command-room", name: { zh: "热线岗", en: "Hotline" } }),
      expected: [
        {
          path: "/posts/hotline",
          kind: "added",
          after: { id: "hotline", kind: "working", unit: "command-room", name: { zh: "热线岗", en: "Hotline" } },
        },
      ],
    },
    {
      name: "a removed item is one change at its id",
      edit: (b) => (b.posts = b.posts.filter((p: { id: string }) => p.id !== "flexible")),
      expected: [{ path: "/posts/flexible", kind: "removed" }],
    },
    {
      name: "a removed key",
      edit: (b) => delete b.dutyRota.wartime,
      expected: [{ path: "/dutyRota/wartime", kind: "removed", before: "all-leadership" }],
    },
    {
      name: "map entries (forms, workflows, states) are addressed by their key",
      edit: (b) => (b.workflows["case-loop"].states.reported.color = "grey"),
      expected: [
        { path: "/workflows/case-loop/states/reported/color", kind: "changed", before: "blue", after: "grey" },
      ],
    },
    {
      name: "lists without ids compare by position (a changed permission rule)",
      edit: (b) => (b.permissions[0].action = "read"),
      expected: [{ path: "/permissions/0/action", kind: "changed", before: "create", after: "read" }],
    },
    {
      name: "lists of plain values compare as one value",
      edit: (b) =>
        b.workflows["case-loop"].transitions.find((t: { id: string }) => t.id === "triage").by.push("coordination"),
      expected: [
        {
          path: "/workflows/case-loop/transitions/triage/by",
          kind: "changed",
          before: ["routing", "analysis"],
          after: ["routing", "analysis", "coordination"],
        },
      ],
    },
  ];

  it.each(cases)("$name", ({ edit, expected }) => {
    const a = demoConfig();
    const b = structuredClone(a);
    edit(b);
    expect(diffConfigs(a, b)).toMatchObject(expected);
    expect(diffConfigs(a, b)).toHaveLength(expected.length);
  });

  it("gives the same changes in the same order for the same documents, key order aside", () => {
    const a = demoConfig();
    const b = structuredClone(a);
    category(b, "dispute").name.zh = "邻里纠纷";
    b.posts.pop();
    b.grades[0].analysis.post = "analysis";
    b.dutyRota.post = "director";
    const changes = diffConfigs(a, b);
    expect(changes.map((c) => c.path)).toEqual([
      "/posts/grid-worker",
      "/dutyRota/post",
      "/grades/general/analysis/post",
      "/categories/dispute/name/zh",
    ]);
    expect(diffConfigs(reverseKeys(a), reverseKeys(b))).toEqual(changes);
  });

  it("points every change at where its new value is (id paths resolve in the second document)", () => {
    const a = demoConfig();
    const b = structuredClone(a);
    category(b, "dispute").platform = "platform-service";
    b.forms["intake-dispute"].schema.properties.summary.title = "概要";
    b.org.units.push({ id: "grid-x", kind: "grid", parent: "command-room", name: { zh: "新网格" } });
    for (const change of diffConfigs(a, b)) {
      if (change.kind !== "removed") expect(getAtIdPath(b, change.path)).toEqual(change.after);
      if (change.kind !== "added") expect(getAtIdPath(a, change.path)).toEqual(change.before);
    }
  });
});

describe("describeChange", () => {
  const lines = (edit: (b: MutableConfig) => void) => {
    const a = demoConfig();
    const b = structuredClone(a);
    edit(b);
    return diffConfigs(a, b).map((c) => changeMessage(c));
  };

  it.each([
    {
      name: "a category's name",
      edit: (b: MutableConfig) => (category(b, "dispute").name.zh = "邻里纠纷"),
      zh: "类别“矛盾纠纷”的名称（中文）：“矛盾纠纷” → “邻里纠纷”",
      en: 'Category "Dispute" › name (Chinese): "矛盾纠纷" → "邻里纠纷"',
    },
    {
      name: "a scoring rule's points",
      edit: (b: MutableConfig) =>
        (b.scoring.rules.find((r: { id: string }) => r.id === "supervision-sheet").points = -4),
      zh: "考评规则“被发督办单”的分值：-2 → -4",
      en: 'Scoring rule "Supervision sheet issued" › points: -2 → -4',
    },
    {
      name: "a workbench tab's name",
      edit: (b: MutableConfig) => (b.views.workbenches[0].tabs[0].name.zh = "待研判（新）"),
      zh: "工作台“指挥室工作台”的标签页“待研判”的名称（中文）：“待研判” → “待研判（新）”",
      en: 'Workbench "Command-room workbench" › tab "To triage" › name (Chinese): "待研判" → "待研判（新）"',
    },
    {
      name: "an added post",
      edit: (b: MutableConfig) =>
        b.posts.push({ id: "hotline", kind: "working", unit: "command-room", name: { zh: "热线岗", en: "Hotline" } }),
      zh: "新增岗位“热线岗”",
      en: 'Added post "Hotline"',
    },
    {
      name: "a removed unit",
      edit: (b: MutableConfig) => (b.org.units = b.org.units.filter((u: { id: string }) => u.id !== "fire-station")),
      zh: "删除单位“消防站”",
      en: 'Removed unit "Fire station"',
    },
    {
      name: "a workflow state's colour",
      edit: (b: MutableConfig) => (b.workflows["case-loop"].states.reported.color = "grey"),
      zh: "流程“事件闭环处置”的状态“已受理”的颜色：“blue” → “grey”",
      en: 'Workflow "Case loop" › state "Reported" › colour: "blue" → "grey"',
    },
    {
      name: "a deadline",
      edit: (b: MutableConfig) => (b.deadlinePolicies.standard.handle = { amount: 3, unit: "calendar-days" }),
      zh: "时限规则“standard”的办理时限：5 个工作日 → 3 天",
      en: 'Deadline policy "standard" › handling time: 5 working days → 3 calendar days',
    },
    {
      name: "a field inside a form's JSON Schema",
      edit: (b: MutableConfig) => (b.forms["intake-dispute"].schema.properties.summary.title = "概要"),
      zh: "表单“矛盾纠纷上报”的表单结构 /properties/summary/title：“事件概要” → “概要”",
      en: 'Form "Dispute report" › schema /properties/summary/title: "事件概要" → "概要"',
    },
    {
      name: "a permission rule",
      edit: (b: MutableConfig) => (b.permissions[1].scope = "unit"),
      zh: "权限规则第2条的范围：“own” → “unit”",
      en: 'Permission rule #2 › scope: "own" → "unit"',
    },
  ])("$name", ({ edit, zh, en }) => {
    expect(lines(edit)).toEqual([{ zh, en }]);
  });

  it("speaks Chinese by default and English on request", () => {
    const a = demoConfig();
    const b = structuredClone(a);
    b.extends = "command-room-guideline@1.1.0";
    const [change] = diffConfigs(a, b);
    expect(change).toMatchObject({ path: "/extends", before: TEMPLATE });
    expect(describeChange(change!)).toBe(`所用模板：“${TEMPLATE}” → “command-room-guideline@1.1.0”`);
    expect(describeChange(change!, "en")).toBe(`Template: "${TEMPLATE}" → "command-room-guideline@1.1.0"`);
  });

  it("writes every line in both languages, Chinese with Chinese words and English without", () => {
    const a = demoConfig();
    const b = structuredClone(a);
    b.categories.reverse();
    category(b, "dispute").defaultGrade = "major";
    delete b.calendars;
    b.grades.push({ id: "urgent", name: { zh: "紧急事件" }, analysis: { by: "none" } });
    const changes = diffConfigs(a, b);
    expect(changes.length).toBe(4);
    for (const change of changes) {
      const { zh, en } = changeMessage(change);
      expect(hasCjk(zh)).toBe(true);
      // English lines may quote Chinese names; outside quotes they are English.
      expect(hasCjk(en.replace(/"[^"]*"/g, ""))).toBe(false);
    }
  });
});

describe("id paths", () => {
  it("turn a validation issue's positional pointer into one that names the item", () => {
    const config = demoConfig("west-hill");
    const at = config.categories.findIndex((c: { id: string }) => c.id === "market-complaint");
    expect(toIdPath(config, `/categories/${at}/platform`)).toBe("/categories/market-complaint/platform");
    expect(toIdPath(config, "/permissions/2/posts/0")).toBe("/permissions/2/posts/0");
    expect(getAtIdPath(config, "/categories/market-complaint/platform")).toBe("platform-economy");
    expect(getAtIdPath(config, "/categories/nothing/platform")).toBeUndefined();
  });
});
