// The township admin's config editor: edits arrive as effective sections (what the township should
// run with) or as a designed form, are written into the township's source as overrides of its
// template (engine/config/overrides.ts), validated whole exactly as the CLI does, and published
// as the next immutable ConfigVersion. Cases keep the version they were opened under; a changed
// calendar re-times their running deadlines, previewed here first (docs/decisions/016).
import {
  checkConfigEdit,
  editLimitIssues,
  type ConfigEdit,
  type EditBase,
  type EditCheck,
  type EditIssue,
} from "#engine/config/edits";
import { isJsonObject, jsonEqual, type JsonObject } from "#engine/config/id-paths";
import { resolveConfig, type TemplateLookup } from "#engine/config/index";
import { isSectionId, type SectionEdits } from "#engine/config/overrides";
import type { DesignerModel } from "#engine/form-designer";
import type { Issue } from "#engine/issues";
import type { TownshipConfig } from "#schemas/township-config";
import { calendarIssues, publishTownshipConfig } from "./config-publish.server";
import { ConfigTaskTimeout, runConfigTask, templatesFor, timeoutIssue } from "./config-worker.server";
import { compileTownshipConfig, getConfigVersion } from "./config.server";
import type { Db } from "./db.server";
import { openCaseImpact } from "./deadlines.server";
import { jsonField } from "./json-field.server";
import { accessibleCases } from "./permissions.server";
import type { TenantContext } from "./tenancy.server";
import { templateLookupFromDb } from "./tenant-files.server";
import { type Renderable, withMessage } from "#app/locales/issues/index";

type ConfigVersionInfo = {
  version: number;
  extendsRef: string | null;
  publishedAt: Date;
  publishedBy: string | null;
};

export type ConfigAdminState = {
  latest: ConfigVersionInfo & { document: TownshipConfig; source: JsonObject };
  history: ConfigVersionInfo[];
  /** The resolved template the township extends, or undefined when it extends none. */
  template: JsonObject | undefined;
  lookup: TemplateLookup;
};

export async function loadConfigAdmin(db: Db, ctx: TenantContext): Promise<ConfigAdminState> {
  const rows = await ctx.db.transaction((tx) =>
    tx.configVersion.findMany({
      where: { tenantId: ctx.tenant.id },
      orderBy: { version: "desc" },
      select: { version: true, extendsRef: true, publishedAt: true, publishedBy: true, document: true, source: true },
    }),
  );
  const latest = rows[0];
  if (!latest) throw new Response("Township has no published config", { status: 503 });
  const lookup = await templateLookupFromDb(db);
  let template: JsonObject | undefined;
  if (latest.extendsRef) {
    const resolved = resolveConfig(lookup(latest.extendsRef), lookup);
    if (resolved.ok && isJsonObject(resolved.value)) template = resolved.value;
  }
  return {
    latest: {
      ...info(latest),
      document: latest.document as unknown as TownshipConfig,
      source: (isJsonObject(latest.source) ? latest.source : {}) as JsonObject,
    },
    history: rows.map(info),
    template,
    lookup,
  };
}

const info = (r: {
  version: number;
  extendsRef: string | null;
  publishedAt: Date;
  publishedBy: string | null;
}): ConfigVersionInfo => ({
  version: r.version,
  extendsRef: r.extendsRef,
  publishedAt: r.publishedAt,
  publishedBy: r.publishedBy,
});

export type { ConfigEdit, EditCheck };

const FORM_ID = /^[a-z0-9][a-z0-9-]*$/;

/** Parses the edit a page posts; anything unexpected is an issue, never trusted. */
function parseEdit(raw: unknown): ConfigEdit | Issue {
  const bad = (zh: string, en: string): Issue => ({ path: "", code: "edit.malformed", message: { zh, en } });
  if (!isJsonObject(raw)) return bad("提交的内容无法识别", "The submitted edit is not readable");
  if (raw.kind === "sections" && isJsonObject(raw.sections)) {
    const sections: SectionEdits = {};
    for (const [key, value] of Object.entries(raw.sections)) {
      if (!isSectionId(key)) return bad(`未知的配置部分“${key}”`, `Unknown config section "${key}"`);
      sections[key] = value;
    }
    return { kind: "sections", sections };
  }
  if (
    raw.kind === "form" &&
    typeof raw.formId === "string" &&
    FORM_ID.test(raw.formId) &&
    isJsonObject(raw.model) &&
    Array.isArray(raw.model.fields) &&
    isJsonObject(raw.model.name)
  ) {
    return { kind: "form", formId: raw.formId, model: raw.model as unknown as DesignerModel };
  }
  return bad("提交的内容无法识别", "The submitted edit is not readable");
}

const editBase = (state: ConfigAdminState, ctx: TenantContext): EditBase => ({
  source: state.latest.source,
  document: state.latest.document,
  version: state.latest.version,
  template: state.template,
  tenantCode: ctx.tenant.code,
});

/** Calendars that cannot be built: checked here, where the shipped calendar files are. */
function withCalendars(checked: EditCheck): EditCheck {
  if (!checked.ok) return checked;
  const unbuildable = calendarIssues(checked.config);
  return unbuildable.length
    ? {
        ok: false,
        issues: unbuildable.map((i) => ({ ...i, where: "config" as const })),
        baseVersion: checked.baseVersion,
      }
    : checked;
}

/** Applies an edit to the township's latest source and validates the result, on this thread; writes nothing. */
export function checkEdit(state: ConfigAdminState, ctx: TenantContext, edit: ConfigEdit): EditCheck {
  return withCalendars(checkConfigEdit(editBase(state, ctx), state.lookup, edit));
}

/** checkEdit in the config worker thread, so that a large edit keeps no one else waiting. */
async function checkEditOffThread(state: ConfigAdminState, ctx: TenantContext, edit: ConfigEdit): Promise<EditCheck> {
  try {
    return withCalendars(
      await runConfigTask("checkEdit", {
        base: editBase(state, ctx),
        templates: templatesFor(state.latest.source, state.lookup),
        edit,
      }),
    );
  } catch (error) {
    if (error instanceof ConfigTaskTimeout)
      return { ok: false, issues: [{ ...timeoutIssue(), where: "config" }], baseVersion: state.latest.version };
    throw error;
  }
}

export type PublishResult =
  | { ok: true; version: number; status: "published" | "unchanged"; retimedCases?: number }
  | { ok: false; issues: EditIssue[] };

/** Validates again and publishes the next version, refused if another was published since `baseVersion`. */
export async function publishEdit(
  db: Db,
  ctx: TenantContext,
  edit: ConfigEdit,
  baseVersion: number,
  now: Date,
): Promise<PublishResult> {
  const state = await loadConfigAdmin(db, ctx);
  const checked = await checkEditOffThread(state, ctx, edit);
  if (!checked.ok) return checked;
  const result = await publishTownshipConfig(db, checked.source, {
    by: ctx.user.login,
    actorId: ctx.user.id,
    baseVersion,
    now,
  });
  if (!result.ok) return { ok: false, issues: result.issues.map((i) => ({ ...i, where: "config" as const })) };
  return {
    ok: true,
    version: result.version,
    status: result.status,
    ...(result.retimedCases ? { retimedCases: result.retimedCases } : {}),
  };
}

/** One running deadline of an open case that publishing the draft moves. */
export type ImpactRow = {
  caseId: string;
  number: string;
  /** Null when the admin may not read the case: it still counts, shown by number only. */
  title: string | null;
  deadlineKind: string;
  paused: boolean;
  fromDueAt: string;
  toDueAt: string;
  /** Working days later (> 0) or earlier (< 0). */
  workingDays: number;
};

export type DeadlineImpactView = {
  /** Open cases with a deadline (running or paused), whether the admin may read them or not; counted when the calendars change. */
  casesWithDeadlines: number;
  calendarsChanged: boolean;
  /** Changed durations apply to cases reported after publishing, never to running deadlines. */
  policiesChanged: boolean;
  rows: ImpactRow[];
};

/**
 * What publishing `draft` would do to the open cases' due dates: exactly what the publish will
 * write, since both run `openCaseImpact` (the preview at `now`, the publish at its own instant).
 */
export async function previewDeadlineImpact(
  db: Db,
  ctx: TenantContext,
  state: ConfigAdminState,
  draft: TownshipConfig,
  now: Date,
): Promise<DeadlineImpactView> {
  const latest = state.latest.document;
  const calendarsChanged = !jsonEqual(latest.calendars ?? {}, draft.calendars ?? {});
  const policiesChanged = !jsonEqual(latest.deadlinePolicies ?? {}, draft.deadlinePolicies ?? {});
  const current = calendarsChanged
    ? (await getConfigVersion(db, ctx.tenant.id, state.latest.version))?.compiled
    : undefined;
  const compiledDraft = calendarsChanged ? compileTownshipConfig(draft) : undefined;
  if (!current || !compiledDraft) return { casesWithDeadlines: 0, calendarsChanged, policiesChanged, rows: [] };
  return ctx.db.transaction(async (tx) => {
    const { cases, shifts } = await openCaseImpact(tx, ctx.tenant.id, current, compiledDraft, now);
    const ids = [...new Set(shifts.map((s) => s.caseId))];
    const readable = new Set(
      ids.length
        ? (
            await tx.case.findMany({
              where: { AND: [{ id: { in: ids } }, accessibleCases(ctx.ability)] },
              select: { id: true },
            })
          ).map((r) => r.id)
        : [],
    );
    const byId = new Map(cases.map((c) => [c.id, c]));
    const rows = shifts
      .map((s): ImpactRow => {
        const c = byId.get(s.caseId)!;
        return {
          caseId: s.caseId,
          number: c.number,
          title: readable.has(s.caseId) ? c.title : null,
          deadlineKind: s.kind,
          paused: s.paused,
          fromDueAt: s.fromDueAt,
          toDueAt: s.toDueAt,
          workingDays: s.workingDays,
        };
      })
      .sort((a, b) => a.fromDueAt.localeCompare(b.fromDueAt) || a.number.localeCompare(b.number));
    return { casesWithDeadlines: cases.length, calendarsChanged, policiesChanged, rows };
  });
}

/** The sections whose edits can change when open cases are due. */
const touchesDeadlines = (edit: ConfigEdit) =>
  edit.kind === "sections" && ("deadlinePolicies" in edit.sections || "calendars" in edit.sections);

/**
 * The action behind the config editor and the form designer: `intent=validate` checks the posted
 * edit without saving; `intent=publish` publishes it as the next version and redirects to the
 * admin page. The edit names sections or a form; the township comes from the URL and session.
 */
// JSON answers carry both texts beside the code and values, for clients that read `message` (ADR 043).
const shown = <T extends Renderable>(issues: readonly T[]) => issues.map(withMessage);

export async function configEditAction(db: Db, ctx: TenantContext, form: FormData): Promise<Response> {
  const intent = form.get("intent") === "publish" ? "publish" : "validate";
  // The caps first (engine/limits.ts): nothing is parsed, merged or validated past them.
  const field = jsonField(form, "edit");
  if (!field.ok)
    return Response.json(
      { intent, ok: false, issues: shown([{ ...field.issue, where: "config" }]), changes: [] },
      { status: field.status },
    );
  const edit = parseEdit(field.value ?? null);
  if (!("kind" in edit))
    return Response.json(
      { intent, ok: false, issues: shown([{ ...edit, where: "config" }]), changes: [] },
      { status: 400 },
    );
  const tooLarge = editLimitIssues(edit);
  if (tooLarge.length)
    return Response.json(
      { intent, ok: false, issues: shown(tooLarge.map((i) => ({ ...i, where: "config" }))), changes: [] },
      { status: 413 },
    );
  if (intent === "publish") {
    const baseVersion = Number(form.get("baseVersion"));
    if (!Number.isInteger(baseVersion))
      return Response.json(
        {
          intent: "publish",
          ok: false,
          issues: [
            {
              path: "/version",
              code: "edit.malformed",
              message: { zh: "缺少所依据的版本", en: "The version edited is missing" },
              where: "config",
            },
          ],
          changes: [],
        },
        { status: 400 },
      );
    const result = await publishEdit(db, ctx, edit, baseVersion, ctx.now);
    if (!result.ok)
      return Response.json(
        { intent: "publish", ok: false, issues: shown(result.issues), changes: [] },
        { status: 422 },
      );
    const query =
      result.status === "unchanged"
        ? `published=${result.version}&unchanged=1`
        : `published=${result.version}${result.retimedCases ? `&retimed=${result.retimedCases}` : ""}`;
    return new Response(null, { status: 302, headers: { Location: `/t/${ctx.tenant.code}/admin?${query}` } });
  }
  const state = await loadConfigAdmin(db, ctx);
  const checked = await checkEditOffThread(state, ctx, edit);
  if (!checked.ok) return Response.json({ intent: "validate", ok: false, issues: shown(checked.issues), changes: [] });
  const impact = touchesDeadlines(edit)
    ? await previewDeadlineImpact(db, ctx, state, checked.config, ctx.now)
    : undefined;
  return Response.json({
    intent: "validate",
    ok: true,
    issues: [],
    warnings: checked.warnings && shown(checked.warnings),
    changes: checked.changes,
    ...(impact ? { impact } : {}),
  });
}
