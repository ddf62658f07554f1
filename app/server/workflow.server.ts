// Runs the engine's decisions against the database: load the case as the engine sees it, ask
// `decide`, then write the next state with an optimistic version check and apply the effects in
// the same transaction. A stale write is refused, never lost or doubled.
import { cached, tableCache } from "./context-cache.server";
import { Prisma } from "#app/generated/prisma/client";
import type { ActorContext, CaseState, Mode } from "#engine/case-state";
import type { CompiledConfig } from "#engine/config/index";
import type { Outcome } from "#engine/outcomes";
import { isDutyLeader, type DutyRotaData } from "#engine/rota";
import {
  availableTransitions,
  decide,
  type AvailableTransition,
  type Command,
  type WorkflowRefusal,
} from "#engine/workflow";
import { auditLockSql, markAuditLocked } from "./audit.server";
import { caseWhereSql } from "./case-sql.server";
import { getTenantConfig } from "./config.server";
import type { Client, Db, Tx } from "./db.server";
import { applyOutcomes } from "./effects.server";
import { countyStepJob } from "./county-cases.server";
import { relayOutbox } from "./jobs.server";
import { isUuid } from "./params.server";
import type { OutboxRef, OutboxRow } from "./outbox.server";
import { accessibleCases } from "./permissions.server";
import { stuckAfterWrite, stuckNotice } from "./stuck.server";
import type { TenantContext } from "./tenancy.server";

type CaseRow = Prisma.CaseGetPayload<object>;

export function toCaseState(row: CaseRow, mode: Mode): CaseState {
  const assignment = (row.assignment ?? {}) as Partial<CaseState["assignment"]>;
  return {
    id: row.id,
    tenantId: row.tenantId,
    version: row.version,
    workflowId: row.workflowId,
    state: row.state,
    gradeId: row.gradeId,
    categoryId: row.categoryId,
    platformId: row.platformId,
    orgUnitId: row.orgUnitId,
    reporterId: row.reporterId,
    assignment: { ...assignment, assistUnitIds: assignment.assistUnitIds ?? [] },
    deadlines: (row.deadlines ?? []) as CaseState["deadlines"],
    ...(row.escalatedTo === "county" ? { escalatedTo: "county" as const } : {}),
    ...(row.escalatedBy ? { escalatedBy: row.escalatedBy } : {}),
    mode,
    data: (row.data ?? {}) as Record<string, unknown>,
  };
}

/** The columns that mirror the engine's state, for queries, lists and the sweep's index, as a SQL SET list. */
function caseColumnsSql(config: CompiledConfig, next: CaseState, nextCheckAt: string | null, now: Date) {
  const running = next.deadlines
    .filter((d) => !d.pausedAt)
    .map((d) => d.dueAt)
    .sort();
  const final = config.workflows.get(next.workflowId)?.states[next.state]?.final === true;
  const at = now.toISOString();
  // Prisma keeps DateTime as UTC in timestamp(3): the ISO string's digits are that UTC time.
  const ts = (iso: string | null | undefined) => (iso ? new Date(iso).toISOString() : null);
  return Prisma.sql`state = ${next.state}, "gradeId" = ${next.gradeId}, version = ${next.version}::int,
    assignment = ${JSON.stringify(next.assignment)}::jsonb, deadlines = ${JSON.stringify(next.deadlines)}::jsonb,
    "leadUnitId" = ${next.assignment.leadUnitId ?? null}::text, "assistUnitIds" = ${next.assignment.assistUnitIds}::text[],
    "dueAt" = ${ts(running[0])}::timestamp(3), "nextCheckAt" = ${ts(nextCheckAt)}::timestamp(3),
    "escalatedTo" = ${next.escalatedTo ?? null}::text, "escalatedBy" = ${next.escalatedBy ?? null}::text,
    ${final ? Prisma.sql`"closedAt" = ${at}::timestamp(3),` : Prisma.empty} "updatedAt" = ${at}::timestamp(3)`;
}

const rotas = tableCache<{ data: DutyRotaData | undefined }>(["DutyRota"]);

export async function getDutyRota(db: Db, tenantId: string): Promise<DutyRotaData | undefined> {
  const row = await cached(rotas, tenantId, async () => ({
    data: ((await db.dutyRota.findUnique({ where: { tenantId } }))?.data as DutyRotaData | undefined) ?? undefined,
  }));
  return row.data;
}

async function tenantMode(db: Client, tenantId: string): Promise<Mode> {
  const t = await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { mode: true } });
  return t.mode;
}

export async function actorContextFor(
  db: Db,
  ctx: TenantContext,
  compiled: CompiledConfig,
  mode: Mode,
  now: Date,
): Promise<ActorContext> {
  const rota = await getDutyRota(db, ctx.tenant.id);
  return {
    userId: ctx.user.id,
    tenantId: ctx.tenant.id,
    unitId: ctx.membership.unitId,
    posts: ctx.membership.posts,
    kind: "township",
    isDutyLeaderToday: isDutyLeader(compiled, rota, { userId: ctx.user.id, posts: ctx.membership.posts }, now, mode),
  };
}

export type LoadedCase = { row: CaseRow; state: CaseState; compiled: CompiledConfig; actor: ActorContext };

/** In the request's transaction: the case if the user may read it, in one statement (no Prisma query building). */
async function loadCaseIn(tx: Tx, ctx: TenantContext, caseId: string, now: Date): Promise<LoadedCase | null> {
  const [row] = await tx.$queryRaw<CaseRow[]>`
    SELECT * FROM "Case" c
    WHERE c.id = ${caseId}::uuid AND c."tenantId" = ${ctx.tenant.id}::uuid AND ${caseWhereSql(accessibleCases(ctx.ability))}`;
  if (!row) return null;
  // Config and rota through the same transaction (embedded PGlite is one connection); both are cached.
  const config =
    row.configVersion === ctx.configVersion
      ? { compiled: ctx.compiled }
      : await getTenantConfig(tx as unknown as Db, row.tenantId, row.configVersion);
  if (!config) throw new Error(`Case ${row.id}: config version ${row.configVersion} is missing`);
  // The request's tenant row (cached, cleared by a mode switch in any process, ADR 031).
  const mode = ctx.tenant.mode as Mode;
  const actor = await actorContextFor(tx as unknown as Db, ctx, config.compiled, mode, now);
  return { row, state: toCaseState(row, mode), compiled: config.compiled, actor };
}

/** The case as the engine sees it, if the user may read it; with the config version it was opened under. */
export async function loadCaseForActor(
  _db: Db,
  ctx: TenantContext,
  caseId: string,
  now: Date,
): Promise<LoadedCase | null> {
  if (!isUuid(caseId)) return null;
  return ctx.db.transaction((tx) => loadCaseIn(tx, ctx, caseId, now));
}

export function actionsFor(loaded: LoadedCase, now: Date): AvailableTransition[] {
  return availableTransitions(loaded.compiled, loaded.state, loaded.actor, now);
}

const STALE: WorkflowRefusal = {
  kind: "stale-version",
  issues: [
    {
      path: "/expectedVersion",
      code: "version.stale",
      message: {
        zh: "事件已被他人更新，请刷新后重试",
        en: "Someone else changed this case first; reload and try again",
      },
    },
  ],
};

type WriteOptions = {
  /** Whether the next state is stuck (ADR 037), set in the same statement; omitted: left as it is. */
  stuck?: { value: boolean; leadership: readonly string[] };
  /** Outbox rows of the caller's, written in the effects' statement. */
  extraOutbox?: readonly OutboxRow[];
};

/**
 * Writes a decision: the row only if it is still at `fromVersion`, then the effects. Returns the
 * outbox rows written (to hand on after the commit), or null when stale. The update takes the
 * audit chain's lock in the same statement when the effects append to the chain (ADR 044).
 */
async function writeDecision(
  tx: Tx,
  row: CaseRow,
  compiled: CompiledConfig,
  next: CaseState,
  effects: Outcome[],
  nextCheckAt: string | null,
  actorId: string | null,
  now: Date,
  options: WriteOptions = {},
): Promise<OutboxRef[] | null> {
  const audited = effects.some((o) => o.type === "audit");
  const at = now.toISOString();
  const stuck = options.stuck;
  const stuckSet = !stuck
    ? Prisma.empty
    : stuck.value
      ? Prisma.sql`, "stuckSince" = COALESCE(c."stuckSince", ${at}::timestamp(3))`
      : Prisma.sql`, "stuckSince" = NULL`;
  // The lock in RETURNING: after the row's lock, in the order the chain's other writers take them.
  const updated = await tx.$queryRaw<Array<{ becameStuck: boolean | null }>>`
    UPDATE "Case" c SET ${caseColumnsSql(compiled, next, nextCheckAt, now)} ${stuckSet}
    WHERE c.id = ${row.id}::uuid AND c.version = ${row.version}::int
    RETURNING c."stuckSince" = ${at}::timestamp(3) AS "becameStuck"
    ${audited ? Prisma.sql`, (${auditLockSql(row.tenantId)})::text AS "auditLock"` : Prisma.empty}`;
  if (updated.length !== 1) return null;
  if (audited) markAuditLocked(tx, row.tenantId);
  const extra = [...(options.extraOutbox ?? [])];
  // Notified once, when it becomes stuck; the sweep's refresh writes the same mark (stuck.server.ts).
  if (stuck?.value && updated[0]!.becameStuck)
    extra.push(
      stuckNotice(
        row.tenantId,
        stuck.leadership,
        { id: row.id, number: row.number, title: row.title, state: next.state },
        now,
      ),
    );
  return applyOutcomes(
    tx,
    {
      tenantId: row.tenantId,
      actorId,
      caseId: row.id,
      caseTitle: row.title,
      now,
      timeZone: compiled.defaults.timeZone,
    },
    effects,
    extra,
  );
}

export type TransitionResult =
  | { ok: true; version: number; state: string }
  | { ok: false; refusal: WorkflowRefusal }
  | { ok: false; notFound: true };

export async function transitionCase(
  _db: Db,
  ctx: TenantContext,
  caseId: string,
  command: { transitionId: string; input?: unknown; expectedVersion: number },
  now: Date,
): Promise<TransitionResult> {
  if (!isUuid(caseId)) return { ok: false, notFound: true };
  const cmd: Command = {
    type: "transition",
    transitionId: command.transitionId,
    input: command.input,
    expectedVersion: command.expectedVersion,
  };
  // Load, decide and write in one transaction: the version check on the update refuses a stale write.
  const result = await ctx.db.transaction(
    async (tx): Promise<TransitionResult | { written: OutboxRef[] | null; next: CaseState }> => {
      const loaded = await loadCaseIn(tx, ctx, caseId, now);
      if (!loaded) return { ok: false, notFound: true };
      const decision = decide(loaded.compiled, loaded.state, cmd, loaded.actor, now);
      if (!decision.ok) return decision;
      const stuck = await stuckAfterWrite(tx, ctx.compiled, loaded.compiled, decision.next, now);
      const written = await writeDecision(
        tx,
        loaded.row,
        loaded.compiled,
        decision.next,
        decision.outcomes,
        decision.nextCheckAt,
        ctx.user.id,
        now,
        {
          stuck: { value: stuck, leadership: [...ctx.compiled.leadershipPosts] },
          // A county case tells the township case it handles about every step (ADR 039).
          extraOutbox: loaded.row.sourceCaseId
            ? [countyStepJob(loaded.row, command, decision.next, ctx.user.id, now)]
            : [],
        },
      );
      return { written, next: decision.next };
    },
  );
  if ("ok" in result) return result;
  if (!result.written) return { ok: false, refusal: STALE };
  await relayOutbox(result.written);
  return { ok: true, version: result.next.version, state: result.next.state };
}

/**
 * A county case ended with a result: its township case's `$county` transition fires with it, as the
 * county member who finished it, in the job's transaction on the owner connection (ADR 039). A
 * refusal (the township moved the case meanwhile) is returned, not thrown: retrying cannot help.
 */
export async function fireCountyResult(
  tx: Tx,
  townshipCaseId: string,
  county: { countyId: string; userId: string },
  command: { transitionId: string; input: unknown },
  now: Date,
): Promise<{ ok: true; outbox: OutboxRef[] } | { ok: false; refusal: WorkflowRefusal }> {
  const row = await tx.case.findUniqueOrThrow({ where: { id: townshipCaseId } });
  const config = await getTenantConfig(tx, row.tenantId, row.configVersion);
  if (!config) throw new Error(`Case ${row.id}: config version ${row.configVersion} is missing`);
  const state = toCaseState(row, await tenantMode(tx, row.tenantId));
  const actor: ActorContext = {
    userId: county.userId,
    tenantId: county.countyId,
    unitId: "",
    posts: [],
    kind: "county",
  };
  const decision = decide(
    config.compiled,
    state,
    { type: "transition", ...command, expectedVersion: row.version },
    actor,
    now,
  );
  if (!decision.ok) return decision;
  // The county's result ends the handover: the case is the township's again.
  const { escalatedTo: _to, escalatedBy: _by, ...next } = decision.next;
  const written = await writeDecision(
    tx,
    row,
    config.compiled,
    next,
    decision.outcomes,
    decision.nextCheckAt,
    county.userId,
    now,
  );
  return written ? { ok: true, outbox: written } : { ok: false, refusal: STALE };
}

/** One case's due supervision work (system actor). Returns whether anything was written. */
async function tickCase(db: Db, caseId: string, now: Date): Promise<boolean> {
  const row = await db.case.findUnique({ where: { id: caseId } });
  if (!row) return false;
  const config = await getTenantConfig(db, row.tenantId, row.configVersion);
  if (!config) throw new Error(`Case ${row.id}: config version ${row.configVersion} is missing`);
  const state = toCaseState(row, await tenantMode(db, row.tenantId));
  const decision = decide(
    config.compiled,
    state,
    { type: "tick" },
    { userId: "system", tenantId: row.tenantId, unitId: "", posts: [], kind: "system" },
    now,
  );
  if (!decision.ok) throw new Error(`tick refused for ${row.id}: ${decision.refusal.kind}`);
  if (!decision.changed) {
    const next = decision.nextCheckAt ? new Date(decision.nextCheckAt) : null;
    if ((next?.getTime() ?? null) !== (row.nextCheckAt?.getTime() ?? null)) {
      await db.case.updateMany({ where: { id: row.id, version: row.version }, data: { nextCheckAt: next } });
    }
    return false;
  }
  const written = await db.$transaction((tx) =>
    writeDecision(tx, row, config.compiled, decision.next, decision.outcomes, decision.nextCheckAt, null, now),
  );
  if (written) await relayOutbox(written);
  return written !== null;
}

/**
 * Finds cases whose next check is due and runs their ladders. Uses the `nextCheckAt` index, so its
 * cost grows with the due work, not with the number of open cases.
 */
export async function sweepDueCases(db: Db, now: Date, limit = 500): Promise<number> {
  const due = await db.case.findMany({
    where: { nextCheckAt: { lte: now } },
    orderBy: { nextCheckAt: "asc" },
    take: limit,
    select: { id: true },
  });
  let written = 0;
  for (const { id } of due) {
    try {
      if (await tickCase(db, id, now)) written++;
    } catch (error) {
      console.error(`[sweep] case ${id}:`, (error as Error).message);
    }
  }
  return written;
}
