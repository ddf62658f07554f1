// The whole path from a raw config file to something the engine can run.
import { calendarBasesNeeded, compileConfig, type CompiledConfig, type CompileOptions } from "./compile";
import { resolveConfig, type TemplateLookup } from "./resolve";
import { validateTownshipConfig } from "./validate";
import type { Issue } from "../issues";
import type { TownshipConfig } from "../../schemas/township-config";

export { calendarBasesNeeded, compileConfig, resolveConfig, validateTownshipConfig };
export type { CompiledConfig, CompileOptions, TemplateLookup };

/** Resolves `extends` and validates the result; refuses the whole config on any issue. */
export function prepareConfig(raw: unknown, lookup: TemplateLookup): { ok: true; config: TownshipConfig } | { ok: false; issues: Issue[] } {
  const resolved = resolveConfig(raw, lookup);
  if (!resolved.ok) return resolved;
  return validateTownshipConfig(resolved.value);
}
