// Runs the engine's decisions against the database: load the case as the engine sees it, ask
// `decide`, then write the next state with an optimistic version check and apply the effects in
// the same transaction. A stale write is refused, never lost or doubled.
import { cached, tableCache } from "./context-cache.server";
import type { Prisma } from "#app/generated/prisma/client";
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
import { getTenantConfig } from "./config.server";
import type { Client, Db, Tx } from "./db.server";
import { applyOutcomes } from "./effects.server";
import { countyStepJob } from "./county-cases.server";
import { relayOutbox } from "./jobs.server";
import { isUuid } from "./params.server";
import { writeOutbox, type OutboxRef } from "./outbox.server";
import { accessibleCases } from "./permissions.server";
import { refreshCaseStuck } from "./stuck.server";
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

/** The columns that mirror the engine's state, for queries, lists and the sweep's index. */
function caseColumns(config: CompiledConfig, next: CaseState, nextCheckAt: string | null, now: Date) {
  const running = next.deadlines
    .filter((d) => !d.pausedAt)
    .map((d) => d.dueAt)
    .sort();
  const final = config.workflows.get(next.workflowId)?.states[next.state]?.final === true;
  return {
    state: next.state,
    gradeId: next.gradeId,
    version: next.version,
    assignment: next.assignment as object,
    deadlines: next.deadlines as object,
    leadUnitId: next.assignment.leadUnitId ?? null,
    assistUnitIds: next.assignment.assistUnitIds,
    dueAt: running[0] ? new Date(running[0]) : null,
    nextCheckAt: nextCheckAt ? new Date(nextCheckAt) : null,
    escalatedTo: next.escalatedTo ?? null,
    escalatedBy: next.escalatedBy ?? null,
    ...(final ? { closedAt: now } : {}),
  };
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

/** The case as the engine sees it, if the user may read it; with the config version it was opened under. */
export async function loadCaseForActor(
  db: Db,
  ctx: TenantContext,
  caseId: string,
  now: Date,
): Promise<LoadedCase | null> {
  if (!isUuid(caseId)) return null;
  const row = await ctx.db.transaction((tx) =>
    tx.case.findFirst({ where: { AND: [{ id: caseId, tenantId: ctx.tenant.id }, accessibleCases(ctx.ability)] } }),
  );
  if (!row) return null;
  const config = await getTenantConfig(db, row.tenantId, row.configVersion);
  if (!config) throw new Error(`Case ${row.id}: config version ${row.configVersion} is missing`);
  // The request's tenant row (cached, cleared by a mode switch in any process, ADR 031).
  const mode = ctx.tenant.mode as Mode;
  const actor = await actorContextFor(db, ctx, config.compiled, mode, now);
  return { row, state: toCaseState(row, mode), compiled: config.compiled, actor };
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

/**
 * Writes a decision: the row only if it is still at `fromVersion`, then the effects. Returns the
 * outbox rows written (to hand on after the commit), or null when stale.
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
): Promise<OutboxRef[] | null> {
  const updated = await tx.case.updateMany({
    where: { id: row.id, version: row.version },
    data: caseColumns(compiled, next, nextCheckAt, now),
  });
  if (updated.count !== 1) return null;
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
  );
}

export type TransitionResult =
  | { ok: true; version: number; state: string }
  | { ok: false; refusal: WorkflowRefusal }
  | { ok: false; notFound: true };

export async function transitionCase(
  db: Db,
  ctx: TenantContext,
  caseId: string,
  command: { transitionId: string; input?: unknown; expectedVersion: number },
  now: Date,
): Promise<TransitionResult> {
  const loaded = await loadCaseForActor(db, ctx, caseId, now);
  if (!loaded) return { ok: false, notFound: true };
  const cmd: Command = {
    type: "transition",
    transitionId: command.transitionId,
    input: command.input,
    expectedVersion: command.expectedVersion,
  };
  const decision = decide(loaded.compiled, loaded.state, cmd, loaded.actor, now);
  if (!decision.ok) return decision;
  const written = await ctx.db.transaction(async (tx) => {
    const refs = await writeDecision(
      tx,
      loaded.row,
      loaded.compiled,
      decision.next,
      decision.outcomes,
      decision.nextCheckAt,
      ctx.user.id,
      now,
    );
    // A county case tells the township case it handles about every step (ADR 039).
    if (refs && loaded.row.sourceCaseId)
      refs.push(...(await writeOutbox(tx, [countyStepJob(loaded.row, command, decision.next, ctx.user.id, now)])));
    return refs;
  });
  if (!written) return { ok: false, refusal: STALE };
  await relayOutbox(written);
  await refreshCaseStuck(ctx, loaded.row.id, now);
  return { ok: true, version: decision.next.version, state: decision.next.state };
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
