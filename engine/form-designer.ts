// The form designer's model: a list of fields a township admin edits without knowing JSON Schema,
// and its conversion to and from a config form (JSON Schema + uiSchema + the English overlay).
// Pure; the browser previews the generated form with RJSF and the server validates it as part of
// the whole config. What the designer does not edit (a field's length limits, a custom widget, a
// field shape it has no type for) is carried through unchanged.
import type { Bilingual } from "./i18n";
import { pointer, type Issue, issue } from "./issues";
import { personalKind } from "./config/checks-masking";

export const FIELD_TYPES = ["text", "textarea", "number", "integer", "boolean", "choice", "date", "phone"] as const;
export type FieldType = (typeof FIELD_TYPES)[number];
/** A field the designer keeps as it is (an array, a custom widget …): only titles and help change. */
export type DesignerFieldType = FieldType | "custom";

const PHONE_PATTERN = "^1\\d{10}$";

type JsonObject = { [key: string]: unknown };

type LocalText = { zh: string; en?: string };
type DesignerOption = { value: string; label: LocalText };

export type DesignerField = {
  /** The property name in case data; fixed once cases may carry it. */
  key: string;
  type: DesignerFieldType;
  title: LocalText;
  help?: LocalText;
  required: boolean;
  /** Kept in the form but not shown (a field of the template the township does not use). */
  hidden?: boolean;
  options?: DesignerOption[];
  /** Schema keywords the designer does not edit (minLength, maximum …), kept as they are. */
  extra?: JsonObject;
  /** uiSchema entries the designer does not edit, kept as they are. */
  uiExtra?: JsonObject;
};

export type DesignerModel = {
  name: LocalText;
  fields: DesignerField[];
  titleField?: string;
  maskedFields?: string[];
  /** Top-level schema keywords other than type/required/properties, kept as they are. */
  schemaExtra?: JsonObject;
};

export type ConfigForm = {
  name: LocalText;
  schema: JsonObject;
  uiSchema?: JsonObject;
  titleField?: string;
  maskedFields?: string[];
  i18n?: { en?: { schema?: JsonObject; uiSchema?: JsonObject } };
};

export const FIELD_TYPE_NAMES: Record<DesignerFieldType, Bilingual> = {
  text: { zh: "单行文字", en: "Text" },
  textarea: { zh: "多行文字", en: "Long text" },
  number: { zh: "数字", en: "Number" },
  integer: { zh: "整数", en: "Whole number" },
  boolean: { zh: "是/否", en: "Yes/no" },
  choice: { zh: "单项选择", en: "Choice" },
  date: { zh: "日期", en: "Date" },
  phone: { zh: "手机号码", en: "Phone" },
  custom: { zh: "其他（保持原样）", en: "Other (kept as is)" },
};

const isObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);
const objectAt = (v: unknown, key: string): JsonObject | undefined =>
  isObject(v) && isObject(v[key]) ? v[key] : undefined;
const without = (o: JsonObject, keys: readonly string[]) =>
  Object.fromEntries(Object.entries(o).filter(([k]) => !keys.includes(k)));
const nonEmpty = (o: JsonObject | undefined) => (o && Object.keys(o).length ? o : undefined);
const str = (v: unknown) => (typeof v === "string" ? v : undefined);

/** The schema keywords each type writes itself (the rest of a field's schema is `extra`). */
const OWN_KEYS: Record<DesignerFieldType, readonly string[]> = {
  text: ["type", "title"],
  textarea: ["type", "title"],
  number: ["type", "title"],
  integer: ["type", "title"],
  boolean: ["type", "title"],
  choice: ["type", "title", "enum"],
  date: ["type", "title", "format"],
  phone: ["type", "title", "pattern"],
  custom: ["title"],
};
const OWN_UI_KEYS: Record<DesignerFieldType, readonly string[]> = {
  text: ["ui:help"],
  textarea: ["ui:help", "ui:widget"],
  number: ["ui:help"],
  integer: ["ui:help"],
  boolean: ["ui:help"],
  choice: ["ui:help", "ui:enumNames"],
  date: ["ui:help"],
  phone: ["ui:help"],
  custom: ["ui:help"],
};

function inferType(schema: JsonObject, ui: JsonObject | undefined): DesignerFieldType {
  switch (schema.type) {
    case "boolean":
      return "boolean";
    case "integer":
      return "integer";
    case "number":
      return "number";
    case "string":
      if (Array.isArray(schema.enum) && schema.enum.every((v) => typeof v === "string")) return "choice";
      if (schema.enum !== undefined) return "custom";
      if (schema.format === "date") return "date";
      if (schema.format !== undefined) return "custom";
      if (schema.pattern === PHONE_PATTERN) return "phone";
      if (ui?.["ui:widget"] === "textarea") return "textarea";
      if (ui?.["ui:widget"] !== undefined && ui["ui:widget"] !== "hidden") return "custom";
      return "text";
    default:
      return "custom";
  }
}

/** The designer's view of a config form. */
export function formToDesigner(form: ConfigForm): DesignerModel {
  const schema = form.schema;
  const properties = objectAt(schema, "properties") ?? {};
  const required = new Set(
    Array.isArray(schema.required) ? schema.required.filter((r): r is string => typeof r === "string") : [],
  );
  const ui = form.uiSchema ?? {};
  const en = form.i18n?.en;
  const enProps = objectAt(en?.schema, "properties") ?? {};
  const enUi = en?.uiSchema ?? {};
  const order = Array.isArray(ui["ui:order"])
    ? ui["ui:order"].filter((k): k is string => typeof k === "string" && Object.hasOwn(properties, k))
    : [];
  const keys = [...order, ...Object.keys(properties).filter((k) => !order.includes(k))];

  const fields = keys.map((key): DesignerField => {
    const property = isObject(properties[key]) ? properties[key] : {};
    const fieldUi = objectAt(ui, key);
    const type = inferType(property, fieldUi);
    const enTitle = str(objectAt(enProps, key)?.title);
    const help = str(fieldUi?.["ui:help"]);
    const enHelp = str(objectAt(enUi, key)?.["ui:help"]);
    const hidden = fieldUi?.["ui:widget"] === "hidden";
    const field: DesignerField = {
      key,
      type,
      title: { zh: str(property.title) ?? key, ...(enTitle ? { en: enTitle } : {}) },
      required: required.has(key),
    };
    if (help || enHelp) field.help = { zh: help ?? "", ...(enHelp ? { en: enHelp } : {}) };
    if (hidden) field.hidden = true;
    if (type === "choice") {
      const values = property.enum as string[];
      const zhNames = fieldUi?.["ui:enumNames"];
      const enNames = objectAt(enUi, key)?.["ui:enumNames"];
      field.options = values.map((value, i) => {
        const zh = Array.isArray(zhNames) ? str(zhNames[i]) : undefined;
        const enName = Array.isArray(enNames) ? str(enNames[i]) : undefined;
        return { value, label: { zh: zh ?? value, ...(enName ? { en: enName } : {}) } };
      });
    }
    const extra = nonEmpty(without(property, OWN_KEYS[type]));
    if (extra) field.extra = extra;
    const uiExtra = nonEmpty(without(fieldUi ?? {}, [...OWN_UI_KEYS[type], ...(hidden ? ["ui:widget"] : [])]));
    if (uiExtra) field.uiExtra = uiExtra;
    return field;
  });

  const model: DesignerModel = { name: { ...form.name }, fields };
  if (form.titleField !== undefined) model.titleField = form.titleField;
  if (form.maskedFields !== undefined) model.maskedFields = [...form.maskedFields];
  const schemaExtra = nonEmpty(without(schema, ["type", "required", "properties"]));
  if (schemaExtra) model.schemaExtra = schemaExtra;
  return model;
}

function fieldSchema(field: DesignerField): JsonObject {
  const title = { title: field.title.zh };
  const extra = field.extra ?? {};
  switch (field.type) {
    case "text":
    case "textarea":
      return { type: "string", ...title, ...extra };
    case "number":
      return { type: "number", ...title, ...extra };
    case "integer":
      return { type: "integer", ...title, ...extra };
    case "boolean":
      return { type: "boolean", ...title, ...extra };
    case "choice":
      return { type: "string", ...title, enum: (field.options ?? []).map((o) => o.value), ...extra };
    case "date":
      return { type: "string", ...title, format: "date", ...extra };
    case "phone":
      return { type: "string", ...title, pattern: PHONE_PATTERN, ...extra };
    case "custom":
      return { ...extra, ...title };
  }
}

function fieldUi(field: DesignerField): JsonObject | undefined {
  const ui: JsonObject = { ...(field.uiExtra ?? {}) };
  if (field.type === "textarea") ui["ui:widget"] = "textarea";
  if (field.hidden) ui["ui:widget"] = "hidden";
  if (field.help?.zh) ui["ui:help"] = field.help.zh;
  if (field.type === "choice" && (field.options ?? []).some((o) => o.label.zh !== o.value)) {
    ui["ui:enumNames"] = (field.options ?? []).map((o) => o.label.zh);
  }
  return nonEmpty(ui);
}

/** The config form the model describes: schema, uiSchema (order, widgets, help) and English overlay. */
export function designerToForm(model: DesignerModel): ConfigForm {
  const properties: JsonObject = {};
  const uiSchema: JsonObject = { "ui:order": model.fields.map((f) => f.key) };
  const enProperties: JsonObject = {};
  const enUi: JsonObject = {};
  for (const field of model.fields) {
    properties[field.key] = fieldSchema(field);
    const ui = fieldUi(field);
    if (ui) uiSchema[field.key] = ui;
    if (field.title.en) enProperties[field.key] = { title: field.title.en };
    const en: JsonObject = {};
    if (field.help?.en) en["ui:help"] = field.help.en;
    if (field.type === "choice" && (field.options ?? []).some((o) => o.label.en)) {
      en["ui:enumNames"] = (field.options ?? []).map((o) => o.label.en ?? o.label.zh);
    }
    if (Object.keys(en).length) enUi[field.key] = en;
  }
  const required = model.fields.filter((f) => f.required && !f.hidden).map((f) => f.key);
  const schema: JsonObject = {
    type: "object",
    ...(model.schemaExtra ?? {}),
    ...(required.length ? { required } : {}),
    properties,
  };
  const form: ConfigForm = { name: { ...model.name }, schema, uiSchema };
  if (model.titleField !== undefined) form.titleField = model.titleField;
  // Phone and ID-number fields are always masked (the validator insists); the designer has no switch for it.
  const personal = Object.keys(properties).filter(
    (key) => personalKind(key, properties[key]) && !model.maskedFields?.includes(key),
  );
  if (model.maskedFields !== undefined || personal.length)
    form.maskedFields = [...(model.maskedFields ?? []), ...personal];
  const en: { schema?: JsonObject; uiSchema?: JsonObject } = {};
  if (Object.keys(enProperties).length) en.schema = { properties: enProperties };
  if (Object.keys(enUi).length) en.uiSchema = enUi;
  if (en.schema || en.uiSchema) form.i18n = { en };
  return form;
}

const FIELD_KEY = /^[A-Za-z][A-Za-z0-9_]{0,63}$/;

/** Problems a person can fix in the designer; the whole config is validated after this. */
export function validateDesigner(model: DesignerModel): Issue[] {
  const out: Issue[] = [];
  if (!model.name.zh.trim()) out.push(issue("/name/zh", "designer.name-missing"));
  if (!model.fields.length) out.push(issue("/fields", "designer.no-fields"));
  const seen = new Map<string, number>();
  model.fields.forEach((field, i) => {
    const at = (...rest: Array<string | number>) => pointer("fields", i, ...rest);
    const n = i + 1;
    if (!FIELD_KEY.test(field.key)) {
      out.push(issue(at("key"), "designer.key-invalid", { n, key: field.key }));
    } else if (seen.has(field.key)) {
      out.push(issue(at("key"), "designer.key-duplicate", { n, key: field.key, first: seen.get(field.key)! + 1 }));
    } else seen.set(field.key, i);
    if (!field.title.zh.trim()) out.push(issue(at("title", "zh"), "designer.title-missing", { n }));
    if (field.type === "choice") {
      const options = field.options ?? [];
      if (!options.length) out.push(issue(at("options"), "designer.no-options", { n }));
      const values = new Set<string>();
      options.forEach((o, k) => {
        if (!o.value.trim()) out.push(issue(at("options", k, "value"), "designer.option-empty", { n, k: k + 1 }));
        else if (values.has(o.value))
          out.push(issue(at("options", k, "value"), "designer.option-duplicate", { n, value: o.value }));
        values.add(o.value);
      });
    }
  });
  if (model.titleField && !model.fields.some((f) => f.key === model.titleField)) {
    out.push(issue("/titleField", "designer.title-field-missing", { titleField: model.titleField }));
  }
  return out;
}

// Editing operations, shared by the designer screen and its tests.

/** A key for a new field that no field uses yet: field1, field2 … */
function newFieldKey(model: DesignerModel): string {
  const used = new Set(model.fields.map((f) => f.key));
  for (let n = model.fields.length + 1; ; n++) if (!used.has(`field${n}`)) return `field${n}`;
}

export function addField(model: DesignerModel, type: FieldType = "text"): DesignerModel {
  const key = newFieldKey(model);
  const field: DesignerField = { key, type, title: { zh: "" }, required: false };
  if (type === "choice") field.options = [{ value: "", label: { zh: "" } }];
  return { ...model, fields: [...model.fields, field] };
}

export function removeField(model: DesignerModel, index: number): DesignerModel {
  const removed = model.fields[index];
  const fields = model.fields.filter((_, i) => i !== index);
  const next: DesignerModel = { ...model, fields };
  if (removed && model.titleField === removed.key) delete next.titleField;
  if (removed && model.maskedFields?.includes(removed.key))
    next.maskedFields = model.maskedFields.filter((k) => k !== removed.key);
  return next;
}

export function moveField(model: DesignerModel, index: number, delta: -1 | 1): DesignerModel {
  const to = index + delta;
  if (to < 0 || to >= model.fields.length || index < 0 || index >= model.fields.length) return model;
  const fields = [...model.fields];
  [fields[index], fields[to]] = [fields[to]!, fields[index]!];
  return { ...model, fields };
}

/** Changes a field's type; options appear for a choice and go for anything else. */
export function setFieldType(field: DesignerField, type: FieldType): DesignerField {
  const next: DesignerField = { ...field, type };
  if (type === "choice") next.options = field.options?.length ? field.options : [{ value: "", label: { zh: "" } }];
  else delete next.options;
  // Keywords that only make sense for the old type (a string's minLength on a number) go with it.
  if (field.type !== type) delete next.extra;
  return next;
}
