// Publishing configs into the database: a template version becomes a TemplateVersion row, a
// township config a new ConfigVersion of its tenant. Both are immutable once written (a trigger
// refuses UPDATE and DELETE); docs/decisions/008-config-versions-and-upgrade.md. A township
// version with changed calendars re-times its open cases' running deadlines in the same
// transaction (docs/decisions/016-deadline-impact-preview.md).
import { changing } from "./context-cache.server";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import type { Deadline } from "#engine/case-state";
import { calendarCoverageIssues, yearsInUse } from "#engine/config/checks-calendar";
import type { CompiledConfig } from "#engine/config/index";
import { applyShifts, type DeadlineShift } from "#engine/deadline-impact";
import { nextCheckAt } from "#engine/supervision";
import type { TownshipConfig } from "#schemas/township-config";
import { compileTownshipConfig, getConfigVersion } from "./config.server";
import { prepareConfigOffThread } from "./config-worker.server";
import { isJsonObject, jsonEqual } from "#engine/config/id-paths";
import { pointer, type Issue } from "#engine/issues";
import { appendAudit, type AuditEntry } from "./audit.server";
import type { Db, Tx } from "./db.server";
import { openCaseImpact } from "./deadlines.server";
import { env } from "./env.server";
import { afterStaffingChange } from "./stuck.server";
import { readJson, templateLookupFromDb } from "./tenant-files.server";
import { issueMessage } from "#app/locales/issues/index";

type PublishStatus = "published" | "unchanged";

export type TemplatePublication = { ok: true; kind: "template"; ref: string; status: PublishStatus };
export type TownshipPublication = {
  ok: true;
  kind: "township";
  tenant: string;
  version: number;
  extendsRef: string | null;
  status: PublishStatus;
  /** Open cases whose running deadlines the new calendars moved; absent when none. */
  retimedCases?: number;
};
export type PublishRefusal = { ok: false; issues: Issue[] };

const refusal = (path: string, code: string, zh: string, en: string): PublishRefusal => ({
  ok: false,
  issues: [{ path, code, message: { zh, en } }],
});

/** Same content, ignoring the root `$schema` (an editor hint that depends on where the file sits). */
function sameDocument(a: unknown, b: unknown) {
  const strip = (v: unknown) => {
    if (!isJsonObject(v)) return v;
    const { $schema: _ignored, ...rest } = v;
    return rest;
  };
  return jsonEqual(strip(a), strip(b));
}

export function templateRefOf(document: unknown): string | undefined {
  return isJsonObject(document) &&
    document.kind === "template" &&
    typeof document.id === "string" &&
    typeof document.version === "string"
    ? `${document.id}@${document.version}`
    : undefined;
}

/**
 * Publishes a template version. Publishing the same content again changes nothing; a different
 * document under a published id@version is refused (publish it under a new version).
 */
export async function publishTemplate(
  db: Db,
  document: unknown,
  options: {
    by: string;
    /** Release notes; by default the document's own `releaseNotes`. */
    notes?: string;
    notesEn?: string;
    /** The standards body publishing it (none for the operator's CLI); it must own the template id. */
    publisherId?: string;
    /** Who publishes, for the body's audit trail. */
    actorId?: string;
    now: Date;
  },
): Promise<TemplatePublication | PublishRefusal> {
  const ref = templateRefOf(document);
  if (!ref || !isJsonObject(document))
    return refusal(
      "/kind",
      "publish.not-a-template",
      "不是模板（kind 应为 template）",
      'Not a template (kind must be "template")',
    );
  const templateId = document.id as string;
  const version = document.version as string;

  const existing = await db.templateVersion.findUnique({
    where: { templateId_version: { templateId, version } },
    select: { document: true },
  });
  if (existing) return sameTemplate(existing.document, document, ref);

  const prepared = await prepareConfigOffThread(document, await templateLookupFromDb(db));
  if (!prepared.ok) return { ok: false, issues: prepared.issues };

  return db.$transaction(async (tx) => {
    // Two publishers of the same version: the second waits, then sees the first one's row.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"template:" + ref}))`;
    const raced = await tx.templateVersion.findUnique({
      where: { templateId_version: { templateId, version } },
      select: { document: true },
    });
    if (raced) return sameTemplate(raced.document, document, ref);
    const refused = await ownershipRefusal(tx, templateId, options.publisherId);
    if (refused) return refused;
    const notes = isJsonObject(document.releaseNotes) ? document.releaseNotes : {};
    await tx.templateVersion.create({
      data: {
        templateId,
        version,
        document: document as object,
        notes: options.notes ?? (typeof notes.zh === "string" ? notes.zh : null),
        notesEn: options.notesEn ?? (typeof notes.en === "string" ? notes.en : null),
        publishedBy: options.by,
        publisherId: options.publisherId ?? null,
      },
    });
    if (options.publisherId) {
      await appendAudit(tx, {
        tenantId: options.publisherId,
        actorId: options.actorId ?? null,
        type: "template.published",
        data: { ref, publishedBy: options.by },
        at: options.now,
      });
    }
    return { ok: true as const, kind: "template" as const, ref, status: "published" as const };
  });
}

/** A new township under its county, with `config` (resolved from `source`) as its version 1. */
export async function createTownship(
  tx: Tx,
  config: TownshipConfig,
  source: unknown,
  countyId: string,
  publishedBy: string,
) {
  const tenant = await tx.tenant.create({
    data: {
      code: config.id,
      kind: "township",
      name: config.name.zh,
      nameEn: config.name.en ?? null,
      parentId: countyId,
    },
  });
  await tx.configVersion.create({
    data: {
      tenantId: tenant.id,
      version: 1,
      document: config as object,
      source: source as object,
      extendsRef: config.extends ?? null,
      publishedBy,
    },
  });
  return tenant;
}

/** A standards body may publish versions only of templates it started (or new template ids). */
export async function ownershipRefusal(
  tx: Tx,
  templateId: string,
  publisherId: string | undefined,
): Promise<PublishRefusal | undefined> {
  if (!publisherId) return undefined;
  const first = await tx.templateVersion.findFirst({
    where: { templateId },
    orderBy: { publishedAt: "asc" },
    select: { publisherId: true },
  });
  if (!first || first.publisherId === publisherId) return undefined;
  return refusal(
    "/id",
    "publish.not-owner",
    `模板“${templateId}”由其他发布方维护，不能以本机构名义发布它的新版本；请使用新的模板编号`,
    `Template "${templateId}" is maintained by another publisher; publish under a template id of your own`,
  );
}

function sameTemplate(published: unknown, document: unknown, ref: string): TemplatePublication | PublishRefusal {
  if (sameDocument(published, document)) return { ok: true, kind: "template", ref, status: "unchanged" };
  return refusal(
    "/version",
    "publish.version-exists",
    `模板 ${ref} 已发布且内容不同。已发布的版本不可更改，请换一个新的版本号再发布`,
    `Template ${ref} is already published with different content. Published versions are immutable: publish it under a new version`,
  );
}

/**
 * Publishes a township config as the next ConfigVersion of the tenant whose code is the config's
 * id. Its template must already be published in the database. The same source and resolved
 * document as the latest version changes nothing.
 */
export async function publishTownshipConfig(
  db: Db,
  source: unknown,
  options: {
    by: string;
    /** The user who publishes, for the audit trail (the CLI has none). */
    actorId?: string;
    /** The version the edit was based on: refused when another version was published since. */
    baseVersion?: number;
    /** The instant of publishing. */
    now: Date;
  },
): Promise<TownshipPublication | PublishRefusal> {
  const { now } = options;
  if (!isJsonObject(source) || source.kind !== "township" || typeof source.id !== "string") {
    return refusal(
      "/kind",
      "publish.not-a-township",
      "不是乡镇配置（kind 应为 township）",
      'Not a township config (kind must be "township")',
    );
  }
  const code = source.id;
  const tenant = await db.tenant.findUnique({ where: { code }, select: { id: true, kind: true } });
  if (tenant?.kind !== "township") {
    return refusal(
      "/id",
      "publish.tenant-not-found",
      `没有编号为“${code}”的乡镇`,
      `There is no township with code "${code}"`,
    );
  }
  const prepared = await prepareConfigOffThread(source, await templateLookupFromDb(db));
  if (!prepared.ok) return { ok: false, issues: prepared.issues };
  const config = prepared.config;
  const unbuildable = calendarIssues(config);
  if (unbuildable.length) return { ok: false, issues: unbuildable };
  const compiled = compileTownshipConfig(config);
  const coverage = calendarCoverageIssues(compiled, yearsInUse(compiled.defaults.timeZone, now));
  if (coverage.length) return { ok: false, issues: coverage };
  const extendsRef = config.extends ?? null;

  const result = await changing(
    db.$transaction(async (tx) => {
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"config:" + tenant.id}))`;
      const latest = await tx.configVersion.findFirst({
        where: { tenantId: tenant.id },
        orderBy: { version: "desc" },
        select: { version: true, document: true, source: true },
      });
      if (options.baseVersion !== undefined && (latest?.version ?? 0) !== options.baseVersion) {
        return refusal(
          "/version",
          "publish.stale",
          `编辑期间已有人发布了第 ${latest?.version ?? 0} 版；请重新打开页面，在最新版本上修改`,
          `Version ${latest?.version ?? 0} was published while you were editing; reopen the page and edit the latest version`,
        );
      }
      if (latest && jsonEqual(latest.document, config) && sameDocument(latest.source, source)) {
        return {
          ok: true as const,
          kind: "township" as const,
          tenant: code,
          version: latest.version,
          extendsRef,
          status: "unchanged" as const,
        };
      }
      const version = (latest?.version ?? 0) + 1;
      const previous = latest ? await getConfigVersion(tx, tenant.id, latest.version) : null;
      await tx.configVersion.create({
        data: {
          tenantId: tenant.id,
          version,
          document: config as object,
          source: source as object,
          extendsRef,
          publishedBy: options.by,
          // The injected clock (ADR 036): scoring applies a version's rules from this instant.
          publishedAt: now,
        },
      });
      // Case rows are locked and written before the audit chain's lock is taken, as transitions do.
      const retimed = previous
        ? await retimeOpenCases(tx, {
            tenantId: tenant.id,
            current: previous.compiled,
            next: compiled,
            version,
            actorId: options.actorId ?? null,
            now,
          })
        : [];
      await appendAudit(tx, {
        tenantId: tenant.id,
        actorId: options.actorId ?? null,
        type: "config.published",
        data: { version, extendsRef, publishedBy: options.by },
        at: now,
      });
      for (const entry of retimed) await appendAudit(tx, entry);
      return {
        ok: true as const,
        kind: "township" as const,
        tenant: code,
        version,
        extendsRef,
        status: "published" as const,
        ...(retimed.length ? { retimedCases: retimed.length } : {}),
      };
    }),
    "ConfigVersion",
  );
  return result.ok && result.status === "published"
    ? afterStaffingChange({ db, tenantId: tenant.id }, now, result)
    : result;
}

/**
 * Calendars that could not be built, refused here rather than failing when a deadline is counted:
 * a shipped base that does not exist, or a date listed both as a day off and as a working day.
 */
export function calendarIssues(config: TownshipConfig): Issue[] {
  const out: Issue[] = [];
  for (const [id, def] of Object.entries(config.calendars ?? {})) {
    if (
      def.base !== undefined &&
      !(/^[a-z0-9][a-z0-9-]*$/.test(def.base) && existsSync(path.join(env.tenantsDir, "calendars", `${def.base}.json`)))
    ) {
      out.push({
        path: pointer("calendars", id, "base"),
        code: "calendar.base-unknown",
        message: { zh: `没有名为“${def.base}”的基础日历`, en: `There is no base calendar "${def.base}"` },
      });
    }
    const holidays = new Set(def.holidays ?? []);
    (def.workdays ?? []).forEach((day, i) => {
      if (holidays.has(day)) {
        out.push({
          path: pointer("calendars", id, "workdays", i),
          code: "calendar.day-conflict",
          message: {
            zh: `${day} 不能既是节假日又是调休工作日`,
            en: `${day} cannot be both a holiday and a make-up working day`,
          },
        });
      }
    });
  }
  return out;
}

/**
 * Re-times the open cases' running deadlines for the calendars of the version being published
 * (`next`), as the config editor previewed them, and moves each case's `nextCheckAt` so the sweep
 * finds its ladder at the new instants. Steps already done stay done: nothing is sent again.
 * Returns one audit entry per re-timed case, for the caller to append.
 */
async function retimeOpenCases(
  tx: Tx,
  p: {
    tenantId: string;
    current: CompiledConfig;
    next: CompiledConfig;
    version: number;
    actorId: string | null;
    now: Date;
  },
): Promise<AuditEntry[]> {
  if (jsonEqual(p.current.config.calendars ?? {}, p.next.config.calendars ?? {})) return [];
  // Held until commit: a transition that read a case before this publish is then refused as stale.
  await tx.$queryRaw`SELECT id FROM "Case" WHERE "tenantId" = ${p.tenantId}::uuid AND "closedAt" IS NULL FOR UPDATE`;
  const { cases, shifts } = await openCaseImpact(tx, p.tenantId, p.current, p.next, p.now);
  const audits: AuditEntry[] = [];
  for (const c of cases) {
    const moved = shifts.filter((s) => s.caseId === c.id);
    const deadlines = applyShifts(c.id, c.deadlines, moved);
    const next = nextCheckAt(c.after, { deadlines });
    const nextAt = next ? new Date(next) : null;
    if (!moved.length) {
      // Same dues, but a ladder step counted in working days after an overdue due may move.
      if ((nextAt?.getTime() ?? null) !== (c.nextCheckAt?.getTime() ?? null))
        await tx.case.update({ where: { id: c.id }, data: { nextCheckAt: nextAt } });
      continue;
    }
    await tx.case.update({
      where: { id: c.id },
      data: {
        deadlines: deadlines as object,
        dueAt: earliestRunningDue(deadlines),
        nextCheckAt: nextAt,
        version: c.version + 1,
      },
    });
    audits.push({
      tenantId: p.tenantId,
      caseId: c.id,
      actorId: p.actorId,
      type: "case.deadlines-retimed",
      data: { configVersion: p.version, version: c.version + 1, shifts: moved.map(shiftData), at: p.now.toISOString() },
      at: p.now,
    });
  }
  return audits;
}

const shiftData = (s: DeadlineShift) => ({
  deadlineId: s.deadlineId,
  kind: s.kind,
  from: s.fromDueAt,
  to: s.toDueAt,
  workingDays: s.workingDays,
});

/** `Case.dueAt`: the nearest due of a running (not paused) deadline, as the workflow writes it. */
function earliestRunningDue(deadlines: readonly Deadline[]): Date | null {
  const first = deadlines
    .filter((d) => !d.pausedAt)
    .map((d) => d.dueAt)
    .sort()[0];
  return first ? new Date(first) : null;
}

/**
 * Publishes every template file of a folder that the database does not have yet (templates that
 * extend another one after it). Throws when a file is invalid or differs from its published
 * version, since a published version must never change.
 */
export async function publishTemplateFiles(
  db: Db,
  dir: string,
  by: string,
  now: Date,
  publisherId?: string,
): Promise<TemplatePublication[]> {
  const pending = readdirSync(dir)
    .filter((name) => name.endsWith(".json"))
    .sort()
    .map((name) => ({ file: path.join(dir, name), document: readJson(path.join(dir, name)) }));
  const done: TemplatePublication[] = [];
  while (pending.length) {
    const before = pending.length;
    const failures: Array<{ file: string; issues: Issue[] }> = [];
    for (const item of [...pending]) {
      const result = await publishTemplate(db, item.document, { by, now, ...(publisherId ? { publisherId } : {}) });
      if (result.ok) {
        done.push(result);
        pending.splice(pending.indexOf(item), 1);
      } else {
        failures.push({ file: item.file, issues: result.issues });
      }
    }
    // A template whose own template is published later in this pass gets another go.
    if (pending.length === before) {
      const lines = failures.flatMap((f) => [
        `${f.file}:`,
        ...f.issues.map((i) => `  ${i.path || "/"} [${i.code}] ${issueMessage(i).zh} / ${issueMessage(i).en}`),
      ]);
      throw new Error(
        `Template files could not be published:\n${lines.join("\n")}\n` +
          "A published template version never changes: give a changed template a new version. " +
          "(A local demo database seeded from an older file can be deleted with its data folder.)",
      );
    }
  }
  return done;
}
