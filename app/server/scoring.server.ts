// Evaluation (考评) on the database: the engine's pure scoring (engine/scoring/) over the audit
// trail, with the ledger (ScoreEntry) as its append-only cache (docs/decisions/013-scoring-from-the-audit-trail.md).
//
// - scoreCase: the outbox job "score" (enqueued by applyOutcomes for every audit event that can make
//   a fact) evaluates one case's whole trail under the rules in force at each fact and appends the
//   lines it does not hold yet. Idempotent on the lines' dedupe keys, so a redelivered job adds nothing.
// - recomputePeriod: an explicit, permissioned re-score of a period under the current rules,
//   appended as ledgerCorrections and audited `scoring.recomputed`.
// - periodReportFor / countyReportFor: the review (复盘) of a period from the facts and the ledger.
//
// Rankings and reports read the counted origins (COUNTED_ORIGINS: rule lines, reversals,
// corrections); lines of origin `effect`, written by the retired workflow `score` action, stay in
// the ledger uncounted (docs/decisions/026-one-scoring-path.md).
//
// System work (jobs, reports) reads and writes on the owner connection with an explicit tenant
// filter; the callers that act for a user check the user's ability first.
import { randomUUID } from "node:crypto";
import { appealSetup, appealStands, decideAppeal } from "#engine/appeal";
import type { Refusal } from "#engine/intake";
import { OrgTree } from "#engine/org";
import {
  COUNTED_ORIGINS,
  countyReport,
  evaluateScores,
  factsFromTrail,
  ledgerCorrections,
  periodFromKey,
  periodReport,
  type AuditEventLike,
  type CaseFactsLike,
  type CountyReport,
  type Fact,
  type MemberLike,
  type Period,
  type PeriodFigures,
  type PeriodReport,
  type ScoreLine,
  type ScoreLineLike,
  type ScoreOrigin,
  type ScoringVersion,
  villageOf,
} from "#engine/scoring/index";
import { figuresBy } from "#engine/scoring-breakdown";
import type { TownshipConfig } from "#schemas/township-config";
import { appendAudit } from "./audit.server";
import { countyTimeZone, getTenantConfig, tenantTimeZone } from "./config.server";
import type { Client, Db } from "./db.server";
import { caseMode, writeNewCase } from "./cases.server";
import { cached, tableCache } from "./context-cache.server";
import { activeMembersOf } from "./jobs.server";
import type { TenantContext } from "./tenancy.server";

/** The ledger rows rankings, reports and appeals read. */
export const countedLines = { origin: { in: [...COUNTED_ORIGINS] } };
const CHUNK = 5000;
const BIG_TX = { timeout: 600_000, maxWait: 60_000 };

// ---------------------------------------------------------------------------------------------
// What evaluation needs from the database

type CaseRowLike = {
  id: string;
  tenantId: string;
  workflowId: string;
  categoryId: string;
  platformId: string;
  orgUnitId: string;
  reporterId: string;
  gradeId: string;
  configVersion: number;
  data: unknown;
  sourceTenant?: string | null;
};

const caseFacts = (row: CaseRowLike): CaseFactsLike & { configVersion: number } => ({
  id: row.id,
  tenantId: row.tenantId,
  workflowId: row.workflowId,
  categoryId: row.categoryId,
  platformId: row.platformId,
  orgUnitId: row.orgUnitId,
  reporterId: row.reporterId,
  gradeId: row.gradeId,
  data: (row.data ?? {}) as Record<string, unknown>,
  sourceTenant: row.sourceTenant ?? null,
  configVersion: row.configVersion,
});

const CASE_SELECT = {
  id: true,
  tenantId: true,
  workflowId: true,
  categoryId: true,
  platformId: true,
  orgUnitId: true,
  reporterId: true,
  gradeId: true,
  configVersion: true,
  data: true,
  sourceTenant: true,
} as const;
const EVENT_SELECT = { seq: true, caseId: true, actorId: true, type: true, data: true, at: true } as const;

// Config versions are immutable: their scoring sections are cached by row id.
const scoringCache = new Map<string, ScoringVersion["scoring"]>();

/**
 * The tenant's published versions for evaluateScores. The first version is in force from the
 * beginning: a case always runs on some version, so a fact older than the first publication
 * (imported history, a simulated clock) is scored by the first rules rather than by none.
 */
// Per tenant, cleared by any publish in any process (ADR 031): the score job reads them per event.
const versionRows = tableCache<{ id: string; version: number; publishedAt: Date }[]>(["ConfigVersion"]);

async function scoringVersions(db: Client, tenantId: string): Promise<ScoringVersion[]> {
  const rows = await cached(versionRows, tenantId, () =>
    db.configVersion.findMany({
      where: { tenantId },
      orderBy: { version: "asc" },
      select: { id: true, version: true, publishedAt: true },
    }),
  );
  const missing = rows.filter((r) => !scoringCache.has(r.id)).map((r) => r.id);
  if (missing.length) {
    const docs = await db.configVersion.findMany({
      where: { id: { in: missing } },
      select: { id: true, document: true },
    });
    for (const d of docs)
      scoringCache.set(d.id, (d.document as { scoring?: ScoringVersion["scoring"] } | null)?.scoring);
  }
  return rows.map((r, i) => ({
    version: r.version,
    publishedAt: i === 0 ? new Date(0) : r.publishedAt,
    scoring: scoringCache.get(r.id),
  }));
}

const scoringMembers = (db: Client, tenantId: string): Promise<MemberLike[]> => activeMembersOf(db, tenantId);

type Inputs = {
  config: TownshipConfig;
  configVersion: number;
  configFor: (c: CaseFactsLike) => TownshipConfig | undefined;
  versions: ScoringVersion[];
  members: MemberLike[];
};

/** The current config, each case's own version for reading its trail, the versions and the members. */
async function scoringInputs(db: Client, tenantId: string, caseVersions: Iterable<number>): Promise<Inputs> {
  const current = await getTenantConfig(db, tenantId);
  if (!current) throw new Error(`Tenant ${tenantId} has no published config`);
  const byVersion = new Map<number, TownshipConfig>([[current.version, current.compiled.config]]);
  for (const v of new Set(caseVersions)) {
    if (byVersion.has(v)) continue;
    const c = await getTenantConfig(db, tenantId, v);
    if (c) byVersion.set(v, c.compiled.config);
  }
  return {
    config: current.compiled.config,
    configVersion: current.version,
    configFor: (c) => byVersion.get((c as { configVersion?: number }).configVersion ?? current.version),
    versions: await scoringVersions(db, tenantId),
    members: await scoringMembers(db, tenantId),
  };
}

const toLine = (e: {
  rule: string;
  targetKind: string;
  targetId: string;
  points: number;
  at: Date;
  dedupeKey: string;
  caseId: string | null;
  origin: ScoreOrigin;
}): ScoreLineLike => ({
  origin: e.origin,
  rule: e.rule,
  target: { kind: e.targetKind === "user" ? "user" : "unit", id: e.targetId },
  points: e.points,
  at: e.at,
  dedupeKey: e.dedupeKey,
  caseId: e.caseId,
});

/** Ledger lines that upheld appeals among the facts dispute (they may be in another case or period). */
async function disputedLines(db: Client, tenantId: string, facts: readonly Fact[]): Promise<ScoreLineLike[]> {
  const keys = [
    ...new Set(facts.filter((f) => f.name === "appeal.upheld" && f.disputedKey).map((f) => f.disputedKey!)),
  ];
  if (!keys.length) return [];
  const rows = await db.scoreEntry.findMany({ where: { tenantId, dedupeKey: { in: keys }, ...countedLines } });
  return rows.map(toLine);
}

/** The row a line is stored as; a correction keeps the key it corrects in `reverses`. */
function entryOf(
  tenantId: string,
  line: ScoreLineLike & {
    origin: ScoreOrigin;
    eventSeq?: number;
    fact?: string;
    configVersion?: string | number;
    reverses?: string;
    corrects?: string;
  },
) {
  const version = line.configVersion === undefined ? null : Number(line.configVersion);
  return {
    origin: line.origin,
    tenantId,
    caseId: line.caseId ?? null,
    rule: line.rule,
    targetKind: line.target.kind,
    targetId: line.target.id,
    points: line.points,
    at: line.at instanceof Date ? line.at : new Date(line.at),
    eventSeq: line.eventSeq ?? null,
    fact: line.fact ?? null,
    configVersion: Number.isFinite(version) ? version : null,
    reverses: line.reverses ?? line.corrects ?? null,
    dedupeKey: line.dedupeKey,
  };
}

/**
 * Appends rows, skipping keys the ledger holds (ON CONFLICT DO NOTHING on the unique dedupe key).
 * One INSERT … SELECT FROM unnest(arrays) per chunk: far cheaper than createMany for the
 * thousands of lines a recompute may append (bench/scoring.ts).
 */
async function appendEntries(db: Client, rows: ReturnType<typeof entryOf>[]): Promise<number> {
  let added = 0;
  const col = <T>(part: ReturnType<typeof entryOf>[], f: (r: ReturnType<typeof entryOf>) => T) => part.map(f);
  for (let i = 0; i < rows.length; i += CHUNK) {
    const part = rows.slice(i, i + CHUNK);
    const str = (v: number | null) => (v === null ? null : String(v));
    added += await db.$executeRaw`
      INSERT INTO "ScoreEntry" (origin, "tenantId", "caseId", rule, "targetKind", "targetId", points, at, "eventSeq", fact, "configVersion", reverses, "dedupeKey")
      SELECT o::"ScoreOrigin", t::uuid, c::uuid, r, tk, ti, p::double precision, (a::timestamptz AT TIME ZONE 'UTC'), es::int, f, cv::int, rv, k
      FROM unnest(${col(part, (r) => r.origin)}::text[], ${col(part, (r) => r.tenantId)}::text[], ${col(part, (r) => r.caseId)}::text[], ${col(part, (r) => r.rule)}::text[],
                  ${col(part, (r) => r.targetKind)}::text[], ${col(part, (r) => r.targetId)}::text[], ${col(part, (r) => String(r.points))}::text[],
                  ${col(part, (r) => r.at.toISOString())}::text[], ${col(part, (r) => str(r.eventSeq))}::text[], ${col(part, (r) => r.fact)}::text[],
                  ${col(part, (r) => str(r.configVersion))}::text[], ${col(part, (r) => r.reverses)}::text[], ${col(part, (r) => r.dedupeKey)}::text[])
        AS x(o, t, c, r, tk, ti, p, a, es, f, cv, rv, k)
      ON CONFLICT ("dedupeKey") DO NOTHING`;
  }
  return added;
}

// ---------------------------------------------------------------------------------------------
// Scoring one case (the outbox job)

/**
 * Evaluates a case's whole trail (rules in force at each fact) and appends the lines the ledger
 * lacks. Returns how many were added. Safe to run any number of times.
 */
export async function scoreCase(db: Client, caseId: string): Promise<number> {
  const row = await db.case.findUnique({ where: { id: caseId }, select: CASE_SELECT });
  if (!row) return 0;
  const inputs = await scoringInputs(db, row.tenantId, [row.configVersion]);
  const events: AuditEventLike[] = await db.auditEvent.findMany({
    where: { tenantId: row.tenantId, caseId },
    orderBy: { seq: "asc" },
    select: EVENT_SELECT,
  });
  const facts = factsFromTrail(inputs.config, events, [caseFacts(row)], { configFor: inputs.configFor });
  if (!facts.length) return 0;
  const lines = evaluateScores(inputs.config, facts, {
    versions: inputs.versions,
    members: inputs.members,
    priorLines: await disputedLines(db, row.tenantId, facts),
  });
  return appendEntries(
    db,
    lines.map((l) => entryOf(row.tenantId, l)),
  );
}

// ---------------------------------------------------------------------------------------------
// A period: facts, ledger, recompute, reports

/** A period by key, cut in the township's time zone; 404 for a malformed key. */
export function requirePeriod(timeZone: string, periodKey: string | undefined): Period {
  const period = periodKey ? periodFromKey(timeZone, periodKey) : undefined;
  if (!period) throw new Response("Not found", { status: 404 });
  return period;
}

/** The whole trail of every case with an event in the period, and those cases. */
async function periodTrail(db: Client, tenantId: string, period: Period) {
  const range = { gte: new Date(period.start), lt: new Date(period.end) };
  const touched = await db.auditEvent.findMany({
    where: { tenantId, at: range, caseId: { not: null } },
    distinct: ["caseId"],
    select: { caseId: true },
  });
  const ids = touched.map((t) => t.caseId!).filter(Boolean);
  const cases: Array<ReturnType<typeof caseFacts>> = [];
  const events: AuditEventLike[] = [];
  for (let i = 0; i < ids.length; i += CHUNK) {
    const some = ids.slice(i, i + CHUNK);
    const rows = await db.case.findMany({ where: { tenantId, id: { in: some } }, select: CASE_SELECT });
    cases.push(...rows.map(caseFacts));
    events.push(...(await db.auditEvent.findMany({ where: { tenantId, caseId: { in: some } }, select: EVENT_SELECT })));
  }
  return { cases, events };
}

async function periodFacts(db: Client, tenantId: string, period: Period) {
  const { cases, events } = await periodTrail(db, tenantId, period);
  const inputs = await scoringInputs(
    db,
    tenantId,
    cases.map((c) => c.configVersion),
  );
  const facts = factsFromTrail(inputs.config, events, cases, { configFor: inputs.configFor });
  return { inputs, facts, cases };
}

/** The period's counted ledger lines (rule lines, corrections and reversals). */
export async function periodLedger(db: Client, tenantId: string, period: Period) {
  return db.scoreEntry.findMany({
    where: { tenantId, at: { gte: new Date(period.start), lt: new Date(period.end) }, ...countedLines },
    orderBy: [{ at: "asc" }, { id: "asc" }],
  });
}

/**
 * Who may recompute a period: those who read reports (考评报表) and hold a leadership post
 * (director, deputies). A recompute changes standings, so it is a leadership decision; the
 * inspection post reads reports but does not re-score. The config's `manage Config` (township
 * admin) is not enough on its own: configuring rules and applying them to the past are separate.
 */
export function canRecompute(ctx: TenantContext): boolean {
  return (
    ctx.ability.can("read", "Report") && ctx.membership.posts.some((p) => ctx.compiled.leadershipPosts.includes(p))
  );
}

export type RecomputeResult = { period: string; tag: string; lines: number; corrections: number; points: number };

/**
 * Re-scores a period under the current rules (evaluateScores recompute: true) and appends the
 * differences (ledgerCorrections). Running it again without a change appends nothing.
 */
export async function recomputePeriod(
  db: Db,
  ctx: TenantContext,
  periodKey: string,
  now: Date,
): Promise<RecomputeResult> {
  if (!canRecompute(ctx)) throw new Response("Forbidden", { status: 403 });
  return recomputeTenantPeriod(db, ctx.tenant.id, requirePeriod(ctx.compiled.defaults.timeZone, periodKey), {
    actorId: ctx.user.id,
    now,
  });
}

/** The recompute itself, for a tenant (the benchmark and county tooling call it directly). */
export async function recomputeTenantPeriod(
  db: Db,
  tenantId: string,
  period: Period,
  options: { actorId: string | null; now: Date },
): Promise<RecomputeResult> {
  const { inputs, facts } = await periodFacts(db, tenantId, period);
  const recomputed = evaluateScores(inputs.config, facts, {
    recompute: true,
    period,
    members: inputs.members,
    priorLines: await disputedLines(db, tenantId, facts),
  });
  const tag = `v${inputs.configVersion}@${options.now.toISOString()}`;
  return db.$transaction(async (tx) => {
    // Serialise recomputes of one tenant so two at once cannot both append the same difference.
    await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${"scoring:" + tenantId}))`;
    const existing = (await periodLedger(tx, tenantId, period)).map(toLine);
    const byKey = new Map<string, ScoreLine>(recomputed.map((l) => [l.dedupeKey, l]));
    const corrections = ledgerCorrections(existing, recomputed, { tag }).map((c) => {
      const line = byKey.get(c.corrects);
      return entryOf(tenantId, {
        ...c,
        ...(line ? { eventSeq: line.eventSeq, fact: line.fact, configVersion: inputs.configVersion } : {}),
      });
    });
    const added = await appendEntries(tx, corrections);
    const points = Math.round(corrections.reduce((s, c) => s + c.points, 0) * 1e6) / 1e6;
    await appendAudit(tx, {
      tenantId,
      actorId: options.actorId,
      type: "scoring.recomputed",
      data: {
        period: period.key,
        tag,
        configVersion: inputs.configVersion,
        lines: recomputed.length,
        corrections: added,
        points,
      },
      at: options.now,
    });
    return { period: period.key, tag, lines: recomputed.length, corrections: added, points };
  }, BIG_TX);
}

export type TownshipPeriodReport = {
  report: PeriodReport;
  /** Figures per platform (the case's platform) and per village (where the case came from). */
  byPlatform: Record<string, PeriodFigures>;
  byVillage: Record<string, PeriodFigures>;
  /** The period's ledger rows the report was made from (the scores page explains them). */
  ledger: Awaited<ReturnType<typeof periodLedger>>;
};

export async function periodReportFor(db: Client, tenantId: string, periodKey: string): Promise<TownshipPeriodReport> {
  const period = requirePeriod(await tenantTimeZone(db, tenantId), periodKey);
  const { inputs, facts } = await periodFacts(db, tenantId, period);
  const ledger = await periodLedger(db, tenantId, period);
  const lines = ledger.map(toLine);
  const report = periodReport(inputs.config, { facts, lines, period, members: inputs.members });
  const org = new OrgTree(inputs.config.org?.units ?? []);
  return {
    report,
    byPlatform: figuresBy(facts, period, (f) => f.platformId),
    byVillage: figuresBy(facts, period, (f) => villageOf(org, f.orgUnitId)),
    ledger,
  };
}

/** The county's review: each township's report side by side (counts and ratings only). */
export async function countyReportFor(
  db: Client,
  countyId: string,
  periodKey: string,
): Promise<CountyReport & { names: Record<string, { code: string; name: string; nameEn: string | null }> }> {
  const period = requirePeriod(await countyTimeZone(db, countyId), periodKey);
  const townships = await db.tenant.findMany({
    where: { parentId: countyId, kind: "township" },
    select: { id: true, code: true, name: true, nameEn: true },
    orderBy: { code: "asc" },
  });
  const reports: Array<{ tenantId: string; report: PeriodReport }> = [];
  for (const t of townships) {
    if (!(await db.configVersion.count({ where: { tenantId: t.id } }))) continue;
    reports.push({ tenantId: t.id, report: (await periodReportFor(db, t.id, period.key)).report });
  }
  return {
    ...countyReport(period, reports),
    names: Object.fromEntries(townships.map((t) => [t.id, { code: t.code, name: t.name, nameEn: t.nameEn }])),
  };
}

// ---------------------------------------------------------------------------------------------
// Appeals (申诉)

export type AppealResult = { ok: true; caseId: string; number: string } | { ok: false; refusal: Refusal };

/** An appeal case as the ledger screens show it beside the entry it disputes. */
export type EntryAppeal = { caseId: string; number: string; state: string; workflowId: string };

/**
 * The appeals that stand against ledger entries (appealStands: open or decided, not withdrawn),
 * by the entry they dispute: for one entry, or for all filed since an instant (an appeal is filed
 * after its line, so a period's lines need only the appeals filed since the period began).
 */
export async function standingAppeals(
  db: Client,
  tenantId: string,
  compiled: TenantContext["compiled"],
  filter: { entry: string } | { since: Date },
): Promise<Map<string, EntryAppeal>> {
  const setup = appealSetup(compiled);
  const found = new Map<string, EntryAppeal>();
  if (!setup) return found;
  const rows = await db.case.findMany({
    where: {
      tenantId,
      workflowId: setup.appeal.workflow,
      ...("entry" in filter
        ? { data: { path: [setup.field], equals: filter.entry } }
        : { createdAt: { gte: filter.since } }),
    },
    select: { id: true, number: true, state: true, workflowId: true, data: true },
    orderBy: { createdAt: "asc" },
  });
  for (const r of rows) {
    const entry = (r.data as Record<string, unknown> | null)?.[setup.field];
    if (typeof entry === "string" && appealStands(compiled, r.state))
      found.set(entry, { caseId: r.id, number: r.number, state: r.state, workflowId: r.workflowId });
  }
  return found;
}

/**
 * Files an appeal against a deduction: the engine decides (decideAppeal), the appeal is created as
 * a case of the appeal workflow like reportCase does, and from then on it is an ordinary case
 * (uphold / reject by the inspection post through transitionCase). When it is upheld, the score
 * job of the appeal case appends the reversal line.
 */
export async function fileAppeal(
  db: Db,
  ctx: TenantContext,
  scoreEntryKey: string,
  input: Record<string, unknown>,
  now: Date,
): Promise<AppealResult> {
  const tenantId = ctx.tenant.id;
  const field = ctx.compiled.defaults.appealEntryField;
  const entry = await db.scoreEntry.findFirst({ where: { tenantId, dedupeKey: scoreEntryKey, ...countedLines } });
  const disputedCase = entry?.caseId
    ? await db.case.findFirst({ where: { tenantId, id: entry.caseId }, select: { categoryId: true, platformId: true } })
    : null;
  const alreadyAppealed = (await standingAppeals(db, tenantId, ctx.compiled, { entry: scoreEntryKey })).size > 0;
  const caseId = randomUUID();
  const decision = decideAppeal(
    {
      compiled: ctx.compiled,
      configVersion: ctx.configVersion,
      actor: ctx.actor,
      now,
      caseId,
      mode: caseMode(ctx),
      disputed: entry ? { ...toLine(entry), reverses: entry.reverses } : undefined,
      ...(disputedCase ? { disputedCase } : {}),
      alreadyAppealed,
    },
    { ...input, [field]: scoreEntryKey },
  );
  if (!decision.ok) return decision;
  const number = await writeNewCase(ctx, decision, now);
  return { ok: true, caseId: decision.case.id, number };
}
