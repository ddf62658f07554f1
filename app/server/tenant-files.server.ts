// Reads the templates and township configs shipped in tenants/ (data only; see tenants/README.md),
// and the published template versions in the database.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import type { TemplateLookup } from "#engine/config/index";
import { isJsonObject } from "#engine/config/id-paths";
import { compareVersions } from "#engine/config/versions";
import type { Text } from "#engine/i18n";
import type { Db } from "./db.server";
import { env } from "./env.server";

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

export type TemplateVersionEntry = {
  templateId: string;
  version: string;
  ref: string;
  /** The release notes stored when it was published (by default the document's own `releaseNotes`). */
  notes: Text | null;
  publishedBy: string;
  publishedAt: Date;
  /** The standards body that published it; null for the operator's CLI. */
  publisherId: string | null;
  /** The document as published (not resolved). */
  document: unknown;
};

function notesOf(document: unknown, notes: string | null, notesEn: string | null): Text | null {
  if (notes) return { zh: notes, ...(notesEn ? { en: notesEn } : {}) };
  const own = isJsonObject(document) ? document.releaseNotes : undefined;
  return isJsonObject(own) && typeof own.zh === "string"
    ? { zh: own.zh, ...(typeof own.en === "string" ? { en: own.en } : {}) }
    : null;
}

/** Published versions of every template, or of one: by template id, then oldest version first (semver). */
export async function listTemplateVersions(db: Db, templateId?: string): Promise<TemplateVersionEntry[]> {
  const rows = await db.templateVersion.findMany({
    where: templateId === undefined ? {} : { templateId },
    select: {
      templateId: true,
      version: true,
      document: true,
      notes: true,
      notesEn: true,
      publishedBy: true,
      publishedAt: true,
      publisherId: true,
    },
  });
  return rows
    .map((r) => ({
      templateId: r.templateId,
      version: r.version,
      ref: `${r.templateId}@${r.version}`,
      notes: notesOf(r.document, r.notes, r.notesEn),
      publishedBy: r.publishedBy,
      publishedAt: r.publishedAt,
      publisherId: r.publisherId,
      document: r.document,
    }))
    .sort((a, b) =>
      a.templateId < b.templateId ? -1 : a.templateId > b.templateId ? 1 : compareVersions(a.version, b.version),
    );
}

export function lookupOf(versions: readonly TemplateVersionEntry[]): TemplateLookup {
  const byRef = new Map(versions.map((v) => [v.ref, v.document]));
  return (ref) => byRef.get(ref);
}

/** Published template versions, by "<id>@<version>", from the TemplateVersion table (read once). */
export async function templateLookupFromDb(db: Db): Promise<TemplateLookup> {
  return lookupOf(await listTemplateVersions(db));
}
