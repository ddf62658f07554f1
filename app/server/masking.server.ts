// Field masks: values of a form's masked fields never leave the server unless the user may read them.
import type { CompiledConfig } from "../../engine/config/index.ts";
import { caseSubject, type AppAbility, type CaseFacts } from "../../engine/permissions.ts";

export function maskValue(value: unknown): string {
  const s = String(value ?? "");
  if (s.length <= 4) return "*".repeat(s.length);
  return s.slice(0, 3) + "*".repeat(s.length - 5) + s.slice(-2);
}

export function maskCaseData(compiled: CompiledConfig, ability: AppAbility, facts: CaseFacts, formId: string, data: Record<string, unknown>) {
  const masked = compiled.forms.get(formId)?.maskedFields ?? [];
  if (!masked.length || ability.can("read-masked", caseSubject(facts))) return { data, maskedFields: [] as string[] };
  const out = { ...data };
  const hidden: string[] = [];
  for (const field of masked) {
    if (field in out) {
      out[field] = maskValue(out[field]);
      hidden.push(field);
    }
  }
  return { data: out, maskedFields: hidden };
}
