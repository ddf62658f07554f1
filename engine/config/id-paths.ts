// Paths into a config that a township admin can read and that survive reordering.
//
// They are JSON pointers (RFC 6901) with one difference: inside an array whose items all carry an
// `id` (units, posts, grades, categories, transitions …) the token after the array is the item's
// id, not its position. `/categories/dispute/name/zh` is the Chinese name of the category whose id
// is "dispute", wherever it sits in the list; `/org/units/grid-1/parent` is the parent of unit
// "grid-1". Arrays without ids (a transition's `from`, a permission list) are addressed by
// position as usual. This is also how resolution merges (docs/decisions/006-config-resolution.md),
// so a path means the same thing in a township's overrides as in its resolved config.
import { escapePointerToken } from "#engine/issues";

export type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
export type JsonObject = { [key: string]: Json };

export const isJsonObject = (v: unknown): v is JsonObject => typeof v === "object" && v !== null && !Array.isArray(v);

/** An array addressed by id: every item is an object with a string `id`, and no id repeats. */
export function isIdArray(v: unknown): v is JsonObject[] {
  if (!Array.isArray(v)) return false;
  const ids = new Set<string>();
  for (const item of v) {
    if (!isJsonObject(item) || typeof item.id !== "string" || ids.has(item.id)) return false;
    ids.add(item.id);
  }
  return true;
}

export function splitPointer(path: string): string[] {
  if (path === "") return [];
  if (!path.startsWith("/")) throw new Error(`Not a JSON pointer: ${path}`);
  return path
    .slice(1)
    .split("/")
    .map((t) => t.replace(/~1/g, "/").replace(/~0/g, "~"));
}

export function joinPointer(tokens: readonly string[]): string {
  return tokens.map((t) => "/" + escapePointerToken(t)).join("");
}

/** `path` is `prefix` or lies under it. */
export function isAtOrUnder(path: string, prefix: string): boolean {
  return path === prefix || path.startsWith(prefix + "/");
}

/** The child of a JSON node named by one path token (an id inside id arrays); undefined if none. */
export function childAt(node: unknown, token: string): Json | undefined {
  if (Array.isArray(node)) {
    if (node.length && isIdArray(node)) return node.find((item) => item.id === token);
    if (!/^(0|[1-9]\d*)$/.test(token)) return undefined;
    return node[Number(token)] as Json | undefined;
  }
  if (isJsonObject(node) && Object.hasOwn(node, token)) return node[token];
  return undefined;
}

/** The value at an id path, or undefined when nothing is there. */
export function getAtIdPath(document: unknown, path: string): Json | undefined {
  let node = document as Json | undefined;
  for (const token of splitPointer(path)) {
    node = childAt(node, token);
    if (node === undefined) return undefined;
  }
  return node;
}

/**
 * Turns a positional JSON pointer (as validation issues carry) into an id path over the same
 * document: `/categories/3/platform` → `/categories/market-complaint/platform`.
 */
export function toIdPath(document: unknown, indexPath: string): string {
  return idPathsIn(document)(indexPath);
}

/**
 * toIdPath for many paths over one document that does not change meanwhile: each array is
 * looked at once, so a long list of issues costs its length, not its length times the list's.
 * Paths that are not JSON pointers ("") come back as they are.
 */
/** Items of an id list by id; with a repeated id the first item wins, as `childAt` finds it. */
export function indexById(array: readonly JsonObject[]): Map<string, JsonObject> {
  const byId = new Map<string, JsonObject>();
  for (const item of array) if (!byId.has(item.id as string)) byId.set(item.id as string, item);
  return byId;
}

export function idPathsIn(document: unknown): (indexPath: string) => string {
  const byId = new Map<Json[], Map<string, JsonObject> | null>();
  const idsOf = (array: Json[]) => {
    if (!byId.has(array)) byId.set(array, array.length && isIdArray(array) ? indexById(array) : null);
    return byId.get(array)!;
  };
  return (indexPath) => {
    if (!indexPath.startsWith("/")) return indexPath;
    const out: string[] = [];
    let node = document as Json | undefined;
    for (const token of splitPointer(indexPath)) {
      if (Array.isArray(node)) {
        const ids = idsOf(node);
        if (ids && /^\d+$/.test(token)) {
          const item = node[Number(token)] as JsonObject | undefined;
          out.push(item ? String(item.id) : token);
          node = item;
        } else {
          out.push(token);
          node = ids ? ids.get(token) : /^(0|[1-9]\d*)$/.test(token) ? node[Number(token)] : undefined;
        }
      } else {
        out.push(token);
        node = node === undefined ? undefined : childAt(node, token);
      }
    }
    return joinPointer(out);
  };
}

/** Structural equality of JSON values; object key order does not matter (PostgreSQL jsonb reorders keys). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((v, i) => jsonEqual(v, b[i]));
  if (isJsonObject(a) && isJsonObject(b)) {
    const keys = Object.keys(a);
    return keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** Assigns an own property, even one named "__proto__" (in JSON that is data). */
export function setOwn(target: JsonObject, key: string, value: Json) {
  Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
}

/** A JSON value as text with object keys sorted: equal for values `jsonEqual` calls equal. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(",")}]`;
  if (isJsonObject(value)) {
    const keys = Object.keys(value).sort();
    return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(value[k])}`).join(",")}}`;
  }
  return JSON.stringify(value) ?? "null";
}
