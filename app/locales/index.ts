// The UI's message catalogs and their formatter; no React, so servers and CLIs use it too.
import { IntlMessageFormat } from "intl-messageformat";
import type { Locale } from "#engine/i18n";
import type { Catalog, MessageKey, ParamsArg } from "./catalog";
import { en } from "./en";
import { zhCN } from "./zh-CN";

export type { Catalog, MessageKey, ParamsArg } from "./catalog";

/** The languages offered, Chinese first: the default and the fallback of Accept-Language. */
export const LOCALES = ["zh-CN", "en"] as const satisfies readonly Locale[];
const CATALOGS: Record<Locale, Catalog> = { "zh-CN": zhCN, en };

type Formatter = { format: IntlMessageFormat; args: Set<string>; numeric: Set<string> };
const formatters = new Map<string, Formatter>();

type Element = ReturnType<IntlMessageFormat["getAst"]>[number];
type Values = Record<string, string | number>;

// Arguments a message names (args) and those it needs as numbers (plural, number); a select picks by string.
function collect(ast: Element[], args: Set<string>, numeric: Set<string>) {
  for (const el of ast) {
    if (!("value" in el) || typeof el.value !== "string" || el.type === 0) continue;
    args.add(el.value);
    if (el.type === 2 || el.type === 6) numeric.add(el.value);
    if ("options" in el) for (const o of Object.values(el.options)) collect(o.value, args, numeric);
  }
}

function compile(pattern: string, locale: Locale): Formatter {
  const format = new IntlMessageFormat(pattern, locale);
  const args = new Set<string>();
  const numeric = new Set<string>();
  collect(format.getAst(), args, numeric);
  return { format, args, numeric };
}

function formatterOf(locale: Locale, key: MessageKey): Formatter {
  return cached(`${locale}\u0000${key}`, CATALOGS[locale][key], locale);
}

function cached(id: string, pattern: string, locale: Locale): Formatter {
  let f = formatters.get(id);
  if (!f) formatters.set(id, (f = compile(pattern, locale)));
  return f;
}

/** A pattern from another catalog (engine issues, app/locales/issues/), compiled once per id. */
export function formatCatalogEntry(locale: Locale, id: string, pattern: string, values: Values = {}): string {
  return render(cached(`${locale}\u0001${id}`, pattern, locale), locale, values);
}

// A missing value shows as "{name}" in place of its whole argument instead of failing the page.
function withoutMissing(ast: Element[], values: Values): Element[] {
  return ast.map((el) => {
    if (el.type !== 0 && "value" in el && typeof el.value === "string" && !(el.value in values))
      return { type: 0, value: `{${el.value}}` } as Element;
    if ("options" in el) {
      const options = Object.fromEntries(
        Object.entries(el.options).map(([k, o]) => [k, { ...o, value: withoutMissing(o.value, values) }]),
      );
      return { ...el, options } as Element;
    }
    return el;
  });
}

/** One UI string in one language, its values checked against the key; every occurrence of each argument is filled. */
export function translate<K extends MessageKey>(locale: Locale, key: K, ...params: ParamsArg<K>): string {
  return formatMessage(locale, key, params[0]);
}

/** translate for a key and values that arrive as data (a stored chain break, a notification kind). */
export function formatMessage(locale: Locale, key: MessageKey, values: Values = {}): string {
  return render(formatterOf(locale, key), locale, values);
}

/** An ICU pattern that is not in a catalog (a test, a one-off); the same rules as translate. */
export function formatPattern(locale: Locale, pattern: string, values: Values = {}): string {
  return render(compile(pattern, locale), locale, values);
}

function render(f: Formatter, locale: Locale, given: Values): string {
  if (f.args.size === 0) return String(f.format.format());
  const values: Values = {};
  // Simple arguments print as given ("2026" stays "2026"); counts go through the locale's rules.
  for (const [k, v] of Object.entries(given)) values[k] = f.numeric.has(k) ? Number(v) : String(v);
  const complete = [...f.args].every((a) => a in values);
  const format = complete ? f.format : new IntlMessageFormat(withoutMissing(f.format.getAst(), values), locale);
  return String(format.format(values));
}

export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(zhCN, key);
}
