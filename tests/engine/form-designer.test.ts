import { describe, expect, it } from "vitest";
import { createAjv } from "#engine/ajv";
import { prepareConfig } from "#engine/config/index";
import { applyFormEdit } from "#engine/config/overrides";
import { resolveConfig } from "#engine/config/resolve";
import {
  addField,
  designerToForm,
  formToDesigner,
  moveField,
  removeField,
  setFieldType,
  validateDesigner,
  type ConfigForm,
  type DesignerField,
  type DesignerModel,
  type FieldType,
} from "#engine/form-designer";
import { localizeForm } from "#engine/forms";
import { listTenantJson, readTenantJson, templateLookup } from "./helpers";
import { issueMessage } from "#app/locales/issues/index";

const templateForms = listTenantJson("templates").flatMap((file) => {
  const doc = readTenantJson(file) as { forms?: Record<string, ConfigForm> };
  return Object.entries(doc.forms ?? {}).map(([id, form]) => [`${file} ${id}`, form] as const);
});

/** The same form, ignoring what the designer always writes (field order) and the order of `required`. */
function normal(form: ConfigForm) {
  const copy = structuredClone(form) as ConfigForm & { uiSchema?: Record<string, unknown> };
  if (copy.uiSchema) {
    delete copy.uiSchema["ui:order"];
    if (!Object.keys(copy.uiSchema).length) delete copy.uiSchema;
  }
  if (Array.isArray(copy.schema.required)) (copy.schema.required as string[]).sort();
  return copy;
}

const field = (type: FieldType, extra: Partial<DesignerField> = {}): DesignerField => ({
  key: "f",
  type,
  title: { zh: "字段", en: "Field" },
  required: false,
  ...extra,
});
const model = (...fields: DesignerField[]): DesignerModel => ({ name: { zh: "表单", en: "Form" }, fields });

describe("formToDesigner and designerToForm", () => {
  it.each(templateForms)("give back %s unchanged", (_name, form) => {
    expect(normal(designerToForm(formToDesigner(form)))).toEqual(normal(form));
  });

  it("reads field types, help, options and what it does not edit from a template form", () => {
    const dispute = readTenantJson("templates/command-room-guideline@1.0.0.json") as {
      forms: Record<string, ConfigForm>;
    };
    const m = formToDesigner(dispute.forms["intake-dispute"]!);
    expect(m.fields.map((f) => [f.key, f.type, f.required])).toEqual([
      ["summary", "text", true],
      ["parties", "integer", true],
      ["location", "text", true],
      ["partyPhone", "phone", false],
      ["partyIdNumber", "text", false],
      ["details", "textarea", false],
    ]);
    expect(m.fields[0]).toMatchObject({
      title: { zh: "事件概要", en: "Summary" },
      help: { zh: "一句话说明发生了什么", en: "One sentence on what happened" },
      extra: { minLength: 4, maxLength: 100 },
    });
    expect(m.titleField).toBe("summary");
    expect(m.maskedFields).toEqual(["partyIdNumber", "partyPhone"]);
    const triage = formToDesigner(dispute.forms.triage!);
    expect(triage.fields[0]!.options).toEqual([
      { value: "general", label: { zh: "一般事件", en: "General" } },
      { value: "difficult", label: { zh: "疑难事件", en: "Difficult" } },
      { value: "major", label: { zh: "重大多跨事件", en: "Major multi-span" } },
    ]);
    const dispatch = formToDesigner(dispute.forms.dispatch!);
    expect(dispatch.fields.map((f) => f.type)).toEqual(["custom", "custom", "textarea"]);
  });

  type Row = [FieldType, Partial<DesignerField>, Record<string, unknown>, Record<string, unknown> | undefined];
  it.each<Row>([
    ["text", {}, { type: "string", title: "字段" }, undefined],
    ["textarea", {}, { type: "string", title: "字段" }, { "ui:widget": "textarea" }],
    ["number", {}, { type: "number", title: "字段" }, undefined],
    ["integer", {}, { type: "integer", title: "字段" }, undefined],
    ["boolean", {}, { type: "boolean", title: "字段" }, undefined],
    ["date", {}, { type: "string", title: "字段", format: "date" }, undefined],
    ["phone", {}, { type: "string", title: "字段", pattern: "^1\\d{10}$" }, undefined],
    [
      "choice",
      {
        options: [
          { value: "a", label: { zh: "a" } },
          { value: "b", label: { zh: "b" } },
        ],
      },
      { type: "string", title: "字段", enum: ["a", "b"] },
      undefined,
    ],
    [
      "choice",
      { options: [{ value: "yes", label: { zh: "是", en: "Yes" } }] },
      { type: "string", title: "字段", enum: ["yes"] },
      { "ui:enumNames": ["是"] },
    ],
    ["text", { help: { zh: "说明" } }, { type: "string", title: "字段" }, { "ui:help": "说明" }],
  ])("writes a %s field as JSON Schema + uiSchema", (type, extra, schema, ui) => {
    const form = designerToForm(model(field(type, extra)));
    expect(form.schema.properties).toEqual({ f: schema });
    expect((form.uiSchema as Record<string, unknown>).f).toEqual(ui);
    expect(form.uiSchema!["ui:order"]).toEqual(["f"]);
    expect(createAjv().validateSchema(form.schema)).toBe(true);
  });

  it("puts English titles, help and option labels into the i18n.en overlay, which localizeForm applies", () => {
    const form = designerToForm(
      model(
        field("choice", {
          key: "kind",
          required: true,
          help: { zh: "选一个", en: "Pick one" },
          options: [
            { value: "fire", label: { zh: "消防", en: "Fire" } },
            { value: "gas", label: { zh: "燃气" } },
          ],
        }),
        field("text", { key: "note", title: { zh: "备注" } }),
      ),
    );
    expect(form.i18n).toEqual({
      en: {
        schema: { properties: { kind: { title: "Field" } } },
        uiSchema: { kind: { "ui:help": "Pick one", "ui:enumNames": ["Fire", "燃气"] } },
      },
    });
    expect(form.schema.required).toEqual(["kind"]);
    const en = localizeForm(form as never, "en");
    expect((en.schema.properties as Record<string, { title: string }>).kind?.title).toBe("Field");
    expect((en.uiSchema.kind as Record<string, unknown>)["ui:help"]).toBe("Pick one");
    expect(localizeForm(form as never, "zh-CN").uiSchema.kind).toEqual({
      "ui:help": "选一个",
      "ui:enumNames": ["消防", "燃气"],
    });
  });

  it("keeps a hidden field in the schema but shows it nowhere and never requires it", () => {
    const form = designerToForm(
      model(field("text", { key: "a", required: true, hidden: true }), field("text", { key: "b", required: true })),
    );
    expect(form.schema.required).toEqual(["b"]);
    expect(form.uiSchema!.a).toEqual({ "ui:widget": "hidden" });
    expect(formToDesigner(form).fields[0]).toMatchObject({ key: "a", hidden: true, required: false });
  });

  it("produces a form the township config accepts, and cases are validated by it", () => {
    const east = readTenantJson("townships/east-lake.json") as Record<string, unknown>;
    const template = resolveConfig(templateLookup("command-room-guideline@1.0.0"), templateLookup);
    if (!template.ok) throw new Error("template");
    const designed = designerToForm({
      name: { zh: "占道经营上报", en: "Street vending report" },
      titleField: "where",
      fields: [
        field("text", { key: "where", title: { zh: "地点", en: "Where" }, required: true }),
        field("date", { key: "seenOn", title: { zh: "发现日期" } }),
        field("choice", {
          key: "size",
          title: { zh: "规模" },
          options: [
            { value: "small", label: { zh: "小" } },
            { value: "large", label: { zh: "大" } },
          ],
        }),
      ],
    });
    const applied = applyFormEdit(east as never, template.value as never, "intake-vending", designed as never);
    if (!applied.ok) throw new Error(JSON.stringify(applied.issues));
    const prepared = prepareConfig(applied.source, templateLookup);
    expect(prepared.ok).toBe(true);
    const validate = createAjv().compile(designed.schema);
    expect(validate({ where: "东门", seenOn: "2026-05-01", size: "small" })).toBe(true);
    expect(validate({ seenOn: "not a date", size: "medium" })).toBe(false);
  });
});

describe("validateDesigner", () => {
  it.each<[string, DesignerModel, string, string]>([
    ["a form without a name", { name: { zh: " " }, fields: [field("text")] }, "/name/zh", "designer.name-missing"],
    ["a form without fields", { name: { zh: "表单" }, fields: [] }, "/fields", "designer.no-fields"],
    [
      "a key that is not an identifier",
      model(field("text", { key: "1 bad" })),
      "/fields/0/key",
      "designer.key-invalid",
    ],
    [
      "a repeated key",
      model(field("text", { key: "a" }), field("text", { key: "a" })),
      "/fields/1/key",
      "designer.key-duplicate",
    ],
    [
      "a field without a Chinese title",
      model(field("text", { title: { zh: "" } })),
      "/fields/0/title/zh",
      "designer.title-missing",
    ],
    ["a choice without options", model(field("choice", { options: [] })), "/fields/0/options", "designer.no-options"],
    [
      "an empty option",
      model(field("choice", { options: [{ value: "", label: { zh: "" } }] })),
      "/fields/0/options/0/value",
      "designer.option-empty",
    ],
    [
      "a repeated option",
      model(
        field("choice", {
          options: [
            { value: "a", label: { zh: "a" } },
            { value: "a", label: { zh: "a" } },
          ],
        }),
      ),
      "/fields/0/options/1/value",
      "designer.option-duplicate",
    ],
    [
      "a title field that is not in the form",
      { ...model(field("text")), titleField: "gone" },
      "/titleField",
      "designer.title-field-missing",
    ],
  ])("reports %s", (_name, m, path, code) => {
    const issues = validateDesigner(m);
    expect(issues.map((i) => [i.path, i.code])).toContainEqual([path, code]);
    for (const i of issues) expect(issueMessage(i).zh && issueMessage(i).en).toBeTruthy();
  });

  it("accepts a complete model", () => {
    expect(
      validateDesigner(
        model(
          field("text", { key: "a" }),
          field("choice", { key: "b", options: [{ value: "x", label: { zh: "X" } }] }),
        ),
      ),
    ).toEqual([]);
  });
});

describe("editing operations", () => {
  const base = model(field("text", { key: "a" }), field("text", { key: "b" }), field("text", { key: "c" }));

  it("adds fields with fresh keys, a choice with one empty option", () => {
    const once = addField(base, "choice");
    expect(once.fields.map((f) => f.key)).toEqual(["a", "b", "c", "field4"]);
    expect(once.fields[3]).toMatchObject({
      type: "choice",
      options: [{ value: "", label: { zh: "" } }],
      required: false,
    });
    expect(addField(once).fields[4]!.key).toBe("field5");
  });

  it.each<[number, -1 | 1, string[]]>([
    [0, -1, ["a", "b", "c"]],
    [0, 1, ["b", "a", "c"]],
    [2, -1, ["a", "c", "b"]],
    [2, 1, ["a", "b", "c"]],
  ])("moves field %i by %i", (index, delta, keys) => {
    expect(moveField(base, index, delta).fields.map((f) => f.key)).toEqual(keys);
  });

  it("removes a field and forgets it as title or masked field", () => {
    const m = { ...base, titleField: "b", maskedFields: ["b", "c"] };
    const next = removeField(m, 1);
    expect(next.fields.map((f) => f.key)).toEqual(["a", "c"]);
    expect(next.titleField).toBeUndefined();
    expect(next.maskedFields).toEqual(["c"]);
  });

  it("drops keywords of the old type when the type changes", () => {
    const text = field("text", { extra: { minLength: 4 } });
    expect(setFieldType(text, "integer")).toEqual({ ...field("integer") });
    expect(setFieldType(text, "choice").options).toEqual([{ value: "", label: { zh: "" } }]);
    expect(setFieldType(text, "text").extra).toEqual({ minLength: 4 });
  });
});
