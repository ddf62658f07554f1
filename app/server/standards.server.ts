// The standards body's side of the template registry: the versions it published, which townships
// run each, and publishing a new version from the browser (validated exactly like the CLI, plus
// the release rules in engine/config/versions.ts). docs/decisions/018-standards-bodies.md.
import { prepareConfig, type TemplateLookup } from "#engine/config/index";
import { upgradeConfig } from "#engine/config/upgrade";
import { changeMessage, diffConfigs } from "#engine/config/diff";
import { isJsonObject } from "#engine/config/id-paths";
import {
  buildRegistry,
  compareVersions,
  releaseIssues,
  type PublishedVersion,
  type RegistryTemplate,
  type TownshipOnTemplate,
} from "#engine/config/versions";
import type { Bilingual } from "#engine/i18n";
import { type Issue, textIssue } from "#engine/issues";
import { parseBoundedJson } from "#engine/limits";
import { ownershipRefusal, publishTemplate, templateRefOf } from "./config-publish.server";
import { prepareConfigOffThread } from "./config-worker.server";
import type { Db } from "./db.server";
import { upgradeInputFor } from "./template-upgrade.server";
import { listTemplateVersions, lookupOf, type TemplateVersionEntry } from "./tenant-files.server";
import { listMyMemberships, loadMember, type Member } from "./memberships.server";
import type { SessionUser } from "./session.server";
import { requireContext } from "./tenancy.server";

/** The post that may publish template versions; other members of the body only read. */
export const TEMPLATE_PUBLISHER_POST = "template-publisher";

export type StandardsContext = Member & { user: SessionUser; canPublish: boolean; now: Date };

export const requireStandardsContext = (request: Request, code: string | undefined) =>
  requireContext(request, code, loadStandardsContext);

/** The user's context in a standards body, or null when they are not an active member of it. */
export async function loadStandardsContext(
  db: Db,
  user: SessionUser,
  code: string,
  now: Date,
): Promise<StandardsContext | null> {
  const member = await loadMember(db, user, code, "standards");
  return member
    ? { ...member, user, canPublish: member.membership.posts.includes(TEMPLATE_PUBLISHER_POST), now }
    : null;
}

export function requirePublisher(ctx: StandardsContext) {
  if (!ctx.canPublish) throw new Response("Forbidden", { status: 403 });
}

export const listMyStandardsBodies = (userId: string) => listMyMemberships(userId, "standards");

const toPublished = (v: TemplateVersionEntry): PublishedVersion => ({
  templateId: v.templateId,
  version: v.version,
  extendsRef: isJsonObject(v.document) && typeof v.document.extends === "string" ? v.document.extends : null,
  publishedAt: v.publishedAt,
  publishedBy: v.publishedBy,
  notes: v.notes,
});

/** Template ids whose first version this body published: the ones it maintains. */
function ownedIds(versions: readonly TemplateVersionEntry[], bodyId: string): Set<string> {
  const first = new Map<string, TemplateVersionEntry>();
  for (const v of versions) {
    const seen = first.get(v.templateId);
    if (!seen || v.publishedAt < seen.publishedAt) first.set(v.templateId, v);
  }
  return new Set([...first.values()].filter((v) => v.publisherId === bodyId).map((v) => v.templateId));
}

type TownshipRow = TownshipOnTemplate & { source: unknown };

/**
 * Every township's current template (and its own overrides, for upgrade dry runs). Names and
 * versions only (no case content), read with the owner connection across counties, like the
 * county's township list.
 */
async function townshipsOnTemplates(db: Db): Promise<TownshipRow[]> {
  const rows = await db.tenant.findMany({
    where: { kind: "township" },
    select: {
      code: true,
      name: true,
      nameEn: true,
      parent: { select: { name: true } },
      configVersions: {
        orderBy: { version: "desc" },
        take: 1,
        select: { version: true, extendsRef: true, source: true },
      },
    },
    orderBy: { code: "asc" },
  });
  return rows.flatMap((t) => {
    const latest = t.configVersions[0];
    return latest
      ? [
          {
            code: t.code,
            name: t.name,
            nameEn: t.nameEn,
            county: t.parent?.name ?? null,
            configVersion: latest.version,
            extendsRef: latest.extendsRef,
            source: latest.source,
          },
        ]
      : [];
  });
}

/** How a township behind the newest version would fare upgrading to it: clean, or with conflicts for it to decide. */
type UpgradeReadiness = { to: string; conflicts: number; invalid: boolean };

/** A township's upgrade to `to` run without writing anything: clean, with conflicts, or invalid. */
function dryRunUpgrade(source: unknown, to: string, lookup: TemplateLookup): UpgradeReadiness {
  const prepared = upgradeInputFor(source, to, lookup);
  const result = prepared.ok ? upgradeConfig(prepared.input) : null;
  return {
    to,
    conflicts: result && !result.ok ? result.conflicts.length : 0,
    invalid: !result || (!result.ok && result.issues.length > 0),
  };
}

export type Registry = { templates: RegistryTemplate[]; readiness: Record<string, UpgradeReadiness> };

export async function loadRegistry(db: Db, bodyId: string): Promise<Registry> {
  const versions = await listTemplateVersions(db);
  const owned = ownedIds(versions, bodyId);
  const all = versions.map(toPublished);
  const townships = await townshipsOnTemplates(db);
  const templates = buildRegistry(
    all.filter((v) => owned.has(v.templateId)),
    townships,
    all,
  );
  // A dry run of each behind township's upgrade to the newest version: nothing is written.
  const lookup = lookupOf(versions);
  const readiness: Record<string, UpgradeReadiness> = {};
  for (const tpl of templates) {
    const newest = tpl.versions[0];
    if (!newest) continue;
    for (const older of tpl.versions.slice(1)) {
      for (const t of older.direct) {
        readiness[t.code] = dryRunUpgrade(townships.find((x) => x.code === t.code)?.source, newest.ref, lookup);
      }
    }
  }
  return { templates, readiness };
}

/** The newest version of one of the body's templates, as a starting point for the next one. */
export async function latestDocument(
  db: Db,
  bodyId: string,
  templateId: string,
): Promise<{ version: string; document: unknown } | undefined> {
  const versions = await listTemplateVersions(db);
  if (!ownedIds(versions, bodyId).has(templateId)) return undefined;
  const newest = versions.filter((v) => v.templateId === templateId).at(-1);
  return newest ? { version: newest.version, document: newest.document } : undefined;
}

export type ReleaseNotes = { zh: string; en: string };

export type ReleaseCheck = {
  ref: string | null;
  issues: Issue[];
  /** The version it follows and how the resolved template changes from it. */
  previous: string | null;
  changes: Bilingual[];
  /** Townships on earlier versions of this template: they can upgrade to it once it is published. */
  upgradable: number;
  /** How each of them would fare upgrading to it (a dry run against the draft). */
  upgrades: Array<{ code: string; name: string; nameEn: string | null; from: string } & UpgradeReadiness>;
};

/** Parses JSON with a bilingual error that says where it broke. */
function parseDocument(text: string): { ok: true; document: unknown } | { ok: false; issues: Issue[] } {
  if (!text.trim())
    return {
      ok: false,
      issues: [textIssue("", "release.empty", "请粘贴或上传模板 JSON", "Paste or upload the template JSON")],
    };
  // The caps (engine/limits.ts) before parsing: size, then nesting.
  const bounded = parseBoundedJson(text);
  if (!bounded.ok) return { ok: false, issues: [bounded.issue] };
  if (bounded.value !== undefined) return { ok: true, document: bounded.value };
  try {
    return { ok: true, document: JSON.parse(text) };
  } catch (error) {
    const detail = (error as Error).message;
    return {
      ok: false,
      issues: [textIssue("", "release.bad-json", `不是有效的 JSON：${detail}`, `Not valid JSON: ${detail}`)],
    };
  }
}

type Validated = {
  document: unknown;
  ref: string | null;
  issues: Issue[];
  versions: TemplateVersionEntry[];
  published: TemplateVersionEntry[];
  prepared: ReturnType<typeof prepareConfig> | null;
};

/** Whether the text may be published: JSON, config validity, release rules, ownership. */
async function validateRelease(db: Db, ctx: StandardsContext, text: string, notes: ReleaseNotes): Promise<Validated> {
  const parsed = parseDocument(text);
  if (!parsed.ok)
    return { document: undefined, ref: null, issues: parsed.issues, versions: [], published: [], prepared: null };
  const document = parsed.document;
  const versions = await listTemplateVersions(db);
  const templateId = isJsonObject(document) && typeof document.id === "string" ? document.id : "";
  const published = versions.filter((v) => v.templateId === templateId);
  // Notes typed on the page, or else the document's own releaseNotes (what publishTemplate stores).
  const own =
    isJsonObject(document) && isJsonObject(document.releaseNotes) && typeof document.releaseNotes.zh === "string"
      ? document.releaseNotes.zh
      : "";
  const issues = releaseIssues(
    document,
    published.map((r) => r.version),
    { zh: notes.zh.trim() || own },
  );
  const owner = await ownershipRefusal(db, templateId, ctx.tenant.id);
  if (owner) issues.push(...owner.issues);
  const prepared = await prepareConfigOffThread(document, lookupOf(versions));
  if (!prepared.ok) issues.push(...prepared.issues);
  return { document, ref: templateRefOf(document) ?? null, issues, versions, published, prepared };
}

/** What the publisher sees besides the issues: changes since the previous version, and each behind township's dry-run upgrade. */
async function previewRelease(db: Db, v: Validated): Promise<ReleaseCheck> {
  const { document, ref, versions, prepared } = v;
  const base = { ref, issues: v.issues, previous: null, changes: [], upgradable: 0, upgrades: [] };
  if (!prepared) return base;
  const lookup = lookupOf(versions);
  const version = isJsonObject(document) && typeof document.version === "string" ? document.version : "";
  const earlier = v.published.filter((p) => compareVersions(p.version, version) < 0);
  const previous = earlier.at(-1);
  let changes: Bilingual[] = [];
  if (previous && prepared.ok) {
    const before = prepareConfig(previous.document, lookup);
    if (before.ok) changes = diffConfigs(before.config, prepared.config).map(changeMessage);
  }
  const earlierRefs = new Set(earlier.map((p) => p.ref));
  const behind = (await townshipsOnTemplates(db)).filter((t) => t.extendsRef && earlierRefs.has(t.extendsRef));
  // Only a valid draft can be tried: each behind township's upgrade to it, nothing written.
  const withDraft: TemplateLookup = (r) => (r === ref ? document : lookup(r));
  const upgrades =
    prepared.ok && ref
      ? behind.map((t) => ({
          code: t.code,
          name: t.name,
          nameEn: t.nameEn,
          from: t.extendsRef!,
          ...dryRunUpgrade(t.source, ref, withDraft),
        }))
      : [];
  return { ...base, previous: previous?.ref ?? null, changes, upgradable: behind.length, upgrades };
}

/** Everything the publisher sees before publishing; nothing is written. */
export async function checkRelease(
  db: Db,
  ctx: StandardsContext,
  text: string,
  notes: ReleaseNotes,
): Promise<ReleaseCheck> {
  return previewRelease(db, await validateRelease(db, ctx, text, notes));
}

export type ReleaseResult =
  | { ok: true; ref: string; status: "published" | "unchanged" }
  | ({ ok: false } & ReleaseCheck);

/** Publishes after the same checks; the preview (diff, dry runs) is worked out only for a refusal, to show. */
export async function publishRelease(
  db: Db,
  ctx: StandardsContext,
  text: string,
  notes: ReleaseNotes,
): Promise<ReleaseResult> {
  requirePublisher(ctx);
  const validated = await validateRelease(db, ctx, text, notes);
  if (validated.issues.length || !validated.ref) return { ok: false, ...(await previewRelease(db, validated)) };
  const result = await publishTemplate(db, validated.document, {
    by: ctx.user.login,
    publisherId: ctx.tenant.id,
    actorId: ctx.user.id,
    now: ctx.now,
    ...(notes.zh.trim() ? { notes: notes.zh.trim() } : {}),
    ...(notes.en.trim() ? { notesEn: notes.en.trim() } : {}),
  });
  if (!result.ok) return { ok: false, ...(await previewRelease(db, { ...validated, issues: result.issues })) };
  return { ok: true, ref: result.ref, status: result.status };
}
