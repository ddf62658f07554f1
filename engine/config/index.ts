// The whole path from a raw config file to something the engine can run.
import { calendarBasesNeeded, compileConfig, type CompiledConfig } from "./compile";
import { resolveConfig, type TemplateLookup } from "./resolve";
import { validateTownshipConfig, type ConfigValidation } from "./validate";
import { configLimitIssues } from "#engine/limits";

export { calendarBasesNeeded, compileConfig, resolveConfig };
export type { CompiledConfig, TemplateLookup };

/**
 * Resolves `extends` and validates the result; refuses the whole config on any issue. The caps
 * (engine/limits.ts) come first, on the document and on what it resolves to.
 */
export function prepareConfig(raw: unknown, lookup: TemplateLookup): ConfigValidation {
  const tooLarge = configLimitIssues(raw);
  if (tooLarge.length) return { ok: false, issues: tooLarge };
  const resolved = resolveConfig(raw, lookup);
  if (!resolved.ok) return resolved;
  const resolvedTooLarge = configLimitIssues(resolved.value);
  if (resolvedTooLarge.length) return { ok: false, issues: resolvedTooLarge };
  return validateTownshipConfig(resolved.value);
}
