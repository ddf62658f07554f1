// One Ajv setup for the engine, the server and the browser, so they agree on every error.
import Ajv2020 from "ajv/dist/2020.js";
import addFormats from "ajv-formats";
import type { ErrorObject, ValidateFunction } from "ajv";
import localizeZh from "ajv-i18n/localize/zh/index.js";
import localizeEn from "ajv-i18n/localize/en/index.js";
import type { Locale } from "./i18n";
import type { TextIssue } from "./issues";

export type { ErrorObject, ValidateFunction };

/** `overrides.validateSchema: false` only for schemas already checked against the meta-schema. */
export function createAjv(overrides: { validateSchema?: boolean } = {}) {
  const ajv = new Ajv2020({ allErrors: true, strict: false, messages: true, ...overrides });
  addFormats(ajv);
  return ajv;
}

let shared: ReturnType<typeof createAjv> | undefined;
/** The one instance for the engine's own schemas (a compiled config gets its own, so its forms go with it). */
export function sharedAjv() {
  shared ??= createAjv();
  return shared;
}

function localize(errors: ErrorObject[], locale: Locale): ErrorObject[] {
  const copy = errors.map((e) => ({ ...e }));
  (locale === "en" ? localizeEn : localizeZh)(copy);
  return copy;
}

/** The pointer of the field an error is about (required errors point at the missing property). */
function errorFieldPath(error: ErrorObject): string {
  if (error.keyword === "required") {
    return `${error.instancePath}/${(error.params as { missingProperty: string }).missingProperty}`;
  }
  if (error.keyword === "additionalProperties") {
    return `${error.instancePath}/${(error.params as { additionalProperty: string }).additionalProperty}`;
  }
  return error.instancePath;
}

/** Plainer words than ajv-i18n's for the error people meet most; the browser uses the same. */
export const REQUIRED_MESSAGE = { zh: "此项为必填项", en: "This field is required" } as const;

/** Ajv errors as bilingual issues, one per failing keyword. */
// A regular expression means nothing to the person typing; the field's own help says what fits.
const PATTERN_MESSAGE = { zh: "格式不正确", en: "Invalid format" } as const;

export function toIssues(errors: ErrorObject[] | null | undefined): TextIssue[] {
  if (!errors?.length) return [];
  const zh = localize(errors, "zh-CN");
  const en = localize(errors, "en");
  return errors.map((error, i) => ({
    path: errorFieldPath(error),
    code: `schema.${error.keyword}`,
    message:
      error.keyword === "required"
        ? { ...REQUIRED_MESSAGE }
        : error.keyword === "pattern"
          ? { ...PATTERN_MESSAGE }
          : { zh: zh[i]!.message ?? error.keyword, en: en[i]!.message ?? error.keyword },
  }));
}
