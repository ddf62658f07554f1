// From "what the township should run with" back to "what the township writes": the smallest
// override that, laid over its template by the resolution rules (./resolve.ts, decision 006),
// gives the edited value. Admins edit the effective config (template + overrides) in forms; the
// server stores only the overrides in the township's source, so a later template upgrade sees
// exactly what the township changed.
//
// Resolution merges objects key by key and id arrays by id, so an override can change and add
// but never delete an object key or reorder the template's items. Such edits are reported as
// issues rather than silently lost.
import { changeMessage, diffConfigs } from "./diff";
import { canonicalJson, isIdArray, isJsonObject, jsonEqual, setOwn, type Json, type JsonObject } from "./id-paths";
import { applyListEdit, mergeConfig, stripRemovals } from "./resolve";
import type { Issue } from "#engine/issues";

const REMOVE = "$remove";

/**
 * The override of `base` that gives `target`, or undefined when `target` is `base` already.
 * `previous` is the override the township had here: kept as it is whenever it still gives the
 * target, so saving an unchanged section never rewrites what the township wrote.
 */
export function overrideFor(base: Json | undefined, target: Json, previous?: Json): Json | undefined {
  if (
    previous !== undefined &&
    jsonEqual(stripRemovals(base === undefined ? previous : mergeConfig(base, previous)), target)
  )
    return previous;
  if (base === undefined) return target;
  if (jsonEqual(base, target)) return undefined;

  if (isJsonObject(base) && isJsonObject(target)) {
    const prev = isJsonObject(previous) ? previous : undefined;
    const out: JsonObject = {};
    for (const [key, value] of Object.entries(target)) {
      const sub = overrideFor(
        Object.hasOwn(base, key) ? base[key] : undefined,
        value,
        prev && Object.hasOwn(prev, key) ? prev[key] : undefined,
      );
      if (sub !== undefined) setOwn(out, key, sub);
    }
    return Object.keys(out).length ? out : undefined;
  }

  if (isIdArray(base) && isIdArray(target) && base.length > 0) {
    const prevItems = isIdArray(previous)
      ? new Map(previous.map((item) => [item.id as string, item]))
      : new Map<string, JsonObject>();
    const baseById = new Map(base.map((item) => [item.id as string, item]));
    const out: JsonObject[] = [];
    for (const item of target) {
      const id = item.id as string;
      const from = baseById.get(id);
      if (!from) {
        out.push(item);
        continue;
      }
      const prev = prevItems.get(id);
      const sub = overrideFor(from, item, prev && prev[REMOVE] !== true ? prev : undefined);
      if (sub !== undefined) out.push({ id, ...(sub as JsonObject) });
    }
    const targetIds = new Set(target.map((item) => item.id as string));
    for (const item of base) if (!targetIds.has(item.id as string)) out.push({ id: item.id as string, [REMOVE]: true });
    return out.length ? out : undefined;
  }

  if (Array.isArray(base) && Array.isArray(target) && base.length > 0) return listEditFor(base, target);

  return target;
}

/**
 * The list edit that turns the template's `base` list into `target`: what was appended, prepended
 * or removed when the edit is only that, else an explicit `$replace` (a bare list would be refused).
 */
function listEditFor(base: Json[], target: Json[]): JsonObject {
  const inTarget = new Set(target.map(canonicalJson));
  const removed = base.filter((item) => !inTarget.has(canonicalJson(item)));
  const gone = new Set(removed);
  const kept = base.filter((item) => !gone.has(item));
  const first = kept.length ? canonicalJson(kept[0]) : undefined;
  let start = 0;
  while (start < target.length && canonicalJson(target[start]) !== first) start++;
  const candidate: JsonObject = {};
  if (start > 0) candidate.$prepend = target.slice(0, start);
  if (removed.length) candidate.$remove = removed;
  if (target.length > start + kept.length) candidate.$append = target.slice(start + kept.length);
  const works = Object.keys(candidate).length > 0 && jsonEqual(applyListEdit(base, candidate), target);
  return works ? candidate : { $replace: target };
}

/** The parts of a township config its admin edits in forms, by where they sit in the config. */
export const EDITABLE_SECTIONS = {
  categories: ["categories"],
  grades: ["grades"],
  deadlinePolicies: ["deadlinePolicies"],
  calendars: ["calendars"],
  posts: ["posts"],
  units: ["org", "units"],
  // Scoring is edited as its rules and its three-colour levels only: base, periods, the revisit
  // reading, the closing/feedback deadline kinds and the appeal workflow are tied to workflows
  // and forms a township admin does not edit here, and a slip there would silently change every
  // score or break appeals.
  scoring: ["scoring", "rules"],
  ratings: ["scoring", "ratings"],
  // The workbenches (who sees which tabs, their filters and columns); `views.doneStates` says what
  // counts as closed on dashboards and follows the workflows, so it stays with them.
  views: ["views", "workbenches"],
} as const satisfies Record<string, readonly string[]>;
export type SectionId = keyof typeof EDITABLE_SECTIONS;
export const SECTION_IDS = Object.keys(EDITABLE_SECTIONS) as SectionId[];

/** Sections held as a map by id (the rest are lists): what an absent section is shown as. */
const MAP_SECTIONS: ReadonlySet<SectionId> = new Set(["deadlinePolicies", "calendars", "ratings"]);
export const emptySection = (id: SectionId): Json => (MAP_SECTIONS.has(id) ? {} : []);

export function isSectionId(value: unknown): value is SectionId {
  return typeof value === "string" && Object.hasOwn(EDITABLE_SECTIONS, value);
}

function getIn(document: unknown, path: readonly string[]): Json | undefined {
  let node: unknown = document;
  for (const key of path) {
    if (!isJsonObject(node) || !Object.hasOwn(node, key)) return undefined;
    node = node[key];
  }
  return node as Json;
}

/** A copy of `document` with `value` at `path` (undefined removes it, and parents left empty). */
function setIn(document: JsonObject, path: readonly string[], value: Json | undefined): JsonObject {
  const [head, ...rest] = path;
  if (head === undefined) return document;
  const out: JsonObject = { ...document };
  if (!rest.length) {
    if (value === undefined) delete out[head];
    else setOwn(out, head, value);
    return out;
  }
  const child = isJsonObject(out[head]) ? (out[head] as JsonObject) : {};
  const next = setIn(child, rest, value);
  if (Object.keys(next).length) setOwn(out, head, next);
  else delete out[head];
  return out;
}

const CANNOT = {
  zh: "无法保存：模板中已有的设置只能修改，不能删除，模板条目的顺序也不能调整",
  en: "cannot be saved: settings the template defines can be changed but not deleted, and its items cannot be reordered",
};

export type SectionEdits = Partial<Record<SectionId, Json>>;

/**
 * The township's source with edited sections written as overrides of its (resolved) template.
 * `template` is the resolved template document; without one (a config that extends nothing) an
 * edited section is written whole. Refused with issues when an edit cannot be written as an
 * override.
 */
export function applySectionEdits(
  source: JsonObject,
  template: JsonObject | undefined,
  edits: SectionEdits,
): { ok: true; source: JsonObject } | { ok: false; issues: Issue[] } {
  let next = source;
  const issues: Issue[] = [];
  for (const id of SECTION_IDS) {
    if (!Object.hasOwn(edits, id)) continue;
    const path = EDITABLE_SECTIONS[id];
    const edited = edits[id] as Json;
    const base = template ? getIn(template, path) : undefined;
    const previous = getIn(source, path);
    const current = stripRemovals(
      base === undefined ? previous : previous === undefined ? base : mergeConfig(base, previous),
    );
    // Unchanged (an empty list or map where the config has none counts as unchanged).
    if (jsonEqual(current ?? (Array.isArray(edited) ? [] : isJsonObject(edited) ? {} : undefined), edited)) continue;
    const override = overrideFor(base, edited, previous);
    next = setIn(next, path, override);
    const resolved = base === undefined ? override : override === undefined ? base : mergeConfig(base, override);
    if (!jsonEqual(stripRemovals(resolved), edited)) {
      const wrap = (v: Json | undefined) =>
        path.reduceRight<Json | undefined>((acc, key) => (acc === undefined ? undefined : { [key]: acc }), v);
      for (const change of diffConfigs(wrap(stripRemovals(resolved)), wrap(edited))) {
        issues.push({
          path: change.path,
          code: "override.not-expressible",
          message: { zh: `${changeMessage(change).zh}：${CANNOT.zh}`, en: `${changeMessage(change).en}: ${CANNOT.en}` },
        });
      }
    }
  }
  return issues.length ? { ok: false, issues } : { ok: true, source: next };
}

/** A form of the township written as an override of its template's form (or whole, if new). */
export function applyFormEdit(
  source: JsonObject,
  template: JsonObject | undefined,
  formId: string,
  form: JsonObject,
): { ok: true; source: JsonObject } | { ok: false; issues: Issue[] } {
  const base = template ? getIn(template, ["forms", formId]) : undefined;
  const previous = getIn(source, ["forms", formId]);
  const override = overrideFor(base, form, previous);
  const forms = isJsonObject(source.forms) ? { ...source.forms } : {};
  if (override === undefined) delete forms[formId];
  else setOwn(forms, formId, override);
  const next: JsonObject = { ...source };
  if (Object.keys(forms).length) next.forms = forms;
  else delete next.forms;
  const resolved = base === undefined ? override : override === undefined ? base : mergeConfig(base, override);
  if (!jsonEqual(resolved, form)) {
    const issues: Issue[] = diffConfigs({ forms: { [formId]: resolved ?? null } }, { forms: { [formId]: form } }).map(
      (change) => ({
        path: change.path,
        code: "override.not-expressible",
        message: { zh: `${changeMessage(change).zh}：${CANNOT.zh}`, en: `${changeMessage(change).en}: ${CANNOT.en}` },
      }),
    );
    return { ok: false, issues };
  }
  return { ok: true, source: next };
}

/** The value at a section of a document (the effective section when given a resolved config). */
export function sectionValue(document: unknown, id: SectionId): Json | undefined {
  return getIn(document, EDITABLE_SECTIONS[id]);
}
