import type { Text } from "./i18n";
import type { IssueCode, IssueCodes } from "./issue-codes";

export type { CountedKind, IssueCode, RefKind } from "./issue-codes";

/**
 * A value an issue's message is built from: ids and counts as they are, names from config as
 * Text (each language picks its own), and another message nested in this one.
 */
export type IssueParam = string | number | Text | readonly string[] | IssueText;
export type IssueParams = { readonly [name: string]: IssueParam };
/** A message as data: a catalog code and its values; the app renders it per language (ADR 043). */
export type IssueText = { code: IssueCode; params: IssueParams };

/** A problem found in input, as data: where (JSON pointer), what kind, and the values of its message. */
export type CodedIssue = { path: string; code: IssueCode; params: IssueParams };
/** The older form, text fixed at the source: Ajv's own messages and app-side checks. */
export type TextIssue = { path: string; code: string; message: { zh: string; en: string } };
export type Issue = CodedIssue | TextIssue;

export type Result<T> = { ok: true; value: T } | { ok: false; issues: Issue[] };

export function escapePointerToken(token: string): string {
  return token.replace(/~/g, "~0").replace(/\//g, "~1");
}

export function pointer(...tokens: Array<string | number>): string {
  return tokens.map((t) => "/" + escapePointerToken(String(t))).join("");
}

type Path = string | ReadonlyArray<string | number>;
const toPointer = (path: Path) => (typeof path === "string" ? path : pointer(...path));

/** The values a code takes: none for a fixed sentence, else exactly those its entry in engine/issue-codes.ts names. */
export type ParamsOf<K extends IssueCode> = keyof IssueCodes[K] extends never ? [] : [params: IssueCodes[K]];

/** One issue at a JSON pointer, given as a pointer string or as the tokens to escape into one. */
export function issue<K extends IssueCode>(path: Path, code: K, ...params: ParamsOf<K>): CodedIssue {
  return { path: toPointer(path), code, params: (params[0] ?? {}) as IssueParams };
}

/** A message without a path, to nest in another or to carry beside a result. */
export function issueText<K extends IssueCode>(code: K, ...params: ParamsOf<K>): IssueText {
  return { code, params: (params[0] ?? {}) as IssueParams };
}

/** An issue whose text is written where it is found (app-side checks); the engine uses `issue`. */
export function textIssue(path: Path, code: string, zh: string, en: string): TextIssue {
  return { path: toPointer(path), code, message: { zh, en } };
}
