// Stuck cases (docs/decisions/037-stuck-cases.md): `Case.stuckSince` is recomputed with the pure
// predicate (engine/stuck.ts) when the people, the rota or the config change, by each transition
// or intake in its own write (that case only, `stuckAfterWrite`, ADR 044), and by the supervision
// sweep every few minutes (the duty day turns, an absence ends). A case that becomes stuck
// notifies the leadership once.
import type { CaseState, Mode } from "#engine/case-state";
import type { CompiledConfig } from "#engine/config/index";
import { dutyDate, dutyLeaderOn, type DutyRotaData } from "#engine/rota";
import { criticalPosts, isStuck, type Staffing } from "#engine/stuck";
import { getTenantConfig } from "./config.server";
import { caseWhereSql } from "./case-sql.server";
import { cached, tableCache } from "./context-cache.server";
import type { Db, Tx } from "./db.server";
import { relayOutbox } from "./jobs.server";
import { writeOutbox, type OutboxRef, type OutboxRow } from "./outbox.server";
import { accessibleCases } from "./permissions.server";
import type { TenantContext } from "./tenancy.server";
import { toCaseState } from "./workflow.server";

type StaffingRows = {
  members: { userId: string; unitId: string; posts: string[]; backupPosts: string[]; awayUntil: Date | null }[];
  rota: DutyRotaData | undefined;
  parentId: string | null;
};
// Per tenant, cleared by any change to its people, rota or tenant row in any process (ADR 031).
const staffingRows = tableCache<StaffingRows>(["Membership", "User", "DutyRota", "Tenant"]);

function staffingRowsOf(db: Db | Tx, tenantId: string): Promise<StaffingRows> {
  return cached(staffingRows, tenantId, async () => {
    // One after another: these may run inside one transaction (a connection runs one query at a time).
    const members = await db.membership.findMany({
      where: { tenantId, active: true, user: { active: true } },
      select: { userId: true, unitId: true, posts: true, backupPosts: true, awayUntil: true },
    });
    const rota = await db.dutyRota.findUnique({ where: { tenantId }, select: { data: true } });
    const tenant = await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { parentId: true } });
    return { members, rota: rota?.data as DutyRotaData | undefined, parentId: tenant.parentId };
  });
}

/** Who is there today: active members (away ones marked), today's rota holders, a county above. */
async function staffingOf(db: Db | Tx, tenantId: string, compiled: CompiledConfig, mode: Mode, now: Date) {
  const rows = await staffingRowsOf(db, tenantId);
  const today = dutyLeaderOn(compiled, rows.rota, dutyDate(compiled, now), mode);
  const staffing: Staffing = {
    members: rows.members.map((m) => ({
      userId: m.userId,
      unitId: m.unitId,
      posts: m.posts,
      backupPosts: m.backupPosts,
      away: m.awayUntil !== null && m.awayUntil > now,
    })),
    dutyLeaderIds: today.userIds,
    county: rows.parentId !== null,
  };
  return staffing;
}

/**
 * Whether a case a request is writing is stuck in its next state, for a writer that sets
 * `stuckSince` in its own statement (ADR 044). `latest`: the tenant's current config, whose rota
 * rules say who is on duty.
 */
export async function stuckAfterWrite(
  tx: Tx,
  latest: CompiledConfig,
  compiled: CompiledConfig,
  next: CaseState,
  now: Date,
): Promise<boolean> {
  const final = compiled.workflows.get(next.workflowId)?.states[next.state]?.final === true;
  if (final) return false;
  const staffing = await staffingOf(tx, next.tenantId, latest, next.mode, now);
  return isStuck(compiled, next, staffing, now);
}

/** The leadership's notice that a case just became stuck. */
export function stuckNotice(
  tenantId: string,
  leadership: readonly string[],
  c: { id: string; number: string; title: string; state: string },
  now: Date,
): OutboxRow {
  return {
    tenantId,
    kind: "notify",
    payload: {
      posts: [...leadership],
      units: [],
      users: [],
      dutyLeaderOn: null,
      county: false,
      caseId: c.id,
      kind: "case.stuck",
      urgency: "urgent",
      title: c.title,
      data: { state: c.state, number: c.number },
    },
    dedupeKey: `case:${c.id}:stuck:${now.toISOString()}`,
    runAt: now,
  };
}

type Assessed = { id: string; number: string; title: string; state: string; stuck: boolean; critical: string[] };

/** Each open case (or the ones named) with whether it is stuck now and the posts it hangs on. */
async function assess(db: Db | Tx, tenantId: string, now: Date, caseIds?: readonly string[]): Promise<Assessed[]> {
  const latest = await getTenantConfig(db, tenantId);
  if (!latest) return [];
  const { mode } = await db.tenant.findUniqueOrThrow({ where: { id: tenantId }, select: { mode: true } });
  const staffing = await staffingOf(db, tenantId, latest.compiled, mode, now);
  const rows = await db.case.findMany({
    where: { tenantId, closedAt: null, ...(caseIds ? { id: { in: [...caseIds] } } : {}) },
    orderBy: { number: "asc" },
  });
  const configs = new Map<number, CompiledConfig>();
  const out: Assessed[] = [];
  for (const row of rows) {
    let compiled = configs.get(row.configVersion);
    if (!compiled) {
      const found = await getTenantConfig(db, tenantId, row.configVersion);
      if (!found) continue;
      configs.set(row.configVersion, (compiled = found.compiled));
    }
    const state = toCaseState(row, mode);
    const stuck = isStuck(compiled, state, staffing, now);
    out.push({
      id: row.id,
      number: row.number,
      title: row.title,
      state: row.state,
      stuck,
      critical: stuck ? [] : criticalPosts(compiled, state, staffing, now),
    });
  }
  return out;
}

/** Where the refresh runs: the owner connection (sweep, publish) or a request's row-level-security scope. */
type Runner = { transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T> };
const owner = (db: Db): Runner => ({ transaction: (fn) => db.$transaction(fn, { timeout: 60_000 }) });

/**
 * Writes `stuckSince` for the tenant's open cases (or the ones named) and notifies the leadership of
 * each case that just became stuck, in one transaction. Returns how many became stuck.
 */
async function refreshStuck(runner: Runner, tenantId: string, now: Date, caseIds?: readonly string[]): Promise<number> {
  const { became, written } = await runner.transaction(async (tx) => {
    const assessed = await assess(tx, tenantId, now, caseIds);
    const latest = await getTenantConfig(tx, tenantId);
    const leadership = latest ? [...latest.compiled.leadershipPosts] : [];
    const free = assessed.filter((c) => !c.stuck).map((c) => c.id);
    if (free.length)
      await tx.case.updateMany({ where: { id: { in: free }, stuckSince: { not: null } }, data: { stuckSince: null } });
    let became = 0;
    let written: OutboxRef[] = [];
    for (const c of assessed.filter((a) => a.stuck)) {
      const set = await tx.case.updateMany({ where: { id: c.id, stuckSince: null }, data: { stuckSince: now } });
      if (set.count !== 1) continue; // already stuck: notified when it became so
      became++;
      written = written.concat(await writeOutbox(tx, [stuckNotice(tenantId, leadership, c, now)]));
    }
    return { became, written };
  });
  await relayOutbox(written);
  return became;
}

/** How often the sweep recomputes every township's open cases. */
const SWEEP_EVERY_MS = 5 * 60_000;
let lastSweep = 0;

/** The supervision sweep's part: every township, at most every few minutes. Never throws. */
export async function sweepStuckCases(db: Db, now: Date, everyMs = SWEEP_EVERY_MS): Promise<number> {
  if (now.getTime() - lastSweep < everyMs) return 0;
  lastSweep = now.getTime();
  const townships = await db.tenant.findMany({ where: { kind: "township" }, select: { id: true } });
  let became = 0;
  for (const t of townships) {
    try {
      became += await refreshStuck(owner(db), t.id, now);
    } catch (error) {
      console.error(`[stuck] tenant ${t.id}:`, (error as Error).message);
    }
  }
  return became;
}

export type StuckCase = {
  id: string;
  number: string;
  title: string;
  workflowId: string;
  state: string;
  stuckSince: string;
};

/** The stuck cases this person may read, longest stuck first (raw SQL: the workbench asks on every load). */
export async function listStuckCases(ctx: TenantContext, take = 50): Promise<StuckCase[]> {
  const rows = await ctx.db.transaction(
    (tx) => tx.$queryRaw<Array<Omit<StuckCase, "stuckSince"> & { stuckSince: Date }>>`
      SELECT c.id, c.number, c.title, c.state, c."workflowId", c."stuckSince" FROM "Case" c
      WHERE c."tenantId" = ${ctx.tenant.id}::uuid AND c."closedAt" IS NULL AND c."stuckSince" IS NOT NULL
        AND ${caseWhereSql(accessibleCases(ctx.ability))}
      ORDER BY c."stuckSince" ASC, c.id LIMIT ${take}::int`,
  );
  return rows.map((r) => ({ ...r, stuckSince: r.stuckSince.toISOString() }));
}

export type StaffingWarning = {
  /** Open cases nobody can move now: how many, and the ones this admin may read. */
  stuckCount: number;
  stuck: Array<{ id: string; number: string; title: string }>;
  /** Posts whose holders' absence would leave open cases stuck, with how many. */
  posts: Array<{ post: string; name: { zh: string; en?: string }; cases: number }>;
};

/** For the people and rota pages: computed now, from the people and rota as they are. */
export async function staffingWarning(db: Db, ctx: TenantContext, now: Date): Promise<StaffingWarning> {
  const assessed = await assess(db, ctx.tenant.id, now);
  const counts = new Map<string, number>();
  for (const c of assessed) for (const p of c.critical) counts.set(p, (counts.get(p) ?? 0) + 1);
  const stuck = assessed.filter((c) => c.stuck);
  // Titles only of cases the admin may read (confidentiality); the count covers all.
  const readable = stuck.length
    ? await ctx.db.transaction((tx) =>
        tx.case.findMany({
          where: {
            AND: [{ tenantId: ctx.tenant.id, id: { in: stuck.map((c) => c.id) } }, accessibleCases(ctx.ability)],
          },
          select: { id: true },
        }),
      )
    : [];
  const mayRead = new Set(readable.map((r) => r.id));
  return {
    stuckCount: stuck.length,
    stuck: stuck.filter((c) => mayRead.has(c.id)).map((c) => ({ id: c.id, number: c.number, title: c.title })),
    posts: [...counts]
      .map(([post, cases]) => ({ post, name: ctx.compiled.posts.get(post)?.name ?? { zh: post }, cases }))
      .sort((a, b) => b.cases - a.cases || a.post.localeCompare(b.post)),
  };
}

/**
 * After the people, the rota, the mode or the config changed: every open case again, in the
 * request's scope (or on `db` for a publish without one). Best effort: the sweep corrects a miss.
 */
export async function afterStaffingChange<T extends { ok: boolean }>(
  scope: TenantContext | { db: Db; tenantId: string },
  now: Date,
  result: T,
): Promise<T> {
  if (!result.ok) return result;
  const [runner, tenantId] = "tenant" in scope ? [scope.db, scope.tenant.id] : [owner(scope.db), scope.tenantId];
  try {
    await refreshStuck(runner, tenantId, now);
  } catch (error) {
    console.error(`[stuck] tenant ${tenantId}:`, (error as Error).message);
  }
  return result;
}
