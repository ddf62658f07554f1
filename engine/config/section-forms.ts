// Forms for editing a township's config, generated from the config's own JSON Schema: the
// section's sub-schema from schemas/township-config.ts, with titles in the admin's language and
// references (a category's platform, grade, form …) offered as choices of what the config has.
// The choices only help; the server validates the whole resolved config (prepareConfig).
import { pickText, type Locale, type Text } from "../i18n";
import { townshipConfigSchema } from "../../schemas/township-config";
import { EDITABLE_SECTIONS, type SectionId } from "./overrides";

type Schema = { [key: string]: unknown };
type Named = { id: string; name?: Text };

/** What references in a section may point at: the config's own things (from the draft). */
export type SectionContext = {
  units: ReadonlyArray<Named & { kind: string }>;
  grades: readonly Named[];
  posts: readonly Named[];
  categories: readonly Named[];
  forms: readonly Named[];
  workflows: readonly Named[];
  policies: readonly Named[];
  calendars: readonly string[];
};

const L = (zh: string, en: string) => ({ zh, en });

export const SECTION_NAMES: Record<SectionId, { zh: string; en: string }> = {
  categories: L("事件类别", "Categories"),
  grades: L("事件分级", "Grades"),
  deadlinePolicies: L("办理时限", "Deadlines"),
  calendars: L("工作日历", "Calendars"),
  posts: L("岗位", "Posts"),
  units: L("组织架构", "Org units"),
};

const ITEM_NAMES: Record<SectionId, { zh: string; en: string }> = {
  categories: L("类别", "Category"),
  grades: L("等级", "Grade"),
  deadlinePolicies: L("时限规则", "Deadline policy"),
  calendars: L("日历", "Calendar"),
  posts: L("岗位", "Post"),
  units: L("单位", "Unit"),
};

const TITLES: Record<string, { zh: string; en: string }> = {
  id: L("编号", "Id"),
  name: L("名称", "Name"),
  zh: L("中文", "Chinese"),
  en: L("英文", "English"),
  kind: L("类型", "Kind"),
  parent: L("上级", "Parent"),
  platform: L("责任平台", "Platform"),
  defaultGrade: L("默认等级", "Default grade"),
  intakeForm: L("受理表单", "Intake form"),
  workflow: L("流程", "Workflow"),
  deadlinePolicy: L("时限规则", "Deadline policy"),
  requiredAttachments: L("必传附件", "Required attachments"),
  routing: L("流转设置", "Routing"),
  leadUnit: L("牵头单位", "Lead unit"),
  assistUnits: L("协办单位", "Assisting units"),
  analysis: L("研判", "Analysis"),
  by: L("研判方式", "Analysed by"),
  post: L("研判岗位", "Analyst post"),
  unit: L("所属单位", "Unit"),
  unitKinds: L("适用单位类型", "Unit kinds"),
  gridType: L("网格类型", "Grid type"),
  calendar: L("工作日历", "Calendar"),
  handle: L("办理时限", "Time to handle"),
  wartime: L("战时时限", "Wartime limit"),
  amount: L("数量", "Amount"),
  reminders: L("到期前提醒", "Reminders"),
  wartimeReminders: L("战时提醒", "Wartime reminders"),
  before: L("提前量", "Before the due time"),
  label: L("标签", "Label"),
  notify: L("通知对象", "Notify"),
  overdueLadder: L("超期处置", "Overdue ladder"),
  type: L("动作类型", "Action type"),
  params: L("参数", "Parameters"),
  after: L("到期后", "After the due time"),
  repeat: L("重复间隔", "Repeat every"),
  feedbackWindow: L("反馈时限", "Feedback window"),
  base: L("基础日历", "Base calendar"),
  holidays: L("节假日（休息日）", "Holidays (days off)"),
  workdays: L("调休工作日", "Make-up working days"),
};
const DURATION_UNIT = L("计时单位", "Unit of time");

function titleFor(key: string, parentKey: string | undefined, locale: Locale): string {
  if (key === "unit" && ["handle", "wartime", "before", "after", "repeat", "feedbackWindow"].includes(parentKey ?? "")) return pickText(DURATION_UNIT, locale);
  const t = TITLES[key];
  return t ? pickText(t, locale) : key;
}

const choices = (items: readonly Named[], locale: Locale) =>
  items.map((i) => ({ const: i.id, title: i.name ? `${pickText(i.name, locale)}（${i.id}）` : i.id }));

/** A copy of `schema` with a choice list, unless there is nothing to choose (then free text). */
function withChoices(schema: Schema, items: readonly Named[], locale: Locale): Schema {
  if (!items.length) return schema;
  const { pattern: _p, minLength: _m, maxLength: _x, ...rest } = schema;
  return { ...rest, oneOf: choices(items, locale) };
}

const ENUM_LABELS: Record<string, Record<string, { zh: string; en: string }>> = {
  unit: { "working-days": L("工作日", "working days"), "calendar-days": L("自然日", "calendar days"), hours: L("小时", "hours") },
  by: { post: L("指定岗位", "a post"), "duty-leader": L("值班领导", "the duty leader"), leadership: L("领导班子", "the leadership"), none: L("无需研判", "nobody") },
  gridType: { comprehensive: L("综合网格", "comprehensive"), dedicated: L("专属网格", "dedicated") },
  kind: {
    "command-room": L("指挥室", "command room"), platform: L("平台", "platform"), "special-unit": L("专项单位", "special unit"), module: L("模块", "module"),
    village: L("村", "village"), community: L("社区", "community"), grid: L("网格", "grid"), "micro-grid": L("微网格", "micro-grid"),
    "joint-force": L("联勤力量", "joint force"), "county-centre": L("县级中心", "county centre"), "county-department": L("县级部门", "county department"),
    leadership: L("领导岗位", "leadership"), working: L("工作岗位", "working post"), "grid-team": L("网格队伍", "grid team"), external: L("外部", "external"),
  },
};

/** Titles on every property, enums shown with names, `$remove` (a file-only marker) dropped. */
function decorate(schema: unknown, locale: Locale, refs: (key: string, parentKey: string | undefined, node: Schema) => Schema | undefined, key?: string, parentKey?: string): unknown {
  if (typeof schema !== "object" || schema === null || Array.isArray(schema)) return schema;
  // Schema descriptions are notes for people who write config files (in English): not shown here.
  const { description: _description, ...copy } = schema as Schema;
  let node: Schema = copy;
  if (key !== undefined) {
    const replaced = refs(key, parentKey, node);
    if (replaced) node = replaced;
    if (Array.isArray(node.enum) && ENUM_LABELS[key]) {
      const labels = ENUM_LABELS[key]!;
      const { enum: values, ...rest } = node;
      node = { ...rest, oneOf: (values as string[]).map((v) => ({ const: v, title: labels[v] ? pickText(labels[v]!, locale) : v })) };
    }
  }
  if (node.properties && typeof node.properties === "object") {
    const props: Schema = {};
    for (const [k, v] of Object.entries(node.properties as Schema)) {
      if (k === "$remove") continue;
      props[k] = { ...(decorate(v, locale, refs, k, key) as Schema), title: titleFor(k, key, locale) };
    }
    node.properties = props;
  }
  if (node.items) node.items = decorate(node.items, locale, refs, key, parentKey);
  if (node.additionalProperties && typeof node.additionalProperties === "object") node.additionalProperties = decorate(node.additionalProperties, locale, refs, key, parentKey);
  return node;
}

/** The schema and uiSchema of one section's form. */
export function sectionForm(section: SectionId, ctx: SectionContext, locale: Locale): { schema: Schema; uiSchema: Schema } {
  const root = townshipConfigSchema.properties;
  const raw: unknown = section === "units" ? root.org.properties.units : root[EDITABLE_SECTIONS[section][0] as "categories" | "grades" | "deadlinePolicies" | "calendars" | "posts"];
  const platforms = ctx.units.filter((u) => u.kind === "platform" || u.kind === "special-unit" || u.kind === "module");
  const refs = (key: string, parentKey: string | undefined, node: Schema): Schema | undefined => {
    switch (section) {
      case "categories":
        if (key === "platform") return withChoices(node, platforms, locale);
        if (key === "defaultGrade") return withChoices(node, ctx.grades, locale);
        if (key === "intakeForm") return withChoices(node, ctx.forms, locale);
        if (key === "workflow") return withChoices(node, ctx.workflows, locale);
        if (key === "deadlinePolicy") return withChoices(node, ctx.policies, locale);
        if (key === "parent") return withChoices(node, ctx.categories, locale);
        if (key === "leadUnit") return withChoices(node, ctx.units, locale);
        if (key === "assistUnits" && node.type === "string") return withChoices(node, ctx.units, locale);
        return undefined;
      case "grades":
        return key === "post" && parentKey === "analysis" ? withChoices(node, ctx.posts, locale) : undefined;
      case "posts":
        if (key === "unit") return withChoices(node, ctx.units, locale);
        if (key === "unitKinds" && node.type === "string") return { ...node, enum: [...root.org.properties.units.items.properties.kind.enum] };
        return undefined;
      case "deadlinePolicies":
        return key === "calendar" ? withChoices(node, ctx.calendars.map((id) => ({ id })), locale) : undefined;
      case "units":
        return key === "parent" ? withChoices(node, ctx.units, locale) : undefined;
      case "calendars":
        return undefined;
    }
  };
  const schema = decorate(raw, locale, refs, section) as Schema;
  schema.title = pickText(SECTION_NAMES[section], locale);
  if (schema.items && typeof schema.items === "object") (schema.items as Schema).title = pickText(ITEM_NAMES[section], locale);
  if (schema.additionalProperties && typeof schema.additionalProperties === "object") (schema.additionalProperties as Schema).title = pickText(ITEM_NAMES[section], locale);
  // Template items keep their place: resolution cannot reorder them (decision 006).
  const uiSchema: Schema = section === "deadlinePolicies" || section === "calendars" ? {} : { "ui:options": { orderable: false } };
  return { schema, uiSchema };
}

/** The choices a section's references offer, from a (draft) config. */
export function sectionContext(config: {
  org?: { units?: ReadonlyArray<{ id: string; kind: string; name: Text }> };
  grades?: readonly Named[];
  posts?: readonly Named[];
  categories?: readonly Named[];
  forms?: Record<string, { name: Text }>;
  workflows?: Record<string, { name: Text }>;
  deadlinePolicies?: Record<string, unknown>;
  calendars?: Record<string, unknown>;
}): SectionContext {
  return {
    units: (config.org?.units ?? []).map((u) => ({ id: u.id, kind: u.kind, name: u.name })),
    grades: (config.grades ?? []).map((g) => ({ id: g.id, ...(g.name ? { name: g.name } : {}) })),
    posts: (config.posts ?? []).map((p) => ({ id: p.id, ...(p.name ? { name: p.name } : {}) })),
    categories: (config.categories ?? []).map((c) => ({ id: c.id, ...(c.name ? { name: c.name } : {}) })),
    forms: Object.entries(config.forms ?? {}).map(([id, f]) => ({ id, name: f.name })),
    workflows: Object.entries(config.workflows ?? {}).map(([id, w]) => ({ id, name: w.name })),
    policies: Object.keys(config.deadlinePolicies ?? {}).map((id) => ({ id })),
    calendars: Object.keys(config.calendars ?? {}),
  };
}
