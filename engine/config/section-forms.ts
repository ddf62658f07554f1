// Forms for editing a township's config, generated from the config's own JSON Schema: the
// section's sub-schema from schemas/township-config.ts, with titles in the admin's language and
// references (a category's platform, grade, form …) offered as choices of what the config has.
// The choices only help; the server validates the whole resolved config (prepareConfig).
import { pickText, type Locale, type Text } from "#engine/i18n";
import { CONDITION_PARAMS, FACT_NAMES, FACTS } from "#engine/scoring";
import { townshipConfigSchema } from "#schemas/township-config";
import { EDITABLE_SECTIONS, type SectionId } from "./overrides";
import { unitRole } from "#engine/org";

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
  /** Every workflow's states and transitions, by id (the same id in two workflows is one choice). */
  states: readonly Named[];
  transitions: readonly Named[];
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
  scoring: L("考评规则", "Scoring rules"),
  ratings: L("三色等次", "Rating levels"),
  views: L("工作台", "Workbenches"),
};

const ITEM_NAMES: Record<SectionId, { zh: string; en: string }> = {
  categories: L("类别", "Category"),
  grades: L("等级", "Grade"),
  deadlinePolicies: L("时限规则", "Deadline policy"),
  calendars: L("日历", "Calendar"),
  posts: L("岗位", "Post"),
  units: L("单位", "Unit"),
  scoring: L("考评规则", "Scoring rule"),
  ratings: L("等次", "Level"),
  views: L("工作台", "Workbench"),
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
  // scoring rules
  on: L("计分事项", "Scored on"),
  when: L("适用条件", "Only when"),
  target: L("计分对象", "Scored to"),
  points: L("分值", "Points"),
  perDay: L("每超期一天", "Per overdue day"),
  max: L("封顶（绝对值）", "Cap (absolute value)"),
  transition: L("流程操作", "Transition"),
  // rating levels
  level: L("等次编号", "Level id"),
  min: L("最低分", "Lowest score"),
  // workbenches
  posts: L("适用岗位", "Posts"),
  tabs: L("标签页", "Tabs"),
  columns: L("列表列", "List columns"),
  filter: L("筛选条件", "Filter"),
  states: L("状态", "States"),
  mine: L("与我相关", "Mine"),
  due: L("期限", "Due"),
  supervised: L("督办", "Supervision"),
  grades: L("事件等级", "Grades"),
  categories: L("事件类别", "Categories"),
};

/** Where a key means something else than in TITLES: by the key of the object it sits in. */
const TITLES_IN: Record<string, Record<string, { zh: string; en: string }>> = {
  when: { type: L("条件类型", "Condition"), params: L("条件参数", "Condition settings") },
  ratings: {
    grid: L("网格", "Grids"),
    "micro-grid": L("微网格", "Micro-grids"),
    village: L("村（社区）", "Villages"),
    platform: L("平台", "Platforms"),
    unit: L("单位", "Units"),
    user: L("个人", "People"),
  },
};
const DURATION_UNIT = L("计时单位", "Unit of time");

function titleFor(key: string, parentKey: string | undefined, locale: Locale): string {
  const inParent = parentKey !== undefined ? TITLES_IN[parentKey]?.[key] : undefined;
  if (inParent) return pickText(inParent, locale);
  if (key === "unit" && ["handle", "wartime", "before", "after", "repeat", "feedbackWindow"].includes(parentKey ?? ""))
    return pickText(DURATION_UNIT, locale);
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
  unit: {
    "working-days": L("工作日", "working days"),
    "calendar-days": L("自然日", "calendar days"),
    hours: L("小时", "hours"),
  },
  by: {
    post: L("指定岗位", "a post"),
    "duty-leader": L("值班领导", "the duty leader"),
    leadership: L("领导班子", "the leadership"),
    none: L("无需研判", "nobody"),
  },
  gridType: { comprehensive: L("综合网格", "comprehensive"), dedicated: L("专属网格", "dedicated") },
  kind: {
    "command-room": L("指挥室", "command room"),
    platform: L("平台", "platform"),
    "special-unit": L("专项单位", "special unit"),
    module: L("模块", "module"),
    village: L("村", "village"),
    community: L("社区", "community"),
    grid: L("网格", "grid"),
    "micro-grid": L("微网格", "micro-grid"),
    "joint-force": L("联勤力量", "joint force"),
    "county-centre": L("县级中心", "county centre"),
    "county-department": L("县级部门", "county department"),
    locality: L("属地乡镇", "township (locality)"),
    leadership: L("领导岗位", "leadership"),
    working: L("工作岗位", "working post"),
    "grid-team": L("网格队伍", "grid team"),
    external: L("外部", "external"),
  },
  mine: {
    assigned: L("本单位牵头或协办", "my unit leads or assists"),
    reported: L("本人上报", "I reported it"),
    unit: L("发生在本单位", "in my unit"),
  },
  due: {
    overdue: L("已超期", "overdue"),
    soon: L("2 天内到期", "due within 2 days"),
    any: L("有在计时的期限", "has a running deadline"),
  },
  columns: {
    number: L("编号", "Number"),
    title: L("标题", "Title"),
    category: L("类别", "Category"),
    grade: L("等级", "Grade"),
    status: L("状态", "Status"),
    orgUnit: L("发生单位", "Unit"),
    platform: L("责任平台", "Platform"),
    reporter: L("上报人", "Reporter"),
    reportedAt: L("上报时间", "Reported"),
    dueAt: L("到期时间", "Due"),
    leadUnit: L("牵头单位", "Lead unit"),
  },
  triggers: { ladder: L("超期自动督办", "by the overdue ladder"), manual: L("人工督办", "by a person") },
};

/** Who a scoring rule's points go to (schemas/township-config.ts scoringTarget), besides posts. */
const TARGETS: Record<string, { zh: string; en: string }> = {
  "lead-unit": L("牵头单位", "the lead unit"),
  "assist-units": L("协办单位", "the assisting units"),
  platform: L("责任平台", "the platform"),
  village: L("所在村（社区）", "the village or community"),
  grid: L("所在网格", "the grid"),
  "reporting-unit": L("上报单位", "the reporting unit"),
  "assignee-users": L("承办人", "the assignees"),
  reporter: L("上报人", "the reporter"),
  actor: L("操作人", "the person who acted"),
  "source-township": L("事件来源乡镇（属地）", "the township the case came from"),
};
const POST_TARGET = L("岗位", "post");

const CONDITIONS: Record<keyof typeof CONDITION_PARAMS, { zh: string; en: string }> = {
  "grade-in": L("事件等级是", "grade is one of"),
  "category-in": L("事件类别是", "category is one of"),
  "platform-in": L("责任平台是", "platform is one of"),
  "workflow-in": L("流程是", "workflow is one of"),
  "transition-in": L("流程操作是", "transition is one of"),
  "deadline-in": L("时限类别是", "deadline kind is one of"),
  "satisfaction-in": L("回访结果是", "revisit result is one of"),
  "overdue-days": L("超期天数在范围内", "overdue days within a range"),
  "trigger-in": L("督办来源是", "supervision came"),
  "input-in": L("操作表单填写为", "the form's field is one of"),
  all: L("同时满足多个条件", "all of several conditions"),
  any: L("满足其中一个条件", "any of several conditions"),
  not: L("不满足某条件", "not a condition"),
};

/** A list the admin ticks from `items` (ids), or free text items when there is nothing to choose. */
const pickList = (items: readonly Named[], locale: Locale, title: { zh: string; en: string }): Schema =>
  items.length
    ? {
        type: "array",
        title: pickText(title, locale),
        items: { type: "string", oneOf: choices(items, locale) },
        uniqueItems: true,
      }
    : { type: "array", title: pickText(title, locale), items: { type: "string", minLength: 1 } };

/**
 * A rule's `when`: the condition picked from a list, its settings as pickers. Every condition's
 * settings sit in one object (a condition uses only its own; the server names a stray one):
 * RJSF `dependencies` on `type` would be tidier, but RJSF then writes an empty `when` into every
 * rule that has none. Lists have no minItems here, or RJSF would fill absent lists with an empty
 * item; the server still requires them. Nested conditions (all/any/not) keep what was written.
 */
function conditionSchema(ctx: SectionContext, platforms: readonly Named[], locale: Locale): Schema {
  const t = (x: { zh: string; en: string }) => pickText(x, locale);
  const when = (c: keyof typeof CONDITION_PARAMS, what: { zh: string; en: string }) =>
    L(`${what.zh}（用于“${CONDITIONS[c].zh}”）`, `${what.en} (for "${CONDITIONS[c].en}")`);
  const names = Object.keys(CONDITION_PARAMS) as Array<keyof typeof CONDITION_PARAMS>;
  return {
    type: "object",
    required: ["type"],
    additionalProperties: false,
    properties: {
      type: { type: "string", oneOf: names.map((n) => ({ const: n, title: t(CONDITIONS[n]) })) },
      params: {
        type: "object",
        properties: {
          grades: pickList(ctx.grades, locale, when("grade-in", L("事件等级", "Grades"))),
          categories: pickList(ctx.categories, locale, when("category-in", L("事件类别", "Categories"))),
          platforms: pickList(platforms, locale, when("platform-in", L("平台", "Platforms"))),
          workflows: pickList(ctx.workflows, locale, when("workflow-in", L("流程", "Workflows"))),
          transitions: pickList(ctx.transitions, locale, when("transition-in", L("流程操作", "Transitions"))),
          deadlines: pickList([], locale, when("deadline-in", L("时限类别", "Deadline kinds"))),
          field: { type: "string", minLength: 1, title: t(when("input-in", L("表单字段", "Form field"))) },
          values: pickList(
            [],
            locale,
            L(
              "取值（用于“回访结果是”“操作表单填写为”）",
              'Values (for "revisit result is one of", "the form\'s field is one of")',
            ),
          ),
          min: { type: "number", minimum: 0, title: t(when("overdue-days", L("至少（天）", "At least (days)"))) },
          max: { type: "number", minimum: 0, title: t(when("overdue-days", L("至多（天）", "At most (days)"))) },
          triggers: {
            type: "array",
            title: t(when("trigger-in", L("督办来源", "Came"))),
            items: {
              type: "string",
              oneOf: Object.entries(ENUM_LABELS.triggers!).map(([v, l]) => ({ const: v, title: t(l) })),
            },
            uniqueItems: true,
          },
        },
      },
    },
  };
}

/** Titles on every property, enums shown with names, `$remove` (a file-only marker) dropped. */
function decorate(
  schema: unknown,
  locale: Locale,
  refs: (key: string, parentKey: string | undefined, node: Schema) => Schema | undefined,
  key?: string,
  parentKey?: string,
): unknown {
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
      node = {
        ...rest,
        oneOf: (values as string[]).map((v) => ({ const: v, title: labels[v] ? pickText(labels[v]!, locale) : v })),
      };
    }
  }
  if (node.properties && typeof node.properties === "object") {
    const props: Schema = {};
    for (const [k, v] of Object.entries(node.properties as Schema)) {
      if (k === "$remove") continue;
      const decorated = decorate(v, locale, refs, k, key) as Schema;
      // A title set here (a generated picker) says more than the key's.
      props[k] = {
        ...decorated,
        title: typeof decorated.title === "string" ? decorated.title : titleFor(k, key, locale),
      };
    }
    node.properties = props;
  }
  if (node.items) node.items = decorate(node.items, locale, refs, key, parentKey);
  if (node.additionalProperties && typeof node.additionalProperties === "object")
    node.additionalProperties = decorate(node.additionalProperties, locale, refs, key, parentKey);
  return node;
}

// A category is run by a platform, the command room itself (e.g. tasks from the county) or, at a county, the centre.
const CATEGORY_OWNERS: ReadonlySet<string> = new Set(["platform", "command-room", "county"]);

/** The schema and uiSchema of one section's form. */
export function sectionForm(
  section: SectionId,
  ctx: SectionContext,
  locale: Locale,
): { schema: Schema; uiSchema: Schema } {
  const root = townshipConfigSchema.properties;
  const raw: unknown =
    section === "units"
      ? root.org.properties.units
      : section === "scoring"
        ? root.scoring.properties.rules
        : section === "ratings"
          ? root.scoring.properties.ratings
          : section === "views"
            ? root.views.properties.workbenches
            : root[
                EDITABLE_SECTIONS[section][0] as "categories" | "grades" | "deadlinePolicies" | "calendars" | "posts"
              ];
  const platforms = ctx.units.filter((u) => CATEGORY_OWNERS.has(unitRole(u.kind)));
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
        if (key === "unitKinds" && node.type === "string")
          return { ...node, enum: [...root.org.properties.units.items.properties.kind.enum] };
        return undefined;
      case "deadlinePolicies":
        return key === "calendar"
          ? withChoices(
              node,
              ctx.calendars.map((id) => ({ id })),
              locale,
            )
          : undefined;
      case "units":
        return key === "parent" ? withChoices(node, ctx.units, locale) : undefined;
      case "calendars":
        return undefined;
      case "scoring":
        if (key === "on" && parentKey === "scoring") {
          return {
            oneOf: [
              {
                type: "string",
                title: pickText(L("考评事实", "A fact"), locale),
                oneOf: FACT_NAMES.map((f) => ({ const: f, title: `${pickText(FACTS[f].name, locale)}（${f}）` })),
              },
              {
                type: "object",
                title: pickText(L("某个流程操作", "A transition"), locale),
                required: ["transition"],
                additionalProperties: false,
                properties: {
                  transition: withChoices(
                    { ...node, type: "string", title: titleFor("transition", "on", locale) },
                    ctx.transitions,
                    locale,
                  ),
                  workflow: withChoices(
                    { type: "string", title: titleFor("workflow", "on", locale) },
                    ctx.workflows,
                    locale,
                  ),
                },
              },
            ],
          };
        }
        if (key === "target") {
          const fixed = Object.entries(TARGETS).map(([v, l]) => ({ const: v, title: pickText(l, locale) }));
          const posts = ctx.posts.map((p) => ({
            const: `post:${p.id}`,
            title: `${pickText(POST_TARGET, locale)}：${p.name ? pickText(p.name, locale) : p.id}（${p.id}）`,
          }));
          const { pattern: _p, ...rest } = node;
          return { ...rest, oneOf: [...fixed, ...posts] };
        }
        if (key === "when") return conditionSchema(ctx, platforms, locale);
        if (key === "points") {
          return {
            oneOf: [
              { type: "number", title: pickText(L("每次计分", "Per fact"), locale) },
              {
                type: "object",
                title: pickText(L("按超期天数计分", "Per overdue day"), locale),
                required: ["perDay"],
                additionalProperties: false,
                properties: {
                  perDay: { type: "number", title: titleFor("perDay", "points", locale) },
                  max: { type: "number", exclusiveMinimum: 0, title: titleFor("max", "points", locale) },
                },
              },
            ],
          };
        }
        return undefined;
      case "ratings": {
        // No minItems in the form, or RJSF fills a kind the township does not rate with an empty level.
        if (parentKey !== "ratings" || node.type !== "array") return undefined;
        const { minItems: _m, ...rest } = node;
        return rest;
      }
      case "views":
        // Ticked rather than listed: naming a post twice means nothing.
        if (key === "posts" && node.type === "array") return { ...node, uniqueItems: true };
        if (key === "posts" && node.type === "string")
          return withChoices(node, [{ id: "*", name: L("全体成员", "every member") }, ...ctx.posts], locale);
        if (key === "states" && node.type === "string") return withChoices(node, ctx.states, locale);
        if (key === "grades" && node.type === "string") return withChoices(node, ctx.grades, locale);
        if (key === "categories" && node.type === "string") return withChoices(node, ctx.categories, locale);
        // A list of pickers rather than one multi-select: the order of the columns is the order on screen.
        if (key === "columns" && node.type === "array") {
          const { uniqueItems: _u, ...rest } = node;
          return rest;
        }
        if (key === "supervised")
          return {
            ...node,
            oneOf: [
              { const: true, title: pickText(L("督办中", "under supervision"), locale) },
              { const: false, title: pickText(L("未督办", "not supervised"), locale) },
            ],
          };
        if (key === "tabs" && node.type === "array")
          return { ...node, items: { ...(node.items as Schema), title: pickText(L("标签页", "Tab"), locale) } };
        return undefined;
    }
  };
  const schema = decorate(raw, locale, refs, section) as Schema;
  schema.title = pickText(SECTION_NAMES[section], locale);
  if (schema.items && typeof schema.items === "object")
    (schema.items as Schema).title = pickText(ITEM_NAMES[section], locale);
  if (schema.additionalProperties && typeof schema.additionalProperties === "object")
    (schema.additionalProperties as Schema).title = pickText(ITEM_NAMES[section], locale);
  // Template items keep their place: resolution cannot reorder them (decision 006).
  const fixed = { "ui:options": { orderable: false } };
  const uiSchema: Schema =
    section === "deadlinePolicies" || section === "calendars" || section === "ratings"
      ? {}
      : section === "views"
        ? {
            ...fixed,
            items: {
              posts: { "ui:widget": "checkboxes" },
              tabs: {
                ...fixed,
                items: {
                  filter: {
                    states: { "ui:widget": "checkboxes" },
                    grades: { "ui:widget": "checkboxes" },
                    categories: { "ui:widget": "checkboxes" },
                    supervised: { "ui:widget": "select" },
                  },
                },
              },
            },
          }
        : section === "scoring"
          ? {
              ...fixed,
              items: {
                when: {
                  params: {
                    grades: { "ui:widget": "checkboxes" },
                    categories: { "ui:widget": "checkboxes" },
                    platforms: { "ui:widget": "checkboxes" },
                    workflows: { "ui:widget": "checkboxes" },
                    transitions: { "ui:widget": "checkboxes" },
                    triggers: { "ui:widget": "checkboxes" },
                  },
                },
              },
            }
          : fixed;
  return { schema, uiSchema };
}

/** The choices a section's references offer, from a (draft) config. */
export function sectionContext(config: {
  org?: { units?: ReadonlyArray<{ id: string; kind: string; name: Text }> };
  grades?: readonly Named[];
  posts?: readonly Named[];
  categories?: readonly Named[];
  forms?: Record<string, { name: Text }>;
  workflows?: Record<
    string,
    { name: Text; states?: Record<string, { name: Text }>; transitions?: ReadonlyArray<{ id: string; name: Text }> }
  >;
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
    states: byId(
      Object.values(config.workflows ?? {}).flatMap((w) =>
        Object.entries(w.states ?? {}).map(([id, st]) => ({ id, name: st.name })),
      ),
    ),
    transitions: byId(
      Object.values(config.workflows ?? {}).flatMap((w) =>
        (w.transitions ?? []).map((t) => ({ id: t.id, name: t.name })),
      ),
    ),
    policies: Object.keys(config.deadlinePolicies ?? {}).map((id) => ({ id })),
    calendars: Object.keys(config.calendars ?? {}),
  };
}

/** The first of each id. */
function byId(items: Named[]): Named[] {
  const seen = new Set<string>();
  return items.filter((i) => !seen.has(i.id) && Boolean(seen.add(i.id)));
}
