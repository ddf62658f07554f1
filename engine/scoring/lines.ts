// Rules to score lines: matching, points, targets, the ledger and its corrections.
import type { TownshipConfig } from "#schemas/township-config";
import { OrgTree, unitGroup } from "#engine/org";
import { conditionHolds } from "./conditions";
import type { Fact, FactName } from "./facts";
import { inPeriod, type PeriodLike } from "./periods";
import { iso, ms, round, type ScoringConfig, type ScoringRule } from "./shared";
import type { TargetGroup } from "./totals";

export type ScoreTarget = { kind: "unit" | "user"; id: string };

/**
 * Where a ledger line comes from (ScoreEntry.origin): a rule applied to a fact, an upheld appeal
 * reversing a line, a recompute's correction, or `effect`: a line the retired workflow `score`
 * action wrote, kept in the ledger but never counted (docs/decisions/026-one-scoring-path.md).
 */
export type ScoreOrigin = "rule" | "reversal" | "correction" | "effect";
/** The origins rankings, reports and recomputes read. */
export const COUNTED_ORIGINS: readonly ScoreOrigin[] = ["rule", "reversal", "correction"];

/** One ledger line: a rule applied to a fact, for one target. */
export type ScoreLine = {
  origin: "rule" | "reversal";
  tenantId: string;
  rule: string;
  target: ScoreTarget;
  points: number;
  /** The fact's instant: the period the points count in. */
  at: string;
  caseId: string;
  eventSeq: number;
  fact: FactName;
  factKey: string;
  /** The config version whose rules made the line (absent when the current config's rules were used). */
  configVersion?: string | number;
  /** For an upheld appeal: the dedupe key of the line it cancels. */
  reverses?: string;
  /** `score:<tenant>:<rule>:<fact key>:<target kind>:<target id>` (`<line key>:reversed` for a reversal). */
  dedupeKey: string;
};

/** A line as the ledger stores it (ScoreEntry rows map to this); without `origin`, a rule's line. */
export type ScoreLineLike = {
  rule: string;
  target: ScoreTarget;
  points: number;
  at: string | Date;
  dedupeKey: string;
  caseId?: string | null;
  origin?: ScoreOrigin;
};

/** A member of the township, for `post:<id>` targets (Membership rows). */
export type MemberLike = { userId: string; unitId: string; posts: readonly string[] };

/** A published config version: its rules apply to facts from its publication until the next one's. */
export type ScoringVersion = {
  version: string | number;
  publishedAt: string | Date;
  scoring: ScoringConfig | undefined;
};

export type EvaluateOptions = {
  /** Only lines in this period are returned (facts outside it still make the lines appeals may reverse). */
  period?: PeriodLike;
  /**
   * The tenant's published config versions. A fact is scored by the rules of the latest version
   * published at or before it: a rule change applies from its publication, never backwards.
   * Without versions, `config`'s rules apply to every fact.
   */
  versions?: readonly ScoringVersion[];
  /**
   * An explicit recompute: `config`'s rules apply to every fact, whatever was in force when it
   * happened. Used to re-score a past period after a rule change; persist the result with
   * ledgerCorrections so the ledger stays append-only.
   */
  recompute?: boolean;
  /** Post holders, for `post:<id>` targets. */
  members?: readonly MemberLike[];
  /** Ledger lines an upheld appeal may reverse when they are not made again by these facts. */
  priorLines?: readonly ScoreLineLike[];
};

/** A rule's points for a fact; 0 when per-day points meet a fact without overdue days. */
function rulePoints(points: ScoringRule["points"], fact: Fact): number {
  if (typeof points === "number") return points;
  const raw = points.perDay * (fact.overdueDays ?? 0);
  return round(points.max === undefined ? raw : Math.sign(raw) * Math.min(Math.abs(raw), points.max));
}

function ruleMatches(rule: ScoringRule, fact: Fact): boolean {
  const on = rule.on;
  if (typeof on === "string") {
    if (on !== fact.name) return false;
  } else if (
    fact.name !== "case.transition" ||
    fact.transitionId !== on.transition ||
    (on.workflow !== undefined && on.workflow !== fact.workflowId)
  ) {
    return false;
  }
  return rule.when === undefined || conditionHolds(rule.when, fact);
}

type TargetContext = { config: TownshipConfig; org: OrgTree; members: readonly MemberLike[] };

/** The nearest unit of a ranking group at or above a unit (the org-kind vocabulary in schemas/township-config.ts). */
const nearestOfGroup = (org: OrgTree, unitId: string, group: TargetGroup) =>
  org.ancestry(unitId).find((id) => unitGroup(org.byId.get(id)?.kind) === group);

/** The village or community a unit lies in (itself included), if any. */
export const villageOf = (org: OrgTree, unitId: string) => nearestOfGroup(org, unitId, "village");

/** The targets a rule's `target` names for a fact, sorted and without repeats. */
function resolveTargets(target: string, fact: Fact, ctx: TargetContext): ScoreTarget[] {
  const unit = (id: string | undefined): ScoreTarget[] => (id ? [{ kind: "unit", id }] : []);
  const user = (id: string | undefined): ScoreTarget[] => (id && id !== "system" ? [{ kind: "user", id }] : []);
  let out: ScoreTarget[];
  switch (target) {
    case "lead-unit":
      out = unit(fact.assignment.leadUnitId);
      break;
    case "assist-units":
      out = fact.assignment.assistUnitIds.flatMap(unit);
      break;
    case "platform":
      out = unit(fact.platformId);
      break;
    case "village":
      out = unit(villageOf(ctx.org, fact.orgUnitId));
      break;
    case "grid":
      out = unit(nearestOfGroup(ctx.org, fact.orgUnitId, "grid"));
      break;
    case "reporting-unit":
      out = unit(fact.orgUnitId);
      break;
    case "source-township":
      // The county's unit standing for that township (org unit `tenant`); none for a township's own case.
      out = unit(
        fact.sourceTenant ? (ctx.config.org?.units ?? []).find((u) => u.tenant === fact.sourceTenant)?.id : undefined,
      );
      break;
    case "assignee-users":
      out = (fact.assignment.assigneeUserIds ?? []).flatMap(user);
      break;
    case "reporter":
      out = user(fact.reporterId);
      break;
    case "actor":
      out = user(fact.actorId);
      break;
    default: {
      if (!target.startsWith("post:")) throw new Error(`Unknown scoring target ${target}`);
      const postId = target.slice("post:".length);
      const post = (ctx.config.posts ?? []).find((p) => p.id === postId);
      // A post held per unit (a grid worker in each grid) scores the holders where the case is.
      const places = post?.unitKinds?.length
        ? new Set([
            ...ctx.org.ancestry(fact.orgUnitId),
            fact.platformId,
            ...(fact.assignment.leadUnitId ? [fact.assignment.leadUnitId] : []),
          ])
        : undefined;
      out = ctx.members
        .filter((m) => m.posts.includes(postId) && (!places || places.has(m.unitId)))
        .flatMap((m) => user(m.userId));
    }
  }
  const seen = new Set<string>();
  return out
    .filter((t) => {
      const k = `${t.kind}:${t.id}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => (a.kind === b.kind ? a.id.localeCompare(b.id) : a.kind.localeCompare(b.kind)));
}

const lineKey = (tenantId: string, rule: string, factKey: string, target: ScoreTarget) =>
  `score:${tenantId}:${rule}:${factKey}:${target.kind}:${target.id}`;

/**
 * The score lines of facts under the rules in force (see EvaluateOptions), then the reversals of
 * upheld appeals, in fact order. Deterministic: same arguments, same lines.
 */
export function evaluateScores(
  config: TownshipConfig,
  facts: readonly Fact[],
  options: EvaluateOptions = {},
): ScoreLine[] {
  const ctx: TargetContext = { config, org: new OrgTree(config.org?.units ?? []), members: options.members ?? [] };
  const versions =
    options.recompute || !options.versions
      ? undefined
      : [...options.versions].sort((a, b) => ms(a.publishedAt) - ms(b.publishedAt));
  const current = config.scoring?.rules ?? [];
  const inForce = (at: string): { rules: readonly ScoringRule[]; version?: string | number } => {
    if (!versions) return { rules: current };
    let found: ScoringVersion | undefined;
    for (const v of versions) if (ms(v.publishedAt) <= ms(at)) found = v;
    return found ? { rules: found.scoring?.rules ?? [], version: found.version } : { rules: [] };
  };

  const lines: ScoreLine[] = [];
  const byKey = new Map<string, ScoreLine>();
  for (const fact of facts) {
    const { rules, version } = inForce(fact.at);
    for (const rule of rules) {
      if (!ruleMatches(rule, fact)) continue;
      const points = rulePoints(rule.points, fact);
      if (points === 0) continue;
      for (const target of resolveTargets(rule.target, fact, ctx)) {
        const dedupeKey = lineKey(fact.tenantId, rule.id, fact.key, target);
        if (byKey.has(dedupeKey)) continue;
        const line: ScoreLine = {
          origin: "rule",
          tenantId: fact.tenantId,
          rule: rule.id,
          target,
          points,
          at: fact.at,
          caseId: fact.caseId,
          eventSeq: fact.eventSeq,
          fact: fact.name,
          factKey: fact.key,
          ...(version !== undefined ? { configVersion: version } : {}),
          dedupeKey,
        };
        lines.push(line);
        byKey.set(dedupeKey, line);
      }
    }
  }

  // An upheld appeal cancels the disputed deduction, in the period the appeal was decided.
  const prior = new Map((options.priorLines ?? []).map((l) => [l.dedupeKey, l]));
  for (const fact of facts) {
    if (fact.name !== "appeal.upheld" || !fact.disputedKey) continue;
    const disputed = prior.get(fact.disputedKey) ?? byKey.get(fact.disputedKey);
    const dedupeKey = `${fact.disputedKey}:reversed`;
    if (!disputed || disputed.points >= 0 || byKey.has(dedupeKey)) continue;
    const line: ScoreLine = {
      origin: "reversal",
      tenantId: fact.tenantId,
      rule: disputed.rule,
      target: disputed.target,
      points: -disputed.points,
      at: fact.at,
      caseId: fact.caseId,
      eventSeq: fact.eventSeq,
      fact: fact.name,
      factKey: fact.key,
      reverses: fact.disputedKey,
      dedupeKey,
    };
    lines.push(line);
    byKey.set(dedupeKey, line);
  }

  const period = options.period;
  return lines.filter((l) => !period || inPeriod(period, l.at)).sort((a, b) => a.eventSeq - b.eventSeq);
}

/**
 * What to append to the ledger so that its lines in a period sum to a recompute's: for each line,
 * the difference from what the ledger already holds under its key, keyed `<line key>:recompute:<tag>`
 * and dated like the line (so it counts in the same period); lines the recompute no longer makes
 * are cancelled. `existing` is the period's ledger; lines of origin `effect` (never counted) are
 * left alone. Appending the result with the same tag twice adds nothing the second time.
 */
export function ledgerCorrections(
  existing: readonly ScoreLineLike[],
  recomputed: readonly ScoreLine[],
  options: { tag: string },
): Array<ScoreLineLike & { corrects: string; origin: "correction" }> {
  const marker = ":recompute:";
  const baseOf = (key: string) => (key.includes(marker) ? key.slice(0, key.indexOf(marker)) : key);
  const held = new Map<string, { sum: number; first: ScoreLineLike }>();
  for (const entry of existing) {
    if (entry.origin === "effect") continue;
    const base = baseOf(entry.dedupeKey);
    const h = held.get(base);
    if (h) h.sum = round(h.sum + entry.points);
    else held.set(base, { sum: round(entry.points), first: entry });
  }
  const out: Array<ScoreLineLike & { corrects: string; origin: "correction" }> = [];
  const correction = (line: ScoreLineLike, points: number) => {
    if (round(points) === 0) return;
    out.push({
      origin: "correction",
      rule: line.rule,
      target: line.target,
      points: round(points),
      at: iso(line.at),
      caseId: line.caseId ?? null,
      dedupeKey: `${line.dedupeKey}${marker}${options.tag}`,
      corrects: line.dedupeKey,
    });
  };
  const made = new Set<string>();
  for (const line of recomputed) {
    made.add(line.dedupeKey);
    correction(line, line.points - (held.get(line.dedupeKey)?.sum ?? 0));
  }
  for (const [base, h] of held) {
    if (!made.has(base)) correction({ ...h.first, dedupeKey: base }, -h.sum);
  }
  return out;
}
