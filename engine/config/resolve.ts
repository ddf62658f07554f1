// Resolution of `extends`: a config is its template with the config's overrides laid on top.
// Deterministic rules (docs/decisions/006-config-resolution.md):
// - objects merge key by key;
// - arrays whose items all have an `id` merge by id (an item with `$remove: true` removes it,
//   new ids are appended in the override's order);
// - any other list is changed by a list edit, `{ "$append": [...] }`, `{ "$prepend": [...] }`,
//   `{ "$remove": [...] }` (items equal to these go) or `{ "$replace": [...] }`; a bare list over
//   a template's non-empty list is refused, since it would silently drop the template's items
//   (inside forms, where `required` and `enum` lists are JSON Schema values, it replaces);
// - any other value in the override replaces the template's.
import { escapePointerToken, type Issue, issue } from "#engine/issues";
import { canonicalJson, isJsonObject, jsonEqual, type Json, type JsonObject } from "./id-paths";

const LIST_EDIT_KEYS = new Set(["$append", "$prepend", "$remove", "$replace"]);

/** An object of list-edit markers only (`$append`, `$prepend`, `$remove`, `$replace`). */
export function isListEdit(value: unknown): value is JsonObject {
  if (!isJsonObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every((k) => LIST_EDIT_KEYS.has(k));
}

const listOf = (value: Json | undefined): Json[] => (Array.isArray(value) ? value : []);

/** `list` after `edit`: replaced (or kept), minus the removed items, with the prepended and appended ones. */
export function applyListEdit(list: readonly Json[] | undefined, edit: JsonObject): Json[] {
  const start = Object.hasOwn(edit, "$replace") ? listOf(edit.$replace) : (list ?? []);
  const removed = new Set(listOf(edit.$remove).map(canonicalJson));
  const kept = removed.size ? start.filter((item) => !removed.has(canonicalJson(item))) : start;
  return [...listOf(edit.$prepend), ...kept, ...listOf(edit.$append)];
}

/** Where a merge found something it will not do silently, for resolveConfig to report. */
type MergeReport = (path: string, problem: "list-replaced" | "list-edit-invalid", dropped: number) => void;

/** A config's own identity: never inherited from its template, never a template's change to a township. */
export const IDENTITY_KEYS = ["kind", "id", "version", "name", "description", "releaseNotes", "extends"] as const;

// Merging matches by id even where ids repeat (validation reports repeats); id-paths' isIdArray,
// for addressing, needs them unique.
const isIdArray = (v: unknown): v is JsonObject[] =>
  Array.isArray(v) && v.every((item) => isJsonObject(item) && typeof item.id === "string");

export function mergeConfig(base: Json, override: Json, report?: MergeReport, path = ""): Json {
  if (isListEdit(override)) {
    if (Array.isArray(base) && Object.values(override).every(Array.isArray)) return applyListEdit(base, override);
    report?.(path, "list-edit-invalid", 0);
    return base;
  }
  if (isJsonObject(base) && isJsonObject(override)) {
    const out: JsonObject = { ...base };
    for (const [key, value] of Object.entries(override)) {
      const at = `${path}/${escapePointerToken(key)}`;
      // Inside a form, lists are JSON Schema values (`required`, `enum`): replaced, never reported.
      const sub = path === "" && key === "forms" ? undefined : report;
      // Own keys only, and defined rather than assigned: a "__proto__" key in JSON is data.
      const merged = Object.hasOwn(base, key) ? mergeConfig(base[key]!, value, sub, at) : value;
      Object.defineProperty(out, key, { value: merged, enumerable: true, writable: true, configurable: true });
    }
    return out;
  }
  if (isIdArray(base) && isIdArray(override)) {
    // Each override item goes to the first remaining item with its id, as a search from the
    // front would find it, but through a map: linear in the list, not quadratic.
    const out: Array<JsonObject | undefined> = base.map((item) => ({ ...item }));
    const slots = new Map<string, number[]>();
    const slotsOf = (id: string) => {
      let slot = slots.get(id);
      if (!slot) slots.set(id, (slot = []));
      return slot;
    };
    out.forEach((item, i) => slotsOf(item!.id as string).push(i));
    for (const item of override) {
      const at = slotsOf(item.id as string);
      if (item.$remove === true) {
        if (at.length) out[at.shift()!] = undefined;
      } else if (at.length) {
        out[at[0]!] = mergeConfig(
          out[at[0]!]!,
          item,
          report,
          `${path}/${escapePointerToken(item.id as string)}`,
        ) as JsonObject;
      } else {
        at.push(out.length);
        out.push(item);
      }
    }
    return out.filter((item) => item !== undefined);
  }
  if (Array.isArray(base) && Array.isArray(override) && base.length > 0 && !jsonEqual(base, override)) {
    const kept = new Set(override.map(canonicalJson));
    report?.(path, "list-replaced", base.filter((item) => !kept.has(canonicalJson(item))).length);
  }
  return override;
}

/**
 * Drops `$remove` markers (left in a template that was itself written with them, or in an
 * override). Recursion goes as deep as the document, which the caps keep to 64 levels.
 */
export function stripRemovals<T extends Json | undefined>(value: T): T {
  // A list edit with no list under it (the template has none) is the list it describes.
  if (isListEdit(value)) return stripRemovals(applyListEdit(undefined, value)) as T;
  if (Array.isArray(value))
    return value.filter((v) => !(isJsonObject(v) && v.$remove === true)).map((v) => stripRemovals(v)) as T;
  if (isJsonObject(value)) return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, stripRemovals(v)])) as T;
  return value;
}

export type TemplateLookup = (ref: string) => unknown | undefined;

/**
 * Resolves a raw config against its template chain. Returns the merged document (still to be
 * validated) or issues when a template is missing or the chain loops.
 */
export function resolveConfig(
  raw: unknown,
  lookup: TemplateLookup,
): { ok: true; value: unknown } | { ok: false; issues: Issue[] } {
  const chain: JsonObject[] = [];
  const seen = new Set<string>();
  let current: unknown = raw;
  while (isJsonObject(current)) {
    chain.unshift(current);
    const ref = current.extends;
    if (typeof ref !== "string") break;
    if (seen.has(ref)) {
      return {
        ok: false,
        issues: [issue("/extends", "extends.cycle", { ref })],
      };
    }
    seen.add(ref);
    const next = lookup(ref);
    if (next === undefined) {
      return {
        ok: false,
        issues: [issue("/extends", "extends.not-found", { ref })],
      };
    }
    current = next;
  }
  if (!chain.length) return { ok: true, value: raw };
  const top = chain[chain.length - 1]!;
  const issues: Issue[] = [];
  const report: MergeReport = (path, problem, dropped) => issues.push(mergeIssue(path, problem, dropped));
  let merged: Json = chain[0]!;
  for (const layer of chain.slice(1)) merged = mergeConfig(merged, layer, report);
  if (issues.length) return { ok: false, issues };
  const result = stripRemovals(merged) as JsonObject;
  // Identity comes from the config itself, never from its template.
  for (const key of IDENTITY_KEYS) {
    if (key in top) result[key] = top[key]!;
    else delete result[key];
  }
  return { ok: true, value: result };
}

function mergeIssue(path: string, problem: "list-replaced" | "list-edit-invalid", dropped: number): Issue {
  return problem === "list-edit-invalid"
    ? issue(path, "merge.list-edit-invalid")
    : issue(path, "merge.list-replaced", { dropped });
}
