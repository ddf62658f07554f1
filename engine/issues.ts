import type { Bilingual } from "./i18n";

/** A problem found in input, as data: where (JSON pointer), what kind, and what to tell a person. */
export type Issue = { path: string; code: string; message: Bilingual };

export type Result<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function pointer(...tokens: Array<string | number>): string {
  return tokens.map((t) => "/" + escapePointerToken(String(t))).join("");
}

/** One issue at a JSON pointer, given as a pointer string or as the tokens to escape into one. */
export function issue(path: string | ReadonlyArray<string | number>, code: string, zh: string, en: string): Issue {
  return { path: typeof path === "string" ? path : pointer(...path), code, message: { zh, en } };
}
