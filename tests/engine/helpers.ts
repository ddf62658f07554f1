// Loads the shipped tenant configs the way the platform does: resolve `extends` against the
// published templates, validate, compile. Tests get fresh objects on every call.
import { readdirSync, readFileSync } from "node:fs";
import { resolveConfig, type TemplateLookup } from "#engine/config/resolve";
import { validateTownshipConfig } from "#engine/config/validate";
import { compileConfig, type CompiledConfig } from "#engine/config/compile";
import type { Actor, CaseFacts } from "#engine/permissions";
import type { Issue } from "#engine/issues";
import type { TownshipConfig } from "#schemas/township-config";
import { issueMessage } from "#app/locales/issues/index";

const tenantsDir = new URL("../../tenants/", import.meta.url);
const templatesDir = new URL("templates/", tenantsDir);
const townshipsDir = new URL("townships/", tenantsDir);

/** Parses a JSON file under tenants/, e.g. `readTenantJson("townships/east-lake.json")`. */
export function readTenantJson(relative: string): unknown {
  return JSON.parse(readFileSync(new URL(relative, tenantsDir), "utf8")) as unknown;
}

/** The `.json` files of a folder under tenants/, sorted, as paths relative to tenants/. */
export function listTenantJson(folder: "templates" | "townships" | "counties"): string[] {
  return readdirSync(new URL(`${folder}/`, tenantsDir))
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => `${folder}/${name}`);
}

/** Finds a published template by "<id>@<version>"; files are named `<id>@<version>.json`. */
export const templateLookup: TemplateLookup = (ref) => {
  const name = `${ref}.json`;
  if (!readdirSync(templatesDir).includes(name)) return undefined;
  return JSON.parse(readFileSync(new URL(name, templatesDir), "utf8")) as unknown;
};

function describeIssues(issues: Issue[]): string {
  return issues.map((i) => `${i.path} ${i.code}: ${issueMessage(i).en}`).join("\n");
}

/** Resolves and validates a raw config; throws with the issues when it is not valid. */
function resolveAndValidate(raw: unknown): TownshipConfig {
  const resolved = resolveConfig(raw, templateLookup);
  if (!resolved.ok) throw new Error(`config does not resolve:\n${describeIssues(resolved.issues)}`);
  const validation = validateTownshipConfig(resolved.value);
  if (!validation.ok) throw new Error(`config is not valid:\n${describeIssues(validation.issues)}`);
  return validation.config;
}

export type LoadedTownship = { raw: unknown; resolved: TownshipConfig; compiled: CompiledConfig };

/** A shipped township (tenants/townships/<id>.json), resolved, validated and compiled. */
export function loadTownship(id: string): LoadedTownship {
  const raw = JSON.parse(readFileSync(new URL(`${id}.json`, townshipsDir), "utf8")) as unknown;
  const resolved = resolveAndValidate(structuredClone(raw));
  return { raw, resolved, compiled: compileConfig(resolved) };
}

/** The resolved demo township config as a plain, mutable JSON object (for building variants). */
export function demoConfig(id = "east-lake"): MutableConfig {
  const resolved = resolveConfig(readTenantJson(`townships/${id}.json`), templateLookup);
  if (!resolved.ok) throw new Error(describeIssues(resolved.issues));
  return structuredClone(resolved.value) as MutableConfig;
}

/** Loose JSON shape used to build config variants in tests without fighting the schema types. */
export type MutableConfig = Record<string, any>;

/** Validates, then compiles, a config variant; throws when the variant is not valid. */
export function compileVariant(config: MutableConfig): CompiledConfig {
  const validation = validateTownshipConfig(config);
  if (!validation.ok) throw new Error(`variant is not valid:\n${describeIssues(validation.issues)}`);
  return compileConfig(validation.config);
}

export function actor(
  tenantId: string,
  unitId: string,
  posts: string[],
  userId = `user-${unitId}-${posts.join("+") || "none"}`,
): Actor {
  return { userId, tenantId, unitId, posts };
}

export function caseFacts(
  tenantId: string,
  orgUnitId: string,
  platformId: string,
  reporterId = "someone-else",
  categoryId = "dispute",
): CaseFacts {
  return { tenantId, orgUnitId, platformId, categoryId, reporterId };
}

/** Resolves an RFC 6901 JSON pointer; `undefined` when nothing is there. */
export function atPointer(document: unknown, path: string): unknown {
  if (path === "") return document;
  if (!path.startsWith("/")) return undefined;
  let node: unknown = document;
  for (const raw of path.slice(1).split("/")) {
    const token = raw.replace(/~1/g, "/").replace(/~0/g, "~");
    if (node === null || typeof node !== "object" || !Object.hasOwn(node, token)) return undefined;
    node = (node as Record<string, unknown>)[token];
  }
  return node;
}

/** Contains at least one CJK ideograph (the Chinese half of a bilingual message). */
export const hasCjk = (s: string) => /[\u4e00-\u9fff]/.test(s);
