// Forms from config: the language-specific schema a person sees, and server-side validation that
// gives the same errors RJSF shows in the browser.
import { toIssues } from "./ajv";
import type { CompiledConfig, FormDefinition } from "./config/compile";
import { mergeConfig } from "./config/resolve";
import type { Locale } from "./i18n";
import type { Issue } from "./issues";

export type LocalizedForm = { schema: Record<string, unknown>; uiSchema: Record<string, unknown> };

export function localizeForm(form: FormDefinition, locale: Locale): LocalizedForm {
  const schema = form.schema as Record<string, unknown>;
  const uiSchema = (form.uiSchema ?? {}) as Record<string, unknown>;
  const overlay = locale === "en" ? form.i18n?.en : undefined;
  if (!overlay) return { schema, uiSchema };
  return {
    schema: mergeConfig(schema as never, (overlay.schema ?? {}) as never) as Record<string, unknown>,
    uiSchema: mergeConfig(uiSchema as never, (overlay.uiSchema ?? {}) as never) as Record<string, unknown>,
  };
}

export function validateFormData(compiled: CompiledConfig, formId: string, data: unknown): Issue[] {
  const validate = compiled.formValidator(formId);
  return validate(data) ? [] : toIssues(validate.errors);
}
