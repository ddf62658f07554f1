// Engine issues carry a code and values; this renders them per language (ADR 043). No React, so
// loaders, actions, JSON responses and the CLI share it.
import type { Bilingual, Locale } from "#engine/i18n";
import type { IssueCode, IssueParam, IssueParams } from "#engine/issues";
import { formatCatalogEntry } from "#app/locales/index";
import type { IssueCatalog } from "./catalog";
import { en } from "./en";
import { zhCN } from "./zh-CN";

export const ISSUE_CATALOGS: Record<Locale, IssueCatalog> = { "zh-CN": zhCN, en };
const LIST_SEPARATOR: Record<Locale, string> = { "zh-CN": "、", en: ", " };

/** Either form an issue or message comes in: a code with values, or text fixed at the source (Ajv, app checks). */
export type Renderable = { code: string; params?: IssueParams } | { code?: string; message: Bilingual };

export function isIssueCode(code: string): code is IssueCode {
  return Object.hasOwn(zhCN, code);
}

function value(locale: Locale, v: IssueParam): string | number {
  if (typeof v === "string" || typeof v === "number") return v;
  if (Array.isArray(v)) return v.join(LIST_SEPARATOR[locale]);
  if ("code" in v) return renderIssue(locale, v);
  const text = v as { zh: string; en?: string };
  return locale === "en" ? (text.en ?? text.zh) : text.zh;
}

/** The text a person reads for one issue (or nested message) in one language. */
export function renderIssue(locale: Locale, issue: Renderable): string {
  if ("message" in issue && issue.message) return locale === "en" ? issue.message.en : issue.message.zh;
  const { code, params = {} } = issue as { code: string; params?: IssueParams };
  // A code this build does not know (a stored message from a newer or older release) shows as itself.
  if (!isIssueCode(code)) return code;
  const values = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, value(locale, v)]));
  return formatCatalogEntry(locale, code, ISSUE_CATALOGS[locale][code], values);
}

/** Both languages, for JSON responses and the CLI, which show or send `message: { zh, en }`. */
export function issueMessage(issue: Renderable): Bilingual {
  return { zh: renderIssue("zh-CN", issue), en: renderIssue("en", issue) };
}

/** An issue as it crosses the HTTP boundary: its path, code and values, plus both texts. */
export function withMessage<T extends Renderable>(issue: T): T & { message: Bilingual } {
  return { ...issue, message: issueMessage(issue) };
}
