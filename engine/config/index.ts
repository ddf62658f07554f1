// The whole path from a raw config file to something the engine can run.
import { compileConfig, type CompiledConfig } from "./compile";
import { resolveConfig, type TemplateLookup } from "./resolve";
import { validateTownshipConfig } from "./validate";
import type { Issue } from "../issues";
import type { TownshipConfig } from "../../schemas/township-config";

export { compileConfig, resolveConfig, validateTownshipConfig };
export type { CompiledConfig, TemplateLookup };

/** Resolves `extends` and validates the result; refuses the whole config on any issue. */
export function prepareConfig(raw: unknown, lookup: TemplateLookup): { ok: true; config: TownshipConfig } | { ok: false; issues: Issue[] } {
  const resolved = resolveConfig(raw, lookup);
  if (!resolved.ok) return resolved;
  return validateTownshipConfig(resolved.value);
}
