// Moving a township to a newer version of its template, shared by the township admin's upgrade
// screen (/t/:tenant/admin/upgrade) and `npm run config -- upgrade`: the published versions of a
// template and what each changes, the three-way upgrade (engine/config/upgrade.ts) run with a
// person's decisions, and publishing the result as the township's next config version.
// docs/decisions/017-template-upgrade-screen.md.
import { changeMessage, describePath, diffConfigs, type ConfigChange } from "#engine/config/diff";
import {
  getAtIdPath,
  isJsonObject,
  joinPointer,
  splitPointer,
  type Json,
  type JsonObject,
} from "#engine/config/id-paths";
import { resolveConfig, type TemplateLookup } from "#engine/config/index";
import { IDENTITY_KEYS } from "#engine/config/resolve";
import {
  applyResolutions,
  upgradeConfig,
  type ConflictCode,
  type Resolution,
  type UpgradeConflict,
  type UpgradeInput,
  type UpgradeResult,
  type UpgradeSuccess,
} from "#engine/config/upgrade";
import { compareVersions, parseTemplateRef } from "#engine/config/versions";
import type { Bilingual, Text } from "#engine/i18n";
import { type Issue, textIssue } from "#engine/issues";
import type { TownshipConfig } from "#schemas/township-config";
import { appendAudit } from "./audit.server";
import { loadConfigAdmin, previewDeadlineImpact, type DeadlineImpactView } from "./config-admin.server";
import { calendarIssues, publishTownshipConfig } from "./config-publish.server";
import type { Db } from "./db.server";
import { requireAbility } from "./guards.server";
import type { TenantContext } from "./tenancy.server";
import { listTemplateVersions, lookupOf, type TemplateVersionEntry } from "./tenant-files.server";
import { issueMessage } from "#app/locales/issues/index";

// ---------------------------------------------------------------------------------------------
// Newer versions and what they change

/** The versions of the same template above `ref`, oldest first. */
function newerVersions(versions: readonly TemplateVersionEntry[], ref: string): TemplateVersionEntry[] {
  const current = parseTemplateRef(ref);
  if (!current) return [];
  return versions
    .filter((v) => v.templateId === current.templateId && compareVersions(v.version, current.version) > 0)
    .sort((a, b) => compareVersions(a.version, b.version));
}

// Identity never reaches a township (resolution takes it from the township), so it is no change for one.
const IDENTITY = new Set<string>(["$schema", ...IDENTITY_KEYS]);

const isIdentity = (change: ConfigChange) => IDENTITY.has(splitPointer(change.path)[0] ?? "");

/** What a township would see change between two template versions (resolved), identity left out. */
function templateChanges(from: unknown, to: unknown, lookup: TemplateLookup): ConfigChange[] {
  const a = resolveConfig(from, lookup);
  const b = resolveConfig(to, lookup);
  if (!a.ok || !b.ok) return [];
  return diffConfigs(a.value, b.value).filter((c) => !isIdentity(c));
}

export type ChangeLine = { path: string; mark: "+" | "-" | "~"; message: Bilingual };

export function changeLines(changes: readonly ConfigChange[]): ChangeLine[] {
  return changes.map((change) => ({
    path: change.path,
    mark: change.kind === "added" ? "+" : change.kind === "removed" ? "-" : "~",
    message: changeMessage(change),
  }));
}

// ---------------------------------------------------------------------------------------------
// The upgrade itself

/**
 * The inputs of a three-way upgrade of `source` (a township's own overrides, extending its current
 * template version) to the template version `to`. `place` names where templates were looked for.
 */
export function upgradeInputFor(
  source: unknown,
  to: string,
  lookup: TemplateLookup,
  place?: string,
): { ok: true; input: UpgradeInput } | { ok: false; issues: Issue[] } {
  const from = isJsonObject(source) && typeof source.extends === "string" ? source.extends : undefined;
  if (!from)
    return {
      ok: false,
      issues: [
        textIssue(
          "/extends",
          "upgrade.no-extends",
          "此配置没有继承模板（extends）",
          "This config does not extend a template",
        ),
      ],
    };
  const base = lookup(from);
  const target = lookup(to);
  for (const [ref, doc] of [
    [from, base],
    [to, target],
  ] as const) {
    if (doc === undefined) {
      return {
        ok: false,
        issues: [
          place
            ? textIssue(
                "/extends",
                "extends.not-found",
                `在 ${place} 中找不到模板 ${ref}`,
                `No template ${ref} in ${place}`,
              )
            : textIssue(
                "/extends",
                "extends.not-found",
                `找不到已发布的模板版本：${ref}`,
                `No published template version ${ref}`,
              ),
        ],
      };
    }
  }
  return { ok: true, input: { source, base, target, lookup } };
}

/** A JSON value typed by a person, or a bilingual reason it is not one. */
export function parseJsonValue(text: string): { ok: true; value: Json } | { ok: false; message: Bilingual } {
  try {
    return { ok: true, value: JSON.parse(text) as Json };
  } catch (error) {
    const detail = (error as Error).message;
    return {
      ok: false,
      message: {
        zh: `不是有效的 JSON（文字要加英文双引号，如 "值"）：${detail}`,
        en: `Not valid JSON (put text in double quotes, like "value"): ${detail}`,
      },
    };
  }
}

/** A person's decision on one conflict, as a form carries it. */
export type Decision = { choice: "ours" | "theirs" | "custom"; text?: string };

export type DecidedUpgrade = {
  result: UpgradeResult;
  /** Every conflict met, each once, in the order met: structural ones, then references found after decisions. */
  conflicts: UpgradeConflict[];
  /** The decisions applied, by conflict path. */
  applied: Record<string, Resolution>;
  /** Custom values that are not JSON, by path: those conflicts stay open. */
  errors: Record<string, Bilingual>;
};

/**
 * Runs the upgrade, then applies each decision once its conflict is raised (a reference conflict
 * appears only after the decisions before it). Decisions for paths with no conflict are left out,
 * since a form keeps the choices of an earlier preview.
 */
export function upgradeWithDecisions(
  input: UpgradeInput,
  decisions: Readonly<Record<string, Decision>>,
): DecidedUpgrade {
  const wanted: Record<string, Resolution> = {};
  const errors: Record<string, Bilingual> = {};
  for (const [path, d] of Object.entries(decisions)) {
    if (d.choice !== "custom") wanted[path] = d.choice;
    else {
      const parsed = parseJsonValue(d.text ?? "");
      if (parsed.ok) wanted[path] = { value: parsed.value };
      else errors[path] = parsed.message;
    }
  }
  const met = new Map<string, UpgradeConflict>();
  const applied: Record<string, Resolution> = {};
  let result = upgradeConfig({ ...input, resolutions: {} });
  // Each round decides at least one more conflict, so this ends.
  while (!result.ok) {
    for (const c of result.conflicts) if (!met.has(c.path)) met.set(c.path, c);
    const next = Object.fromEntries(
      result.conflicts
        .filter((c) => Object.hasOwn(wanted, c.path) && !Object.hasOwn(applied, c.path))
        .map((c) => [c.path, wanted[c.path]!]),
    );
    if (!Object.keys(next).length) break;
    Object.assign(applied, next);
    result = applyResolutions(result, next);
  }
  return { result, conflicts: [...met.values()], applied, errors };
}

/** Display names of the named things along an id path, from the first document that has each. */
function namesAlong(path: string, documents: readonly unknown[]): Record<string, Text> {
  const names: Record<string, Text> = {};
  const tokens = splitPointer(path);
  for (let i = 1; i <= tokens.length; i++) {
    const at = joinPointer(tokens.slice(0, i));
    for (const doc of documents) {
      const node = getAtIdPath(doc, at);
      const name = isJsonObject(node) && isJsonObject(node.name) ? node.name : undefined;
      if (name && typeof name.zh === "string") {
        names[at] = { zh: name.zh, ...(typeof name.en === "string" ? { en: name.en } : {}) };
        break;
      }
    }
  }
  return names;
}

/** "岗位“机动岗位”的名称（中文）" / "Post "Flexible post" › name (Chinese)". */
function pathInWords(path: string, documents: readonly unknown[]): Bilingual {
  const where = describePath(path, namesAlong(path, documents));
  return { zh: where.zh, en: where.en.charAt(0).toUpperCase() + where.en.slice(1) };
}

// ---------------------------------------------------------------------------------------------
// The township admin's screen

type Latest = { version: number; extendsRef: string | null; source: JsonObject; document: TownshipConfig };

/** The township's latest published version, read as the user (row-level security applies). */
async function latestVersion(ctx: TenantContext): Promise<Latest> {
  const row = await ctx.db.transaction((tx) =>
    tx.configVersion.findFirst({
      where: { tenantId: ctx.tenant.id },
      orderBy: { version: "desc" },
      select: { version: true, extendsRef: true, source: true, document: true },
    }),
  );
  if (!row) throw new Response("Township has no published config", { status: 503 });
  return {
    version: row.version,
    extendsRef: row.extendsRef,
    source: isJsonObject(row.source) ? row.source : {},
    document: row.document as unknown as TownshipConfig,
  };
}

export type UpgradeScreen = {
  configVersion: number;
  /** The template version the township extends, or null when it extends none. */
  current: { ref: string; templateId: string; version: string; name: Text | null; publishedAt: Date | null } | null;
  /** Published versions of the same template above the current one, oldest first. */
  newer: Array<{
    ref: string;
    version: string;
    notes: Text | null;
    publishedAt: Date;
    publishedBy: string;
    changes: ChangeLine[];
  }>;
};

export async function loadUpgradeScreen(db: Db, ctx: TenantContext): Promise<UpgradeScreen> {
  requireAbility(ctx, "manage", "Config");
  const latest = await latestVersion(ctx);
  const ref = latest.extendsRef;
  const parsed = ref ? parseTemplateRef(ref) : undefined;
  if (!ref || !parsed) return { configVersion: latest.version, current: null, newer: [] };
  // Every template, for versions built on another template.
  const versions = await listTemplateVersions(db);
  const lookup = lookupOf(versions);
  const here = versions.find((v) => v.ref === ref);
  const document = here?.document;
  const name =
    isJsonObject(document) && isJsonObject(document.name) && typeof document.name.zh === "string"
      ? (document.name as Text)
      : null;
  return {
    configVersion: latest.version,
    current: {
      ref,
      templateId: parsed.templateId,
      version: parsed.version,
      name,
      publishedAt: here?.publishedAt ?? null,
    },
    newer: newerVersions(versions, ref).map((v) => ({
      ref: v.ref,
      version: v.version,
      notes: v.notes,
      publishedAt: v.publishedAt,
      publishedBy: v.publishedBy,
      changes: changeLines(templateChanges(document, v.document, lookup)),
    })),
  };
}

export type UpgradeRequest = {
  to: string;
  /** The township config version the page was opened on. */
  baseVersion: number;
  decisions: Record<string, Decision>;
};

export type ConflictView = {
  path: string;
  where: Bilingual;
  code: ConflictCode;
  message: Bilingual;
  /** Pretty JSON of the old template's, the township's and the new template's value; null where there is none. */
  base: string | null;
  ours: string | null;
  theirs: string | null;
  decision: Decision | null;
  /** Why the decision could not be used (a custom value that is not JSON). */
  error: Bilingual | null;
  decided: boolean;
};

export type UpgradePreview = {
  from: string | null;
  to: string;
  baseVersion: number;
  conflicts: ConflictView[];
  issues: Issue[];
  /** How the township's resolved config changes; null until every conflict is decided and the result is valid. */
  changes: ChangeLine[] | null;
  /** Every conflict decided and the result valid: it can be published. */
  ready: boolean;
  /**
   * When ready and the new version changes calendars or deadline policies: the open cases whose
   * due dates publishing moves, as the config editor shows them (docs/decisions/016).
   */
  impact: DeadlineImpactView | null;
  /** The decisions this preview was made with, so that exactly what was seen is published. */
  fingerprint: string;
};

function fingerprintOf(decisions: Readonly<Record<string, Decision>>): string {
  return JSON.stringify(
    Object.keys(decisions)
      .sort()
      .map((path) => [
        path,
        decisions[path]!.choice,
        decisions[path]!.choice === "custom" ? (decisions[path]!.text ?? "") : null,
      ]),
  );
}

const pretty = (value: Json | undefined) => (value === undefined ? null : JSON.stringify(value, null, 2));

type Computed = { preview: UpgradePreview; success?: UpgradeSuccess; applied: Record<string, Resolution> };

async function computeUpgrade(db: Db, ctx: TenantContext, request: UpgradeRequest, impactAt?: Date): Promise<Computed> {
  requireAbility(ctx, "manage", "Config");
  const latest = await latestVersion(ctx);
  const fingerprint = fingerprintOf(request.decisions);
  const empty = {
    from: latest.extendsRef,
    to: request.to,
    baseVersion: request.baseVersion,
    conflicts: [],
    changes: null,
    ready: false,
    impact: null,
    fingerprint,
  };
  const refused = (issues: Issue[]): Computed => ({ preview: { ...empty, issues }, applied: {} });

  if (latest.version !== request.baseVersion) {
    return refused([
      textIssue(
        "/version",
        "publish.stale",
        `本镇配置已有新的第 ${latest.version} 版（本页打开时是第 ${request.baseVersion} 版）；请重新打开此页面再升级`,
        `Version ${latest.version} of the township's config was published since this page was opened (on version ${request.baseVersion}); reopen this page to upgrade`,
      ),
    ]);
  }
  const from = latest.extendsRef;
  const versions = await listTemplateVersions(db);
  if (!from || !newerVersions(versions, from).some((v) => v.ref === request.to)) {
    return refused([
      textIssue(
        "/extends",
        "upgrade.not-newer",
        `${request.to} 不是本镇所用模板的更新版本`,
        `${request.to} is not a newer version of the township's template`,
      ),
    ]);
  }
  // Identity comes from the database, never from anything posted.
  const source: JsonObject = { ...latest.source, kind: "township", id: ctx.tenant.code };
  const lookup = lookupOf(versions);
  const prepared = upgradeInputFor(source, request.to, lookup);
  if (!prepared.ok) return refused(prepared.issues);

  const decided = upgradeWithDecisions(prepared.input, request.decisions);
  const { result } = decided;
  const open = new Set(result.ok ? [] : result.conflicts.map((c) => c.path));
  const target = resolveConfig(prepared.input.target, lookup);
  const documents = [latest.document, target.ok ? target.value : undefined];
  const conflicts: ConflictView[] = decided.conflicts.map((c) => ({
    path: c.path,
    where: pathInWords(c.path, documents),
    code: c.code,
    message: issueMessage(c.message),
    base: pretty(c.base),
    ours: pretty(c.ours),
    theirs: pretty(c.theirs),
    decision: request.decisions[c.path] ?? null,
    error: decided.errors[c.path] ?? null,
    decided: !open.has(c.path),
  }));
  // Publishing refuses calendars it cannot build; the impact could not be counted on them either.
  const unbuildable = result.ok ? calendarIssues(result.resolved) : [];
  const ready = result.ok && !unbuildable.length;
  const preview: UpgradePreview = {
    ...empty,
    from,
    conflicts,
    issues: result.ok ? unbuildable : result.issues,
    changes: result.ok ? changeLines(result.changes) : null,
    ready,
    impact: ready && impactAt ? await upgradeImpact(db, ctx, result.resolved, impactAt) : null,
  };
  return { preview, applied: decided.applied, ...(ready ? { success: result } : {}) };
}

/** The config editor's preview of the upgraded config; null when neither calendars nor deadline policies change. */
async function upgradeImpact(
  db: Db,
  ctx: TenantContext,
  upgraded: TownshipConfig,
  now: Date,
): Promise<DeadlineImpactView | null> {
  const state = await loadConfigAdmin(db, ctx);
  const impact = await previewDeadlineImpact(db, ctx, state, upgraded, now);
  return impact.calendarsChanged || impact.policiesChanged ? impact : null;
}

/** What upgrading to `to` with these decisions would do, and to which open cases' due dates; writes nothing. */
export async function previewUpgrade(
  db: Db,
  ctx: TenantContext,
  request: UpgradeRequest,
  now: Date,
): Promise<UpgradePreview> {
  return (await computeUpgrade(db, ctx, request, now)).preview;
}

export type UpgradePublication =
  | { ok: true; version: number; status: "published" | "unchanged"; from: string; to: string; retimedCases?: number }
  | { ok: false; preview: UpgradePreview; changedSincePreview?: true };

/**
 * Runs the upgrade again from the database with the posted decisions and publishes the result as
 * the township's next version, refused when another version was published since `baseVersion`,
 * or when the decisions are not the ones the person last previewed (`previewed`).
 */
export async function publishUpgrade(
  db: Db,
  ctx: TenantContext,
  request: UpgradeRequest & { previewed: string },
  now: Date,
): Promise<UpgradePublication> {
  const computed = await computeUpgrade(db, ctx, request);
  const { preview, success } = computed;
  if (!success || !preview.ready) return { ok: false, preview };
  if (request.previewed !== preview.fingerprint)
    return {
      ok: false,
      preview: { ...preview, impact: await upgradeImpact(db, ctx, success.resolved, now) },
      changedSincePreview: true,
    };
  const published = await publishTownshipConfig(db, success.source, {
    by: ctx.user.login,
    actorId: ctx.user.id,
    baseVersion: request.baseVersion,
    now,
  });
  if (!published.ok) return { ok: false, preview: { ...preview, ready: false, issues: published.issues } };
  if (published.status === "published") {
    // config.published records the version; this entry adds what moved and who decided what.
    await ctx.db.transaction((tx) =>
      appendAudit(tx, {
        tenantId: ctx.tenant.id,
        actorId: ctx.user.id,
        type: "config.upgraded",
        data: { version: published.version, from: success.from, to: success.to, decisions: computed.applied },
        at: now,
      }),
    );
  }
  return {
    ok: true,
    version: published.version,
    status: published.status,
    from: success.from,
    to: success.to,
    ...(published.retimedCases ? { retimedCases: published.retimedCases } : {}),
  };
}

const MAX_DECISIONS = 500;

/** The upgrade request a page posts: `to`, `baseVersion`, and `choice:<path>` / `value:<path>` per conflict. */
export function upgradeRequestFromForm(form: FormData): UpgradeRequest | Issue {
  const to = String(form.get("to") ?? "");
  const baseVersion = Number(form.get("baseVersion"));
  if (!parseTemplateRef(to) || !Number.isInteger(baseVersion))
    return textIssue("", "upgrade.malformed", "提交的升级请求无法识别", "The upgrade request is not readable");
  const decisions: Record<string, Decision> = {};
  for (const [key, value] of form.entries()) {
    if (!key.startsWith("choice:") || Object.keys(decisions).length >= MAX_DECISIONS) continue;
    const path = key.slice("choice:".length);
    if (!path.startsWith("/") || (value !== "ours" && value !== "theirs" && value !== "custom")) continue;
    decisions[path] =
      value === "custom" ? { choice: value, text: String(form.get(`value:${path}`) ?? "") } : { choice: value };
  }
  return { to, baseVersion, decisions };
}

/**
 * The action behind the upgrade screen: `intent=preview` answers with the preview (conflicts and
 * their decisions, or the changes); `intent=publish` publishes and redirects to the admin page.
 */
export async function upgradeAction(db: Db, ctx: TenantContext, form: FormData): Promise<Response> {
  requireAbility(ctx, "manage", "Config");
  const request = upgradeRequestFromForm(form);
  if (!("to" in request))
    return Response.json({ intent: "preview", preview: null, issues: [request] }, { status: 400 });
  if (form.get("intent") === "publish") {
    const result = await publishUpgrade(
      db,
      ctx,
      { ...request, previewed: String(form.get("previewed") ?? "") },
      ctx.now,
    );
    if (result.ok) {
      const query =
        result.status === "unchanged"
          ? `published=${result.version}&unchanged=1`
          : `published=${result.version}${result.retimedCases ? `&retimed=${result.retimedCases}` : ""}`;
      return new Response(null, { status: 302, headers: { Location: `/t/${ctx.tenant.code}/admin?${query}` } });
    }
    return Response.json(
      {
        intent: "publish",
        preview: result.preview,
        changedSincePreview: result.changedSincePreview ?? false,
        issues: [],
      },
      { status: result.changedSincePreview ? 200 : 422 },
    );
  }
  return Response.json({
    intent: "preview",
    preview: await previewUpgrade(db, ctx, request, ctx.now),
    changedSincePreview: false,
    issues: [],
  });
}
