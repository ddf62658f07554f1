// Moving a township's open cases to its latest config version (docs/decisions/038): the screen's
// plan (engine/config/migrate-cases.ts) and the audited, all-or-nothing apply. The apply plans
// again inside its transaction with the case rows locked, so what it writes is what a dry run of
// the same rows shows; a case changed since the dry run aborts the whole apply.
import type { CaseState, Deadline } from "#engine/case-state";
import type { CompiledConfig } from "#engine/config/index";
import {
  planMigration,
  type CasePlan,
  type MigratingCase,
  type MigrationPlan,
  type StateChoices,
} from "#engine/config/migrate-cases";
import type { Issue } from "#engine/issues";
import { nextCheckAt } from "#engine/supervision";
import { appendAudit, type AuditEntry } from "./audit.server";
import { getConfigVersion } from "./config.server";
import type { Client, Db } from "./db.server";
import { relayOutbox } from "./jobs.server";
import { writeOutbox, type OutboxRef } from "./outbox.server";
import { accessibleCases } from "./permissions.server";
import type { TenantContext } from "./tenancy.server";

export type MigrationCaseView = CasePlan & {
  /** Null when the admin may not read the case: it still moves, shown by number only. */
  title: string | null;
};

type MigrationView = Omit<MigrationPlan, "cases"> & { cases: MigrationCaseView[] };

export type MigrationScreen = {
  latestVersion: number;
  /** Open cases on an older version; zero means there is nothing to migrate. */
  openOnOlder: number;
  plan: MigrationView;
};

const CASE_COLUMNS = {
  id: true,
  number: true,
  title: true,
  version: true,
  configVersion: true,
  workflowId: true,
  state: true,
  categoryId: true,
  gradeId: true,
  orgUnitId: true,
  assignment: true,
  deadlines: true,
} as const;

async function loadPlan(client: Client, tenantId: string, choices: StateChoices, now: Date) {
  // Read here, not from the per-process cache: the apply must see a publish committed just before.
  const head = await client.configVersion.findFirst({
    where: { tenantId },
    orderBy: { version: "desc" },
    select: { version: true },
  });
  const latest = head ? await getConfigVersion(client, tenantId, head.version) : null;
  if (!latest) throw new Response("Township has no published config", { status: 503 });
  const rows = await client.case.findMany({
    where: { tenantId, closedAt: null, configVersion: { lt: latest.version } },
    orderBy: { number: "asc" },
    select: CASE_COLUMNS,
  });
  const sources = new Map<number, CompiledConfig>();
  for (const v of new Set(rows.map((r) => r.configVersion))) {
    const found = await getConfigVersion(client, tenantId, v);
    if (found) sources.set(v, found.compiled);
  }
  const cases: MigratingCase[] = rows.map((r) => {
    const assignment = (r.assignment ?? {}) as Partial<CaseState["assignment"]>;
    return {
      ...r,
      assignment: { ...assignment, assistUnitIds: assignment.assistUnitIds ?? [] },
      deadlines: (r.deadlines ?? []) as Deadline[],
    };
  });
  const plan = planMigration({ target: latest, sources, cases, choices, now });
  return { latest, rows, plan };
}

/** The counts, the proposed mapping and what moving each case does, for the admin's screen. */
export async function loadMigrationScreen(
  ctx: TenantContext,
  choices: StateChoices,
  now: Date,
): Promise<MigrationScreen> {
  return ctx.db.transaction(async (tx) => {
    const { latest, rows, plan } = await loadPlan(tx, ctx.tenant.id, choices, now);
    const readable = new Set(
      rows.length
        ? (
            await tx.case.findMany({
              where: { AND: [{ id: { in: rows.map((r) => r.id) } }, accessibleCases(ctx.ability)] },
              select: { id: true },
            })
          ).map((r) => r.id)
        : [],
    );
    const titles = new Map(rows.map((r) => [r.id, r.title]));
    return {
      latestVersion: latest.version,
      openOnOlder: rows.length,
      plan: {
        ...plan,
        cases: plan.cases.map((c) => ({ ...c, title: readable.has(c.caseId) ? (titles.get(c.caseId) ?? null) : null })),
      },
    };
  });
}

/** How many open cases run on an older version than the latest (the admin page's link). */
export async function countOpenOnOlder(ctx: TenantContext, latestVersion: number): Promise<number> {
  return ctx.db.transaction((tx) =>
    tx.case.count({ where: { tenantId: ctx.tenant.id, closedAt: null, configVersion: { lt: latestVersion } } }),
  );
}

export type ApplyResult = { ok: true; moved: number; version: number } | { ok: false; issues: Issue[] };

const refused = (code: string, zh: string, en: string): ApplyResult => ({
  ok: false,
  issues: [{ path: "", code, message: { zh, en } }],
});

class Aborted extends Error {
  constructor(readonly result: ApplyResult) {
    super("migration aborted");
  }
}

/**
 * Moves every open case on an older version to `toVersion` in one transaction, or none. `seen`:
 * each case's version as the dry run showed it; a case changed, added or closed since aborts.
 */
export async function applyCaseMigration(
  db: Db,
  ctx: TenantContext,
  input: { toVersion: number; choices: StateChoices; seen: ReadonlyMap<string, number> },
  now: Date,
): Promise<ApplyResult> {
  const tenantId = ctx.tenant.id;
  let outbox: OutboxRef[] = [];
  try {
    const result = await db.$transaction(async (tx) => {
      // No publish in between, and the case rows held until commit: a transition that read one
      // before this apply is then refused as stale.
      await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"config:" + tenantId}))`;
      await tx.$queryRaw`SELECT id FROM "Case" WHERE "tenantId" = ${tenantId}::uuid AND "closedAt" IS NULL FOR UPDATE`;
      const { latest, rows, plan } = await loadPlan(tx, tenantId, input.choices, now);
      if (latest.version !== input.toVersion)
        return refused(
          "migrate.version-changed",
          `试运行后已发布第 ${latest.version} 版配置；请重新试运行`,
          `Version ${latest.version} was published after the dry run; run the dry run again`,
        );
      if (!rows.length && !input.seen.size)
        return refused(
          "migrate.nothing",
          "没有在旧版本上的未结事件，无需迁移",
          "No open case runs on an older version: nothing to move",
        );
      const changed = rows.filter((r) => input.seen.get(r.id) !== r.version).map((r) => r.number);
      const gone = input.seen.size - rows.filter((r) => input.seen.has(r.id)).length;
      if (changed.length || gone > 0)
        return refused(
          "migrate.cases-changed",
          `试运行后有事件发生了变化（${changed.join("、") || `${gone} 件已办结或已迁移`}）；未迁移任何事件，请重新试运行`,
          `Cases changed after the dry run (${changed.join(", ") || `${gone} closed or moved`}); nothing was moved: run the dry run again`,
        );
      if (!plan.ready) return { ok: false as const, issues: plan.issues };
      const audits: AuditEntry[] = [];
      const notices = [];
      for (const c of plan.cases) {
        const next = c.next!;
        const version = c.version + 1;
        const running = next.deadlines
          .filter((d) => !d.pausedAt)
          .map((d) => d.dueAt)
          .sort();
        const check = nextCheckAt(latest.compiled, { deadlines: next.deadlines });
        const updated = await tx.case.updateMany({
          where: { id: c.caseId, tenantId, version: c.version },
          data: {
            configVersion: latest.version,
            state: next.state,
            version,
            deadlines: next.deadlines as object,
            dueAt: running[0] ? new Date(running[0]) : null,
            nextCheckAt: check ? new Date(check) : null,
            assignment: next.assignment as object,
            leadUnitId: next.assignment.leadUnitId ?? null,
            assistUnitIds: next.assignment.assistUnitIds,
          },
        });
        if (updated.count !== 1)
          throw new Aborted(
            refused(
              "migrate.cases-changed",
              `事件 ${c.number} 在迁移中被修改；未迁移任何事件，请重新试运行`,
              `Case ${c.number} changed during the migration; nothing was moved: run the dry run again`,
            ),
          );
        audits.push({
          tenantId,
          caseId: c.caseId,
          actorId: ctx.user.id,
          type: "case.migrated",
          data: {
            fromVersion: c.fromVersion,
            toVersion: latest.version,
            from: c.fromState,
            to: next.state,
            fromName: c.fromStateName,
            toName: c.toStateName,
            version,
            deadlines: c.deadlines.map((d) => ({
              deadlineId: d.deadlineId,
              change: d.change,
              reason: d.reason,
              from: d.fromDueAt,
              to: d.toDueAt,
            })),
            clearedUnits: c.units.filter((u) => !u.kept).map((u) => u.unitId),
          },
          at: now,
        });
        // The people on the case hear of it; the sweep finds its deadlines by nextCheckAt.
        if (next.assignment.leadUnitId || next.assignment.assigneeUserIds?.length)
          notices.push({
            tenantId,
            kind: "notify",
            payload: {
              posts: [],
              units: next.assignment.leadUnitId ? [next.assignment.leadUnitId] : [],
              users: next.assignment.assigneeUserIds ?? [],
              dutyLeaderOn: null,
              county: false,
              caseId: c.caseId,
              kind: "case.migrated",
              urgency: "normal",
              title: rows.find((r) => r.id === c.caseId)?.title ?? c.number,
              data: { fromVersion: c.fromVersion, toVersion: latest.version, from: c.fromState, to: next.state },
            },
            dedupeKey: `case:${c.caseId}:v${version}:migrated`,
            runAt: now,
          });
      }
      // Case rows are written before the audit chain's lock is taken, as transitions do.
      await appendAudit(tx, {
        tenantId,
        actorId: ctx.user.id,
        type: "config.cases-migrated",
        data: { toVersion: latest.version, cases: plan.cases.length, byVersion: plan.byVersion },
        at: now,
      });
      for (const entry of audits) await appendAudit(tx, entry);
      outbox = await writeOutbox(tx, notices);
      return { ok: true as const, moved: plan.cases.length, version: latest.version };
    });
    if (result.ok) await relayOutbox(outbox);
    return result;
  } catch (error) {
    if (error instanceof Aborted) return error.result;
    throw error;
  }
}

/** The admin's choices from the form: `map:<workflow>/<state>` = new state id; blanks are no choice. */
export function choicesFrom(form: FormData): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of form) {
    if (!name.startsWith("map:") || typeof value !== "string" || !value) continue;
    out[name.slice(4)] = value;
  }
  return out;
}

/** The case versions the dry run showed: `seen:<case id>` = version. */
export function seenFrom(form: FormData): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, value] of form) {
    if (!name.startsWith("seen:") || typeof value !== "string") continue;
    const v = Number(value);
    if (Number.isInteger(v)) out.set(name.slice(5), v);
  }
  return out;
}
