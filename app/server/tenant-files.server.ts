// Reads the templates and township configs shipped in tenants/ (data only; see tenants/README.md),
// and the published template versions in the database.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { TemplateLookup } from "../../engine/config/index.ts";
import type { Db } from "./db.server.ts";
import { env } from "./env.server.ts";

export function readJson(file: string): unknown {
  try {
    return JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    throw new Error(`${file}: ${(error as Error).message}`);
  }
}

/** Published template versions, by "<id>@<version>", from tenants/templates/<id>@<version>.json. */
export function templateLookupFromDir(dir = path.join(env.tenantsDir, "templates")): TemplateLookup {
  const byRef = new Map<string, unknown>();
  for (const name of readdirSync(dir)) {
    if (name.endsWith(".json")) byRef.set(name.slice(0, -".json".length), readJson(path.join(dir, name)));
  }
  return (ref) => byRef.get(ref);
}

/** Published template versions, by "<id>@<version>", from the TemplateVersion table (read once). */
export async function templateLookupFromDb(db: Db): Promise<TemplateLookup> {
  const rows = await db.templateVersion.findMany({ select: { templateId: true, version: true, document: true } });
  const byRef = new Map<string, unknown>(rows.map((r) => [`${r.templateId}@${r.version}`, r.document]));
  return (ref) => byRef.get(ref);
}
