// What changed between two configs, as a list a township admin can read.
//
// Paths are id paths (./id-paths.ts): items of arrays with ids are matched and addressed by id,
// so `/categories/dispute/name/zh` is the Chinese name of category "dispute" in both documents
// even when the list was reordered or grew. Arrays without ids (a transition's `from`, the
// permission rules) are compared as one value. The root `$schema` (an editor hint) is ignored.
//
// Order is deterministic and does not depend on how either document orders its keys (a config
// read back from PostgreSQL jsonb has its keys reordered): top-level sections in the schema's
// order, then within an object `id`, `name`, `zh`, `en` first and the other keys alphabetically;
// items of an id array in the first document's order, then the second's new items in its order.
import type { Bilingual, Locale, Text } from "#engine/i18n";
import { townshipConfigSchema } from "#schemas/township-config";
import { isIdArray, isJsonObject, joinPointer, jsonEqual, splitPointer, type Json, type JsonObject } from "./id-paths";

type ChangeKind = "added" | "removed" | "changed";

export type ConfigChange = {
  /** Id path of what changed (see ./id-paths.ts). */
  path: string;
  kind: ChangeKind;
  before?: Json;
  after?: Json;
  /** The items of an id array were reordered; `before`/`after` are then the lists of ids. */
  reordered?: true;
  /** Display names of the named things along the path, by their path, for describeChange. */
  names?: Record<string, Text>;
};

const ROOT_ORDER: readonly string[] = Object.keys(townshipConfigSchema.properties);
const FIRST_KEYS = ["id", "name", "zh", "en"];

function orderedKeys(a: JsonObject | undefined, b: JsonObject | undefined, root: boolean): string[] {
  const keys = [...new Set([...Object.keys(a ?? {}), ...Object.keys(b ?? {})])];
  const rank = (k: string) => {
    const i = root ? ROOT_ORDER.indexOf(k) : FIRST_KEYS.indexOf(k);
    return i < 0 ? Number.MAX_SAFE_INTEGER : i;
  };
  return keys.sort((x, y) => rank(x) - rank(y) || (x < y ? -1 : x > y ? 1 : 0));
}

const textOf = (v: Json | undefined): Text | undefined =>
  isJsonObject(v) && typeof v.zh === "string"
    ? { zh: v.zh, ...(typeof v.en === "string" ? { en: v.en } : {}) }
    : undefined;

/** The display name of a named node (an item, a form, a workflow state …). */
const nameOf = (node: Json | undefined): Text | undefined => (isJsonObject(node) ? textOf(node.name) : undefined);

/** `{ amount, unit }` reads as one value ("5 个工作日"), so it changes as one. */
const isDuration = (v: JsonObject) =>
  typeof v.amount === "number" && typeof v.unit === "string" && Object.keys(v).length === 2;

type Names = ReadonlyArray<readonly [string, Text]>;

export function diffConfigs(a: unknown, b: unknown): ConfigChange[] {
  const out: ConfigChange[] = [];

  const emit = (tokens: string[], names: Names, change: Omit<ConfigChange, "path" | "names">, own?: Json) => {
    const path = joinPointer(tokens);
    const all = [...names];
    const ownName = nameOf(own);
    if (ownName) all.push([path, ownName]);
    out.push({ path, ...change, ...(all.length ? { names: Object.fromEntries(all) } : {}) });
  };

  const walk = (x: Json | undefined, y: Json | undefined, tokens: string[], names: Names) => {
    if (x === undefined && y === undefined) return;
    if (x === undefined) return emit(tokens, names, { kind: "added", after: y }, y);
    if (y === undefined) return emit(tokens, names, { kind: "removed", before: x }, x);
    if (jsonEqual(x, y)) return;

    const here = tokens.length ? (nameOf(x) ?? nameOf(y)) : undefined;
    const inner: Names = here ? [...names, [joinPointer(tokens), here]] : names;

    if (isJsonObject(x) && isJsonObject(y) && !(isDuration(x) && isDuration(y))) {
      for (const key of orderedKeys(x, y, tokens.length === 0)) {
        if (tokens.length === 0 && key === "$schema") continue;
        walk(
          Object.hasOwn(x, key) ? x[key] : undefined,
          Object.hasOwn(y, key) ? y[key] : undefined,
          [...tokens, key],
          inner,
        );
      }
      return;
    }
    if (isIdArray(x) && isIdArray(y) && (x.length > 0 || y.length > 0)) {
      const idsX = x.map((item) => item.id as string);
      const idsY = y.map((item) => item.id as string);
      const inY = new Set(idsY);
      const common = new Set(idsX.filter((id) => inY.has(id)));
      const orderX = idsX.filter((id) => common.has(id));
      const orderY = idsY.filter((id) => common.has(id));
      if (!jsonEqual(orderX, orderY))
        emit(tokens, names, { kind: "changed", before: idsX, after: idsY, reordered: true });
      const byIdY = new Map(y.map((item) => [item.id as string, item]));
      for (const item of x) walk(item, byIdY.get(item.id as string), [...tokens, item.id as string], inner);
      for (const item of y)
        if (!common.has(item.id as string)) walk(undefined, item, [...tokens, item.id as string], inner);
      return;
    }
    if (Array.isArray(x) && Array.isArray(y) && [...x, ...y].some((v) => typeof v === "object" && v !== null)) {
      // Lists of rules or effects without ids: by position, so a changed rule reads as that rule.
      for (let i = 0; i < Math.max(x.length, y.length); i++) walk(x[i], y[i], [...tokens, String(i)], inner);
      return;
    }
    emit(tokens, names, { kind: "changed", before: x, after: y });
  };

  walk(a as Json, b as Json, [], []);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Readable lines

type Label = { zh: string; en: string };
const L = (zh: string, en: string): Label => ({ zh, en });

/** Where the keys (or item ids) are the ids of named things: path patterns, `*` for any token. */
const COLLECTIONS: ReadonlyArray<{ at: readonly string[]; label: Label; plural: string }> = [
  { at: ["org", "units"], label: L("单位", "unit"), plural: "units" },
  { at: ["posts"], label: L("岗位", "post"), plural: "posts" },
  { at: ["grades"], label: L("事件等级", "grade"), plural: "grades" },
  { at: ["categories"], label: L("类别", "category"), plural: "categories" },
  { at: ["forms"], label: L("表单", "form"), plural: "forms" },
  { at: ["workflows"], label: L("流程", "workflow"), plural: "workflows" },
  { at: ["workflows", "*", "states"], label: L("状态", "state"), plural: "states" },
  { at: ["workflows", "*", "transitions"], label: L("流转", "transition"), plural: "transitions" },
  { at: ["deadlinePolicies"], label: L("时限规则", "deadline policy"), plural: "deadline policies" },
  { at: ["calendars"], label: L("日历", "calendar"), plural: "calendars" },
  { at: ["scoring", "rules"], label: L("考评规则", "scoring rule"), plural: "scoring rules" },
  { at: ["views", "workbenches"], label: L("工作台", "workbench"), plural: "workbenches" },
  { at: ["views", "workbenches", "*", "tabs"], label: L("标签页", "tab"), plural: "tabs" },
];

function collectionAt(tokens: readonly string[]) {
  return COLLECTIONS.find((c) => c.at.length === tokens.length && c.at.every((t, i) => t === "*" || t === tokens[i]));
}

/** Free-form JSON (schemas, UI settings, effect parameters): the rest of the path is shown as is. */
const FREE_FORM = new Set([
  "schema",
  "uiSchema",
  "i18n",
  "params",
  "modes",
  "on",
  "when",
  "target",
  "filter",
  "ratings",
  "revisit",
  "appeal",
  "periods",
]);

const FIELDS: Record<string, Label> = {
  $schema: L("结构声明", "$schema"),
  kind: L("类型", "kind"),
  id: L("编号", "id"),
  version: L("版本", "version"),
  name: L("名称", "name"),
  description: L("说明", "description"),
  extends: L("所用模板", "template"),
  locale: L("默认语言", "default language"),
  org: L("组织架构", "org"),
  dutyRota: L("值班轮值", "duty rota"),
  analysis: L("研判", "analysis"),
  parent: L("上级", "parent"),
  platform: L("平台", "platform"),
  defaultGrade: L("默认等级", "default grade"),
  intakeForm: L("受理表单", "intake form"),
  workflow: L("流程", "workflow"),
  deadlinePolicy: L("时限规则", "deadline policy"),
  requiredAttachments: L("必传附件", "required attachments"),
  routing: L("流转设置", "routing"),
  leadUnit: L("牵头单位", "lead unit"),
  assistUnits: L("协办单位", "assisting units"),
  titleField: L("标题字段", "title field"),
  maskedFields: L("脱敏字段", "masked fields"),
  initial: L("初始状态", "initial state"),
  onIntake: L("受理时动作", "on-intake effects"),
  final: L("终态", "final"),
  color: L("颜色", "colour"),
  from: L("起始状态", "from"),
  to: L("目标状态", "to"),
  form: L("表单", "form"),
  guard: L("条件", "guard"),
  effects: L("动作", "effects"),
  calendar: L("日历", "calendar"),
  handle: L("办理时限", "handling time"),
  reminders: L("提醒", "reminders"),
  overdueLadder: L("超期处置", "overdue ladder"),
  feedbackWindow: L("反馈时限", "feedback window"),
  base: L("基础日历", "base calendar"),
  holidays: L("节假日", "holidays"),
  workdays: L("调休工作日", "make-up working days"),
  permissions: L("权限规则", "permission rule"),
  posts: L("岗位", "posts"),
  units: L("单位", "units"),
  action: L("操作", "action"),
  subject: L("对象", "subject"),
  scope: L("范围", "scope"),
  fields: L("字段", "fields"),
  inverted: L("禁止", "inverted"),
  reason: L("原因", "reason"),
  type: L("类型", "type"),
  gridType: L("网格类型", "grid type"),
  unitKinds: L("适用单位类型", "unit kinds"),
  amount: L("数量", "amount"),
  label: L("标签", "label"),
  before: L("提前量", "lead time"),
  schema: L("表单结构", "schema"),
  uiSchema: L("界面设置", "UI schema"),
  i18n: L("翻译", "translations"),
  params: L("参数", "parameters"),
  scoring: L("考评", "scoring"),
  views: L("视图", "views"),
  points: L("分值", "points"),
  on: L("计分依据", "scored on"),
  when: L("适用条件", "only when"),
  target: L("计分对象", "scored to"),
  filter: L("筛选条件", "filter"),
  columns: L("列", "columns"),
  ratings: L("三色等次", "ratings"),
  revisit: L("回访", "revisit"),
  appeal: L("申诉", "appeal"),
  periods: L("考评周期", "periods"),
  closingDeadline: L("办结时限", "closing deadline"),
  feedbackDeadline: L("反馈时限", "feedback deadline"),
  doneStates: L("已办状态", "done states"),
  modes: L("模式", "modes"),
};

const DURATION_KEYS = new Set(["handle", "wartime", "feedbackWindow", "before"]);

function fieldLabel(key: string, parent: string | undefined): Label {
  if (key === "unit") return DURATION_KEYS.has(parent ?? "") ? L("计时单位", "unit of time") : L("所属单位", "unit");
  if (key === "by") return parent === "analysis" ? L("研判方式", "analysed by") : L("可操作岗位", "who may fire it");
  if (key === "wartime")
    return parent === "dutyRota" ? L("战时值班", "wartime duty") : L("战时时限", "wartime time limit");
  if (key === "base" && parent === "scoring") return L("基础分", "base score");
  return FIELDS[key] ?? L(key, key);
}

type Where = { zh: string; en: string };

/** "类别“矛盾纠纷”的名称（中文）" / "category "Dispute" › name (Chinese)". */
export function describePath(path: string, names: Record<string, Text>): Where {
  const tokens = splitPointer(path);
  const zh: string[] = [];
  const en: string[] = [];
  let suffix: Where = { zh: "", en: "" };
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i]!;
    const prev = tokens[i - 1];
    const collection = collectionAt(tokens.slice(0, i));
    if (collection) {
      const name = names[joinPointer(tokens.slice(0, i + 1))];
      // "单位“桥头村”", not "组织架构的单位“桥头村”": the item's kind says enough.
      const sections = collection.at.length - (collection.at.lastIndexOf("*") + 1);
      zh.splice(zh.length - sections);
      en.splice(en.length - sections);
      zh.push(`${collection.label.zh}“${name?.zh ?? token}”`);
      en.push(`${collection.label.en} "${name?.en ?? name?.zh ?? token}"`);
      continue;
    }
    if (/^\d+$/.test(token) && zh.length) {
      // An item of a list without ids (a permission rule, an effect): "第 2 条" / "#2".
      zh.push(`${zh.pop()}第${Number(token) + 1}条`);
      en.push(`${en.pop()} #${Number(token) + 1}`);
      continue;
    }
    const own = collectionAt(tokens.slice(0, i + 1));
    if (own) {
      zh.push(own.label.zh);
      en.push(own.plural);
      continue;
    }
    if ((token === "zh" || token === "en") && i === tokens.length - 1) {
      suffix = token === "zh" ? { zh: "（中文）", en: " (Chinese)" } : { zh: "（英文）", en: " (English)" };
      continue;
    }
    const label = fieldLabel(token, prev);
    zh.push(label.zh);
    en.push(label.en);
    if (FREE_FORM.has(token) && i < tokens.length - 1) {
      const rest = joinPointer(tokens.slice(i + 1));
      zh.push(rest);
      en.push(rest);
      break;
    }
  }
  const joinZh = zh.reduce(
    (acc, part) => (acc === "" ? part : part.startsWith("/") ? `${acc} ${part}` : `${acc}的${part}`),
    "",
  );
  const joinEn = en.reduce(
    (acc, part) => (acc === "" ? part : part.startsWith("/") ? `${acc} ${part}` : `${acc} › ${part}`),
    "",
  );
  return { zh: (joinZh || "配置") + suffix.zh, en: (joinEn || "config") + suffix.en };
}

const UNITS: Record<string, Label> = {
  "working-days": L("个工作日", "working days"),
  "calendar-days": L("天", "calendar days"),
  hours: L("小时", "hours"),
};

function formatValue(value: Json | undefined, locale: "zh" | "en"): string {
  const zh = locale === "zh";
  if (value === undefined) return zh ? "（无）" : "(none)";
  if (value === null) return zh ? "空" : "null";
  if (typeof value === "string") return zh ? `“${value}”` : JSON.stringify(value);
  if (typeof value === "boolean") return zh ? (value ? "是" : "否") : String(value);
  if (typeof value === "number") return String(value);
  const text = textOf(value);
  if (text && Object.keys(value).every((k) => k === "zh" || k === "en"))
    return formatValue(zh ? text.zh : (text.en ?? text.zh), locale);
  if (isJsonObject(value) && typeof value.amount === "number" && typeof value.unit === "string" && UNITS[value.unit]) {
    return `${value.amount} ${UNITS[value.unit]![locale]}`;
  }
  if (Array.isArray(value) && value.every((v) => typeof v !== "object" || v === null)) {
    return value.length
      ? value.map((v) => (typeof v === "string" ? v : JSON.stringify(v))).join(zh ? "、" : ", ")
      : zh
        ? "（空列表）"
        : "(empty list)";
  }
  const json = JSON.stringify(value);
  return json.length > 80 ? json.slice(0, 77) + "…" : json;
}

/** A readable line for one change, in Chinese (the default) and English. */
export function changeMessage(change: ConfigChange): Bilingual {
  const where = describePath(change.path, change.names ?? {});
  const named = nameOf(change.kind === "added" ? change.after : change.before) !== undefined;
  const f = (v: Json | undefined, locale: "zh" | "en") => formatValue(v, locale);
  const capital = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);
  if (change.reordered) {
    return {
      zh: `${where.zh}的顺序：${f(change.before, "zh")} → ${f(change.after, "zh")}`,
      en: `Order of ${where.en}: ${f(change.before, "en")} → ${f(change.after, "en")}`,
    };
  }
  switch (change.kind) {
    case "added":
      return named
        ? { zh: `新增${where.zh}`, en: `Added ${where.en}` }
        : { zh: `新增${where.zh}：${f(change.after, "zh")}`, en: `Added ${where.en}: ${f(change.after, "en")}` };
    case "removed":
      return named
        ? { zh: `删除${where.zh}`, en: `Removed ${where.en}` }
        : {
            zh: `删除${where.zh}（原为 ${f(change.before, "zh")}）`,
            en: `Removed ${where.en} (was ${f(change.before, "en")})`,
          };
    case "changed":
      return {
        zh: `${where.zh}：${f(change.before, "zh")} → ${f(change.after, "zh")}`,
        en: `${capital(where.en)}: ${f(change.before, "en")} → ${f(change.after, "en")}`,
      };
  }
}

export function describeChange(change: ConfigChange, locale: Locale = "zh-CN"): string {
  const message = changeMessage(change);
  return locale === "en" ? message.en : message.zh;
}
