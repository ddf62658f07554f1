// Caps on documents people send: config edits, imports, onboarding drafts, template releases, and
// the JSON of transition and report forms. Checked before any other work, so that one oversized or
// deeply nested document cannot stall the server for every township (docs/decisions/021).
// Generous for real townships: the largest shipped template is 30 KB with a dozen posts; a big
// township has a few hundred grids.
import { type CountedKind, type Issue, issue } from "./issues";
import { pointer } from "./issues";

/** Deepest nesting of JSON accepted anywhere (`{"a":[1]}` is 2 levels). */
export const MAX_JSON_DEPTH = 64;

export const CONFIG_LIMITS = {
  /** A config document (or an edit, a draft, a release) as JSON text. */
  bytes: 2 * 1024 * 1024,
  /** Any one list or object not named below (holidays, permissions, form fields …). */
  items: 5000,
} as const;

type Counted = { at: readonly string[]; limit: number; what: Exclude<CountedKind, "items"> };

/** Named collections; `*` is any key (a workflow id). */
export const COUNT_LIMITS: readonly Counted[] = [
  { at: ["org", "units"], limit: 5000, what: "orgUnits" },
  { at: ["posts"], limit: 2000, what: "posts" },
  { at: ["categories"], limit: 500, what: "categories" },
  { at: ["grades"], limit: 100, what: "grades" },
  { at: ["forms"], limit: 300, what: "forms" },
  { at: ["workflows"], limit: 100, what: "workflows" },
  { at: ["workflows", "*", "states"], limit: 300, what: "states" },
  { at: ["workflows", "*", "transitions"], limit: 1000, what: "transitions" },
  { at: ["permissions"], limit: 2000, what: "permissions" },
  { at: ["scoring", "rules"], limit: 1000, what: "scoringRules" },
];

export const MiB = (bytes: number) => `${Math.round((bytes / 1024 / 1024) * 10) / 10} MB`;

/** UTF-8 length without encoding the text (which would copy a large one). */
function utf8Length(text: string): number {
  let n = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 0x80) n += 1;
    else if (c < 0x800) n += 2;
    else if (c >= 0xd800 && c < 0xdc00) {
      n += 4;
      i++;
    } else n += 3;
  }
  return n;
}

/** The nesting depth of JSON text, counted without parsing it; stops as soon as it passes `max`. */
export function jsonTextDepth(text: string, max = MAX_JSON_DEPTH): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x7b || c === 0x5b) {
      if (++depth > deepest) deepest = depth;
      if (deepest > max) return deepest;
    } else if (c === 0x7d || c === 0x5d) depth--;
  }
  return deepest;
}

const tooDeepIssue = (path = ""): Issue => issue(path, "limit.depth", { max: MAX_JSON_DEPTH });

/**
 * JSON text from a request, parsed only when it is within `maxBytes` and the depth cap. Invalid
 * JSON is `{ ok: true, value: undefined }`, as the routes already treat it.
 */
export function parseBoundedJson(
  text: string,
  maxBytes: number = CONFIG_LIMITS.bytes,
): { ok: true; value: unknown } | { ok: false; status: 400 | 413; issue: Issue } {
  // Cheap bound first: a string of n UTF-16 units is at least n bytes.
  if (text.length > maxBytes || (text.length * 3 > maxBytes && utf8Length(text) > maxBytes)) {
    const bytes = utf8Length(text);
    return {
      ok: false,
      status: 413,
      issue: issue("", "limit.bytes", { bytes: MiB(bytes), maxBytes: MiB(maxBytes) }),
    };
  }
  if (jsonTextDepth(text) > MAX_JSON_DEPTH) return { ok: false, status: 400, issue: tooDeepIssue() };
  try {
    return { ok: true, value: JSON.parse(text) };
  } catch {
    return { ok: true, value: undefined };
  }
}

function countAt(limit: Counted, tokens: readonly string[]): boolean {
  return limit.at.length === tokens.length && limit.at.every((t, i) => t === "*" || t === tokens[i]);
}

/**
 * Size, count and depth caps of a config document (a template, a township's source or resolved
 * config, or a part of one placed at its path). One iterative pass, no recursion: it runs before
 * anything else touches the document. Each cap is reported once, naming it.
 */
export function configLimitIssues(document: unknown): Issue[] {
  const out: Issue[] = [];
  const reported = new Set<string>();
  const stack: Array<{ node: unknown; tokens: string[] }> = [{ node: document, tokens: [] }];
  while (stack.length) {
    const { node, tokens } = stack.pop()!;
    if (typeof node !== "object" || node === null) continue;
    if (tokens.length >= MAX_JSON_DEPTH) {
      if (!reported.has("depth")) out.push(tooDeepIssue(pointer(...tokens)));
      reported.add("depth");
      continue;
    }
    const entries: Array<[string, unknown]> = Array.isArray(node)
      ? node.map((v, i) => [String(i), v])
      : Object.entries(node);
    const named = COUNT_LIMITS.find((l) => countAt(l, tokens));
    const limit = named?.limit ?? CONFIG_LIMITS.items;
    if (entries.length > limit) {
      const key = named ? named.at.join("/") : "items";
      if (!reported.has(key)) {
        out.push(
          named
            ? issue(pointer(...tokens), "limit.count", { what: named.what, entries: entries.length, limit })
            : issue(pointer(...tokens), "limit.count", { what: "items", entries: entries.length, limit }),
        );
        reported.add(key);
      }
      continue; // not walked further: the document is refused anyway
    }
    for (const [key, value] of entries)
      if (typeof value === "object" && value !== null) stack.push({ node: value, tokens: [...tokens, key] });
  }
  return out;
}

/** `value` placed at `path` inside an otherwise empty document, to check a section with the caps above. */
export function atPath(path: readonly string[], value: unknown): unknown {
  return path.reduceRight<unknown>((acc, key) => ({ [key]: acc }), value);
}
