// Cases: asks the engine, then applies its effects in one transaction (case, audit, outbox).
import { randomUUID } from "node:crypto";
import { Prisma } from "#app/generated/prisma/client";
import type { CaseState, Mode } from "#engine/case-state";
import { decideIntake, type IntakeInput, type NewCase, type Refusal } from "#engine/intake";
import type { Issue } from "#engine/issues";
import type { Outcome } from "#engine/outcomes";
import { checkUploads, storeAttachments } from "./attachments.server";
import type { Upload } from "./form-input.server";
import type { Tx } from "./db.server";
import { fanOutJob } from "./county-tasks.server";
import { applyOutcomes } from "./effects.server";
import { relayOutbox } from "./jobs.server";
import { auditLockSql, markAuditLocked } from "./audit.server";
import { writeOutbox } from "./outbox.server";
import { stuckAfterWrite, stuckNotice } from "./stuck.server";
import { isUuid } from "./params.server";
import { accessibleCases } from "./permissions.server";
import type { TenantContext } from "./tenancy.server";

/**
 * Numbers and inserts a case the engine opened (intake, an appeal …), in the caller's transaction:
 * the tenant's counter and the case row in one statement (ADR 035), the number formatted as
 * `nextNumber` does. `lockAudit`: the same statement takes the audit chain's lock, after the
 * counter's, for a caller that appends to the chain next (ADR 044).
 */
export async function insertNewCase(
  tx: Tx,
  c: NewCase,
  now: Date,
  extra: {
    location?: CaseLocation;
    sourceCaseId?: string;
    sourceTenant?: string;
    taskId?: string;
    stuckSince?: Date | null;
    lockAudit?: boolean;
  } = {},
): Promise<string> {
  const year = now.getUTCFullYear();
  const at = now.toISOString();
  // As caseColumns mirrors a decision: the earliest running clock (an intake deadline) is the case's due.
  const dueAt = (c.deadlines ?? []).map((d) => d.dueAt).sort()[0] ?? null;
  const [row] = await tx.$queryRaw<Array<{ number: string }>>`
    WITH n AS (
      INSERT INTO "TenantCounter" ("tenantId", name, value) VALUES (${c.tenantId}::uuid, ${`case:${year}`}, 1)
      ON CONFLICT ("tenantId", name) DO UPDATE SET value = "TenantCounter".value + 1
      RETURNING value
    )
    INSERT INTO "Case" (id, "tenantId", number, "configVersion", "workflowId", "categoryId", "gradeId", "platformId",
      state, title, data, "reporterId", "orgUnitId", location, "sourceCaseId", "sourceTenant", "taskId", "stuckSince",
      deadlines, "dueAt", "nextCheckAt", "createdAt", "updatedAt")
    SELECT ${c.id}::uuid, ${c.tenantId}::uuid, ${`${year}-`} || lpad(n.value::text, 6, '0'), ${c.configVersion}::int,
      ${c.workflowId}, ${c.categoryId}, ${c.gradeId}, ${c.platformId}, ${c.state}, ${c.title},
      ${JSON.stringify(c.data)}::jsonb, ${c.reporterId}::uuid, ${c.orgUnitId},
      ${extra.location ? JSON.stringify(extra.location) : null}::jsonb, ${extra.sourceCaseId ?? null}::uuid,
      ${extra.sourceTenant ?? null}, ${extra.taskId ?? null}::uuid,
      ${extra.stuckSince ? extra.stuckSince.toISOString() : null}::timestamp(3),
      ${JSON.stringify(c.deadlines ?? [])}::jsonb, ${dueAt}::timestamp(3), ${c.nextCheckAt ?? null}::timestamp(3),
      ${at}::timestamp(3), ${at}::timestamp(3)
    FROM n
    RETURNING number${extra.lockAudit ? Prisma.sql`, (${auditLockSql(c.tenantId)})::text AS "auditLock"` : Prisma.empty}`;
  if (extra.lockAudit) markAuditLocked(tx, c.tenantId);
  return row!.number;
}

/** The township's mode as a new case's clocks take it. */
export const caseMode = (ctx: TenantContext): Mode => (ctx.tenant.mode === "wartime" ? "wartime" : "peacetime");

export type ReportResult = { ok: true; caseId: string; number: string } | { ok: false; refusal: Refusal };

/** Where it happened, from the phone (lat/lng) or typed (address). */
export type CaseLocation = { lat?: number; lng?: number; accuracy?: number; address?: string };

function checkLocation(raw: unknown): { ok: true; value: CaseLocation | null } | { ok: false; issues: Issue[] } {
  if (raw === null || raw === undefined || raw === "") return { ok: true, value: null };
  const l = raw as Record<string, unknown>;
  const num = (v: unknown, min: number, max: number) =>
    v === undefined || v === null || (typeof v === "number" && Number.isFinite(v) && v >= min && v <= max);
  const address = typeof l.address === "string" ? l.address.trim() : undefined;
  if (
    typeof raw !== "object" ||
    !num(l.lat, -90, 90) ||
    !num(l.lng, -180, 180) ||
    !num(l.accuracy, 0, 1e6) ||
    (address?.length ?? 0) > 200 ||
    (l.lat === undefined) !== (l.lng === undefined)
  ) {
    return {
      ok: false,
      issues: [
        {
          path: "/location",
          code: "location.invalid",
          message: { zh: "位置信息无效", en: "The location is not valid" },
        },
      ],
    };
  }
  const value: CaseLocation = {
    ...(typeof l.lat === "number" ? { lat: l.lat, lng: l.lng as number } : {}),
    ...(typeof l.accuracy === "number" ? { accuracy: l.accuracy } : {}),
    ...(address ? { address } : {}),
  };
  return { ok: true, value: Object.keys(value).length ? value : null };
}

export async function reportCase(
  ctx: TenantContext,
  input: IntakeInput,
  now: Date,
  extras: { location?: unknown; files?: Upload[] } = {},
): Promise<ReportResult> {
  const caseId = randomUUID();
  const decision = decideIntake(
    { compiled: ctx.compiled, configVersion: ctx.configVersion, actor: ctx.actor, now, caseId, mode: caseMode(ctx) },
    input,
  );
  if (!decision.ok) return decision;
  const location = checkLocation(extras.location);
  const uploads = checkUploads(extras.files ?? []);
  const extraIssues = [...(location.ok ? [] : location.issues), ...(uploads.ok ? [] : uploads.issues)];
  if (extraIssues.length) return { ok: false, refusal: { kind: "invalid-input", issues: extraIssues } };
  const c = decision.case;
  const files = uploads.ok ? uploads.files : [];
  const number = await writeNewCase(
    ctx,
    decision,
    now,
    location.ok && location.value ? { location: location.value } : {},
    files.length ? (tx) => storeAttachments(tx, c.tenantId, ctx.user.id, c.id, files, now) : undefined,
  );
  return { ok: true, caseId: c.id, number };
}

/**
 * Writes a case the engine decided to open and applies its outcomes in one transaction (with
 * `alongside`, e.g. its attachments), then hands the outbox rows on. Returns the case number.
 */
export async function writeNewCase(
  ctx: TenantContext,
  decided: { case: NewCase; outcomes: readonly Outcome[] },
  now: Date,
  extra: Parameters<typeof insertNewCase>[3] = {},
  alongside?: (tx: Tx) => Promise<void>,
): Promise<string> {
  const c = decided.case;
  const state: CaseState = {
    ...c,
    version: 1,
    assignment: { assistUnitIds: [] },
    deadlines: [],
    mode: ctx.tenant.mode as Mode,
  };
  const { number, outbox } = await ctx.db.transaction(async (tx) => {
    // Stuck from the start (ADR 037): nobody could triage it today; the leadership hears of it.
    const stuck = await stuckAfterWrite(tx, ctx.compiled, ctx.compiled, state, now);
    const number = await insertNewCase(tx, c, now, {
      ...extra,
      stuckSince: stuck ? now : null,
      // Attachments are written before the audit entry: the chain's lock waits for them otherwise.
      lockAudit: !alongside,
    });
    await alongside?.(tx);
    const notice = stuck ? [stuckNotice(c.tenantId, [...ctx.compiled.leadershipPosts], { ...c, number }, now)] : [];
    const outbox = await applyOutcomes(
      tx,
      {
        tenantId: c.tenantId,
        actorId: ctx.user.id,
        caseId: c.id,
        caseTitle: c.title,
        now,
        timeZone: ctx.compiled.defaults.timeZone,
      },
      decided.outcomes,
      notice,
    );
    // A task for the townships fans out to them in a job committed with it (ADR 041).
    if (ctx.compiled.workflows.get(c.workflowId)?.fanOut)
      outbox.push(...(await writeOutbox(tx, [fanOutJob(c.tenantId, c.id, now)])));
    return { number, outbox };
  });
  await relayOutbox(outbox);
  return number;
}

const listSelect = {
  id: true,
  number: true,
  title: true,
  categoryId: true,
  gradeId: true,
  state: true,
  orgUnitId: true,
  createdAt: true,
  reporter: { select: { displayName: true } },
} as const;

export async function listCases(ctx: TenantContext, { take = 50, skip = 0 } = {}) {
  // The tenant pin comes first and on its own, so no rule can widen a query past the tenant.
  const where = { AND: [{ tenantId: ctx.tenant.id }, accessibleCases(ctx.ability)] };
  return ctx.db.transaction(async (tx) => {
    const rows = await tx.case.findMany({ where, orderBy: { createdAt: "desc" }, take, skip, select: listSelect });
    const total = await tx.case.count({ where });
    return { rows, total };
  });
}

/** A case the user may read, or null — the same answer whether it is another tenant's or missing. */
export async function getCase(ctx: TenantContext, caseId: string) {
  if (!isUuid(caseId)) return null;
  return ctx.db.transaction((tx) =>
    tx.case.findFirst({
      where: { AND: [{ id: caseId, tenantId: ctx.tenant.id }, accessibleCases(ctx.ability)] },
      include: {
        reporter: { select: { displayName: true } },
        auditEvents: { orderBy: { seq: "asc" }, select: { id: true, type: true, at: true, data: true, actorId: true } },
      },
    }),
  );
}
