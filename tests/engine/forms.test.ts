import { describe, it, expect } from "vitest";
import { localizeForm, validateFormData } from "#engine/forms";
import { compileVariant, demoConfig, loadTownship } from "./helpers";
import { issueMessage } from "#app/locales/issues/index";

const east = loadTownship("east-lake");
const form = (id: string) => {
  const f = east.compiled.forms.get(id);
  if (!f) throw new Error(`no form ${id}`);
  return f;
};
type Props = Record<string, { title?: string; type?: string; minLength?: number; pattern?: string; enum?: string[] }>;
const propsOf = (schema: Record<string, unknown>) => schema.properties as Props;
const titles = (schema: Record<string, unknown>) =>
  Object.fromEntries(Object.entries(propsOf(schema)).map(([k, v]) => [k, v.title]));

describe("localizeForm", () => {
  it("zh-CN shows the form as configured, in Chinese", () => {
    const { schema, uiSchema } = localizeForm(form("intake-dispute"), "zh-CN");
    expect(titles(schema)).toEqual({
      summary: "事件概要",
      parties: "涉及人数",
      location: "发生地点",
      partyPhone: "当事人电话",
      partyIdNumber: "当事人身份证号",
      details: "详细情况",
    });
    expect(uiSchema).toEqual(form("intake-dispute").uiSchema);
    expect((uiSchema.summary as Record<string, unknown>)["ui:help"]).toBe("一句话说明发生了什么");
  });

  it("en lays the English overlay over titles and help, keeping every rule and layout key", () => {
    const { schema, uiSchema } = localizeForm(form("intake-dispute"), "en");
    expect(titles(schema)).toEqual({
      summary: "Summary",
      parties: "People involved",
      location: "Location",
      partyPhone: "Party's phone",
      partyIdNumber: "Party's ID number",
      details: "Details",
    });
    // Validation keywords are untouched: the English form accepts exactly what the Chinese one does.
    expect(schema.required).toEqual(["summary", "parties", "location"]);
    expect(schema.type).toBe("object");
    expect(propsOf(schema).summary).toMatchObject({ type: "string", minLength: 4, maxLength: 100 });
    expect(propsOf(schema).partyPhone?.pattern).toBe("^1\\d{10}$");
    // uiSchema: help text translated, order and widgets kept.
    expect(uiSchema).toEqual({
      "ui:order": ["summary", "parties", "location", "partyPhone", "partyIdNumber", "details"],
      details: { "ui:widget": "textarea" },
      summary: { "ui:help": "One sentence on what happened" },
    });
  });

  it("en keeps enum values (the stored answers) in Chinese while titles are English", () => {
    const { schema } = localizeForm(form("intake-hazard"), "en");
    expect(propsOf(schema).hazardType).toMatchObject({
      title: "Hazard type",
      enum: ["消防", "燃气", "房屋", "道路", "其他"],
    });
    expect(propsOf(schema).urgent).toMatchObject({ title: "Needs immediate action", type: "boolean", default: false });
  });

  it("en without a uiSchema overlay keeps the configured uiSchema", () => {
    expect(localizeForm(form("intake-hazard"), "en").uiSchema).toEqual({
      "ui:order": ["summary", "hazardType", "location", "urgent"],
    });
    expect(localizeForm(form("intake-service"), "en").uiSchema).toEqual({});
  });

  it("en falls back to the Chinese form when there is no English overlay", () => {
    const config = demoConfig();
    delete config.forms["intake-service"].i18n;
    const compiled = compileVariant(config);
    const f = compiled.forms.get("intake-service")!;
    expect(localizeForm(f, "en")).toEqual(localizeForm(f, "zh-CN"));
    expect(titles(localizeForm(f, "en").schema)).toEqual({ summary: "诉求内容", contactPhone: "联系电话" });
  });

  it("localizing to English does not change the configured (Chinese) form", () => {
    const before = structuredClone(form("intake-dispute"));
    localizeForm(form("intake-dispute"), "en");
    expect(form("intake-dispute")).toEqual(before);
    expect(titles(localizeForm(form("intake-dispute"), "zh-CN").schema).summary).toBe("事件概要");
  });
});

describe("validateFormData", () => {
  const ok = { summary: "邻里因噪音发生争执", parties: 3, location: "桥头村3组" };
  it.each([
    { name: "complete data", formId: "intake-dispute", data: ok, expected: [] },
    {
      name: "optional fields filled in correctly",
      formId: "intake-dispute",
      data: { ...ok, partyPhone: "13800138000", partyIdNumber: "11010119900101123X", details: "…" },
      expected: [],
    },
    {
      name: "extra fields are allowed",
      formId: "intake-service",
      data: { summary: "路灯不亮已一周", photo: "x.jpg" },
      expected: [],
    },
    {
      name: "an empty object misses every required field",
      formId: "intake-dispute",
      data: {},
      expected: [
        { path: "/summary", code: "schema.required" },
        { path: "/parties", code: "schema.required" },
        { path: "/location", code: "schema.required" },
      ],
    },
    {
      name: "summary too long",
      formId: "intake-dispute",
      data: { ...ok, summary: "长".repeat(101) },
      expected: [{ path: "/summary", code: "schema.maxLength" }],
    },
    {
      name: "parties above the maximum",
      formId: "intake-dispute",
      data: { ...ok, parties: 10001 },
      expected: [{ path: "/parties", code: "schema.maximum" }],
    },
    {
      name: "parties not a whole number",
      formId: "intake-dispute",
      data: { ...ok, parties: 2.5 },
      expected: [{ path: "/parties", code: "schema.type" }],
    },
    {
      name: "ID number with a letter in the middle",
      formId: "intake-dispute",
      data: { ...ok, partyIdNumber: "1101011990X101123X" },
      expected: [{ path: "/partyIdNumber", code: "schema.pattern" }],
    },
    {
      name: "urgent given as text",
      formId: "intake-hazard",
      data: { summary: "楼道堆放杂物", hazardType: "消防", location: "2号楼", urgent: "是" },
      expected: [{ path: "/urgent", code: "schema.type" }],
    },
    {
      name: "several wrong fields at once",
      formId: "intake-dispute",
      data: { summary: "吵", parties: 0, location: "桥头村", partyPhone: "12345" },
      expected: [
        { path: "/summary", code: "schema.minLength" },
        { path: "/parties", code: "schema.minimum" },
        { path: "/partyPhone", code: "schema.pattern" },
      ],
    },
    {
      name: "an array instead of an object",
      formId: "intake-service",
      data: ["路灯不亮已一周"],
      expected: [{ path: "", code: "schema.type" }],
    },
  ])("$name", ({ formId, data, expected }) => {
    const issues = validateFormData(east.compiled, formId, data);
    expect(issues.map((i) => ({ path: i.path, code: i.code }))).toEqual(expected);
    for (const issue of issues) {
      expect(issueMessage(issue!).zh).toMatch(/[\u4e00-\u9fff]/);
      expect(issueMessage(issue!).en).toMatch(/[a-z]/);
    }
  });

  it("messages carry the rule's numbers so a person can fix the field", () => {
    const [issue] = validateFormData(east.compiled, "intake-dispute", { ...ok, summary: "吵架" });
    expect(issueMessage(issue!).zh).toContain("4");
    expect(issueMessage(issue!).en).toContain("4");
  });

  it("an unknown form is a programming error, not a user error", () => {
    expect(() => validateFormData(east.compiled, "no-such-form", {})).toThrow(/no-such-form/);
  });

  it("gives the same answer on repeated calls (the compiled validator is reused)", () => {
    const first = validateFormData(east.compiled, "intake-dispute", {});
    expect(validateFormData(east.compiled, "intake-dispute", {})).toEqual(first);
    expect(validateFormData(east.compiled, "intake-dispute", ok)).toEqual([]);
  });
});
