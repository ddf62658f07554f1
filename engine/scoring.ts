// Evaluation (考评): the township's scoring rules over the audit trail of its cases and tasks.
//
//   audit trail ──factsFromTrail──▶ facts ──evaluateScores──▶ score lines (the ledger) ──rollup──▶ totals
//                                                                                     └─rank / rateGrids / periodReport
//
// Pure: no clock, no database. Same trail, same config versions, same options → the same lines,
// in the same order, with the same dedupe keys; so recomputing a period from the trail reproduces
// the ledger, and the ledger stays append-only (a recompute appends corrections: ledgerCorrections).
//
// Facts are a fixed registry (FACTS below), each derived from audit events the engine writes
// (`case.reported`, `case.transition`, `case.deadline-step`); config says what they are worth, to
// whom, and under which conditions. Which deadline kind "closes" a case, which form field holds
// the satisfaction result, and which workflow handles appeals are config (scoring.closingDeadline,
// scoring.revisit, scoring.appeal, resolved with their defaults by engine/config/defaults.ts); a
// rule may also fire on any transition by id ({transition}). Rules are the only way to score:
// every line is one rule applied to one fact (docs/decisions/013-scoring-from-the-audit-trail.md,
// 026-one-scoring-path.md).
import type { Text } from "./i18n";
import { configDefaults } from "./config/defaults";
import { localYearMonth, startOfLocalMonth } from "./time";
import { OrgTree, unitGroup } from "./org";
import { ACTION_FACTS } from "./actions";
import type { OrgUnitGroup, TownshipConfig } from "../schemas/township-config";

export type ScoringConfig = NonNullable<TownshipConfig["scoring"]>;
export type ScoringRule = NonNullable<ScoringConfig["rules"]>[number];
export type RatingLevel = NonNullable<NonNullable<ScoringConfig["ratings"]>["grid"]>[number];
export type Ratings = NonNullable<ScoringConfig["ratings"]>;

const DAY_MS = 86_400_000;

// ---------------------------------------------------------------------------------------------
// The fact registry

/** What a fact carries besides its case: conditions and per-day points need the matching attribute. */
export type FactAttribute = "assignment" | "actor" | "transition" | "input" | "overdueDays" | "satisfaction" | "trigger" | "disputedKey";
export type FactSpec = { name: Text; from: string; has: readonly FactAttribute[] };

/**
 * Every fact a rule may name in `on`. `from` says which audit event (and which of its data) makes
 * it; the same text is the reference for township admins. Closure facts split by the workflow's
 * kind (`case` or `task`); the others hold for both (filter with `workflow-in`).
 */
export const FACTS = {
  "case.reported": { name: { zh: "上报事件", en: "Case reported" }, from: "case.reported (intake); actor = the reporter", has: ["actor"] },
  "case.transition": {
    name: { zh: "流程操作", en: "Transition" },
    from: "case.transition: any transition; a rule names one with on: {transition, workflow?}",
    has: ["assignment", "actor", "transition", "input"],
  },
  "case.closed-on-time": {
    name: { zh: "按期办结", en: "Closed on time" },
    from: "case.transition whose `cleared` stops the closing deadline (scoring.closingDeadline, default the mainDeadline) as done or closed, met; case workflows",
    has: ["assignment", "actor", "transition", "input"],
  },
  "case.closed-late": {
    name: { zh: "超期办结", en: "Closed late" },
    from: "as case.closed-on-time, not met; overdueDays = started days from the due instant to the stop (its pause, if paused)",
    has: ["assignment", "actor", "transition", "input", "overdueDays"],
  },
  "task.completed-on-time": { name: { zh: "任务按期完成", en: "Task completed on time" }, from: "as case.closed-on-time, for task workflows", has: ["assignment", "actor", "transition", "input"] },
  "task.completed-late": { name: { zh: "任务超期完成", en: "Task completed late" }, from: "as case.closed-late, for task workflows", has: ["assignment", "actor", "transition", "input", "overdueDays"] },
  "case.overdue": {
    name: { zh: "事件超期", en: "Case overdue" },
    from: "case.deadline-step: the first overdue step of a closing deadline (once per deadline)",
    has: ["assignment"],
  },
  "case.returned": {
    name: { zh: "退回", en: "Returned" },
    from: "case.transition that ran return-to-sender; assignment = the one it returned (before the transition)",
    has: ["assignment", "actor", "transition", "input"],
  },
  "case.escalated": { name: { zh: "上报县级", en: "Escalated to the county" }, from: "case.transition that ran escalate", has: ["assignment", "actor", "transition", "input"] },
  "supervision.sheet-issued": {
    name: { zh: "督办单", en: "Supervision sheet issued" },
    from: "case.transition that ran supervision-sheet (trigger manual), or case.deadline-step of type supervision-sheet, not superseded (trigger ladder)",
    has: ["assignment", "trigger"],
  },
  "supervision.talk-ordered": {
    name: { zh: "约谈", en: "Principal talk ordered" },
    from: "case.transition that ran principal-talk (manual), or case.deadline-step of type principal-talk, not superseded (ladder)",
    has: ["assignment", "trigger"],
  },
  "feedback.within-window": {
    name: { zh: "按期反馈审核", en: "Feedback reviewed in time" },
    from: "case.transition whose `cleared` stops the feedback deadline (scoring.feedbackDeadline, default review) as done or closed, met",
    has: ["assignment", "actor", "transition", "input"],
  },
  "feedback.late": { name: { zh: "反馈审核超期", en: "Feedback reviewed late" }, from: "as feedback.within-window, not met", has: ["assignment", "actor", "transition", "input", "overdueDays"] },
  "revisit.recorded": {
    name: { zh: "回访评价", en: "Revisit recorded" },
    from: "case.transition whose form input has the revisit field (scoring.revisit.field, default satisfaction)",
    has: ["assignment", "actor", "transition", "input", "satisfaction"],
  },
  "revisit.satisfied": { name: { zh: "群众满意", en: "Satisfied" }, from: "revisit.recorded with a value in scoring.revisit.satisfied", has: ["assignment", "actor", "transition", "input", "satisfaction"] },
  "revisit.dissatisfied": {
    name: { zh: "群众不满意", en: "Dissatisfied" },
    from: "revisit.recorded with a value in scoring.revisit.dissatisfied",
    has: ["assignment", "actor", "transition", "input", "satisfaction"],
  },
  "appeal.upheld": {
    name: { zh: "申诉成立", en: "Appeal upheld" },
    from: "case.transition of the appeal workflow into scoring.appeal.upheldState; disputedKey from the form or the appeal's data (scoring.appeal.entryField)",
    has: ["actor", "transition", "input", "disputedKey"],
  },
  "appeal.rejected": { name: { zh: "申诉驳回", en: "Appeal rejected" }, from: "case.transition of the appeal workflow into scoring.appeal.rejectedState", has: ["actor", "transition", "input", "disputedKey"] },
} as const satisfies Record<string, FactSpec>;

export type FactName = keyof typeof FACTS;

export const FACT_NAMES: readonly FactName[] = Object.keys(FACTS) as FactName[];
export const isFactName = (name: string): name is FactName => Object.hasOwn(FACTS, name);
export const factHas = (name: FactName, attribute: FactAttribute): boolean => (FACTS[name].has as readonly FactAttribute[]).includes(attribute);

export type FactAssignment = { leadUnitId?: string; assistUnitIds: string[]; assigneeUserIds?: string[] };

export type Fact = {
  name: FactName;
  /** Unique in the tenant's trail: the event's seq, with `.n` for the n-th fact of this name from one event. */
  key: string;
  tenantId: string;
  caseId: string;
  eventSeq: number;
  /** The event's instant (ISO, UTC); periods are cut in the config's time zone. */
  at: string;
  workflowId: string;
  categoryId: string;
  platformId: string;
  orgUnitId: string;
  reporterId: string;
  /** The case's grade when the event happened. */
  gradeId: string;
  /** The assignment in force for the fact (for a return: the one returned). */
  assignment: FactAssignment;
  actorId?: string;
  transitionId?: string;
  /** The transition's form input (the `input-in` condition reads it). */
  input?: Readonly<Record<string, unknown>>;
  deadlineKind?: string;
  overdueDays?: number;
  satisfaction?: string;
  trigger?: "ladder" | "manual";
  disputedKey?: string;
};

// ---------------------------------------------------------------------------------------------
// From the trail to facts

/** An AuditEvent row as the server reads it. */
export type AuditEventLike = { seq: number; caseId?: string | null; actorId?: string | null; type: string; data: unknown; at: string | Date };

/** The case columns facts need (Case rows: the reporter, the reporting unit, the platform …). */
export type CaseFactsLike = {
  id: string;
  tenantId: string;
  workflowId: string;
  categoryId: string;
  platformId: string;
  orgUnitId: string;
  reporterId: string;
  gradeId?: string;
  /** The intake data (an appeal names the disputed entry there). */
  data?: Record<string, unknown>;
};

export type FactsOptions = {
  /** The config version a case runs on (Case.configVersion); default the `config` argument for every case. */
  configFor?: (c: CaseFactsLike) => TownshipConfig | undefined;
};

type Json = Record<string, unknown>;
const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);
const strings = (v: unknown): string[] => (Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : []);
const iso = (at: string | Date): string => (at instanceof Date ? at : new Date(at)).toISOString();
const ms = (at: string | Date): number => (at instanceof Date ? at.getTime() : Date.parse(at));

function assignmentOf(v: unknown): FactAssignment | undefined {
  if (!isRecord(v)) return undefined;
  const lead = str(v.leadUnitId);
  const users = strings(v.assigneeUserIds);
  return { ...(lead ? { leadUnitId: lead } : {}), assistUnitIds: strings(v.assistUnitIds), ...(users.length ? { assigneeUserIds: users } : {}) };
}

/** Started days between the due instant and the stop; 0 when met. */
export function overdueDays(dueAt: string, stoppedAt: string): number {
  const late = ms(stoppedAt) - ms(dueAt);
  return late > 0 ? Math.ceil(late / DAY_MS) : 0;
}

type CaseRun = { assignment: FactAssignment; gradeId: string; overdue: Set<string> };

/**
 * The facts of a trail, in event order. Events of cases not in `cases`, and events without a case,
 * are skipped. Pass the whole trail of the cases you evaluate (not only the period's events): a
 * fact's assignment and grade come from the events before it.
 */
export function factsFromTrail(config: TownshipConfig, events: readonly AuditEventLike[], cases: readonly CaseFactsLike[], options: FactsOptions = {}): Fact[] {
  const byId = new Map(cases.map((c) => [c.id, c]));
  const runs = new Map<string, CaseRun>();
  const out: Fact[] = [];
  const sorted = events.filter((e) => e.caseId && byId.has(e.caseId)).sort((a, b) => a.seq - b.seq);
  for (const event of sorted) {
    const c = byId.get(event.caseId!)!;
    const cfg = options.configFor?.(c) ?? config;
    const scoring = cfg.scoring ?? {};
    const { closingDeadline: closing, feedbackDeadline: feedback, revisit, appealEntryField } = configDefaults(cfg);
    const data = isRecord(event.data) ? event.data : {};
    let run = runs.get(c.id);
    if (!run) {
      run = { assignment: { assistUnitIds: [] }, gradeId: c.gradeId ?? "", overdue: new Set() };
      runs.set(c.id, run);
    }
    const at = iso(event.at);
    const actorId = str(event.actorId) ?? str(data.by);
    const counts = new Map<FactName, number>();
    const emit = (name: FactName, extra: Partial<Fact> = {}) => {
      const n = counts.get(name) ?? 0;
      counts.set(name, n + 1);
      out.push({
        name,
        key: n ? `${event.seq}.${n}` : String(event.seq),
        tenantId: c.tenantId,
        caseId: c.id,
        eventSeq: event.seq,
        at,
        workflowId: c.workflowId,
        categoryId: c.categoryId,
        platformId: c.platformId,
        orgUnitId: c.orgUnitId,
        reporterId: c.reporterId,
        gradeId: run!.gradeId,
        assignment: run!.assignment,
        ...extra,
      });
    };

    if (event.type === "case.reported") {
      run.gradeId = str(data.gradeId) ?? run.gradeId;
      emit("case.reported", { actorId: actorId ?? c.reporterId });
    } else if (event.type === "case.transition") {
      const transitionId = str(data.transitionId);
      const before = run.assignment;
      const after = assignmentOf(data.assignment) ?? before;
      run.gradeId = str(data.gradeId) ?? run.gradeId;
      run.assignment = after;
      const kind = cfg.workflows?.[c.workflowId]?.kind ?? "case";
      const input = isRecord(data.input) ? data.input : {};
      const common = { transitionId, input, ...(actorId ? { actorId } : {}) } as Partial<Fact>;

      emit("case.transition", common);
      for (const action of strings(data.effects)) {
        const yielded = Object.hasOwn(ACTION_FACTS, action) ? ACTION_FACTS[action as keyof typeof ACTION_FACTS] : undefined;
        if (yielded === "case.returned") emit(yielded, { ...common, assignment: before });
        else if (yielded === "case.escalated") emit(yielded, common);
        else if (yielded) emit(yielded, { ...common, trigger: "manual" });
      }
      for (const clock of Array.isArray(data.cleared) ? data.cleared.filter(isRecord) : []) {
        if (clock.reason !== "done" && clock.reason !== "closed") continue;
        const met = clock.met === true;
        const due = str(clock.dueAt);
        const days = met || !due ? 0 : Math.max(1, overdueDays(due, str(clock.pausedAt) ?? at));
        const extra = { ...common, deadlineKind: str(clock.kind), ...(met ? {} : { overdueDays: days }) };
        if (clock.kind === closing) {
          if (kind === "task") emit(met ? "task.completed-on-time" : "task.completed-late", extra);
          else emit(met ? "case.closed-on-time" : "case.closed-late", extra);
        } else if (clock.kind === feedback) {
          emit(met ? "feedback.within-window" : "feedback.late", extra);
        }
      }
      const satisfaction = str(input[revisit.field]);
      if (satisfaction !== undefined) {
        emit("revisit.recorded", { ...common, satisfaction });
        if (revisit.satisfied.includes(satisfaction)) emit("revisit.satisfied", { ...common, satisfaction });
        else if (revisit.dissatisfied.includes(satisfaction)) emit("revisit.dissatisfied", { ...common, satisfaction });
      }
      const appeal = scoring.appeal;
      if (appeal && c.workflowId === appeal.workflow) {
        const disputedKey = str(input[appealEntryField]) ?? str(c.data?.[appealEntryField]);
        const extra = { ...common, ...(disputedKey ? { disputedKey } : {}) };
        if (data.to === appeal.upheldState) emit("appeal.upheld", extra);
        else if (appeal.rejectedState !== undefined && data.to === appeal.rejectedState) emit("appeal.rejected", extra);
      }
    } else if (event.type === "case.deadline-step" && data.phase === "overdue") {
      const deadlineId = str(data.deadlineId) ?? "";
      const deadlineKind = str(data.kind);
      if (deadlineKind === closing && !run.overdue.has(deadlineId)) {
        run.overdue.add(deadlineId);
        emit("case.overdue", { deadlineKind });
      }
      const yielded = typeof data.type === "string" && Object.hasOwn(ACTION_FACTS, data.type) ? ACTION_FACTS[data.type as keyof typeof ACTION_FACTS] : undefined;
      if (data.superseded !== true && (yielded === "supervision.sheet-issued" || yielded === "supervision.talk-ordered")) {
        emit(yielded, { trigger: "ladder", ...(deadlineKind ? { deadlineKind } : {}) });
      }
    }
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Conditions (a rule's `when`)

const strList = { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 } as const;
const nested = { type: "object", required: ["type"], properties: { type: { type: "string", minLength: 1 }, params: { type: "object" } } } as const;

/** Every condition a rule's `when` may name, with the JSON Schema of its params. */
export const CONDITION_PARAMS = {
  "grade-in": { type: "object", required: ["grades"], additionalProperties: false, properties: { grades: strList } },
  "category-in": { type: "object", required: ["categories"], additionalProperties: false, properties: { categories: strList } },
  "platform-in": { type: "object", required: ["platforms"], additionalProperties: false, properties: { platforms: strList } },
  "workflow-in": { type: "object", required: ["workflows"], additionalProperties: false, properties: { workflows: strList } },
  "transition-in": { type: "object", required: ["transitions"], additionalProperties: false, properties: { transitions: strList } },
  "satisfaction-in": { type: "object", required: ["values"], additionalProperties: false, properties: { values: strList } },
  "overdue-days": { type: "object", minProperties: 1, additionalProperties: false, properties: { min: { type: "number", minimum: 0 }, max: { type: "number", minimum: 0 } } },
  "trigger-in": { type: "object", required: ["triggers"], additionalProperties: false, properties: { triggers: { type: "array", items: { enum: ["ladder", "manual"] }, minItems: 1 } } },
  "input-in": {
    type: "object",
    required: ["field", "values"],
    additionalProperties: false,
    properties: { field: { type: "string", minLength: 1 }, values: { type: "array", minItems: 1, items: { type: ["string", "number", "boolean"] } } },
  },
  all: { type: "object", required: ["conditions"], additionalProperties: false, properties: { conditions: { type: "array", items: nested, minItems: 1 } } },
  any: { type: "object", required: ["conditions"], additionalProperties: false, properties: { conditions: { type: "array", items: nested, minItems: 1 } } },
  not: { type: "object", required: ["condition"], additionalProperties: false, properties: { condition: nested } },
} as const;

export type ConditionName = keyof typeof CONDITION_PARAMS;
export const isConditionName = (name: string): name is ConditionName => Object.hasOwn(CONDITION_PARAMS, name);
/** The fact attribute a condition reads: on a fact without it, the condition never holds. */
export const CONDITION_NEEDS: Partial<Record<ConditionName, FactAttribute>> = {
  "satisfaction-in": "satisfaction",
  "overdue-days": "overdueDays",
  "trigger-in": "trigger",
  "transition-in": "transition",
  "input-in": "input",
};

type Spec = { type: string; params?: Record<string, unknown> };

/** Whether a (validated) condition holds for a fact. */
export function conditionHolds(spec: Spec, fact: Fact): boolean {
  const p = (spec.params ?? {}) as Record<string, unknown>;
  const list = (key: string) => strings(p[key]);
  switch (spec.type) {
    case "grade-in":
      return list("grades").includes(fact.gradeId);
    case "category-in":
      return list("categories").includes(fact.categoryId);
    case "platform-in":
      return list("platforms").includes(fact.platformId);
    case "workflow-in":
      return list("workflows").includes(fact.workflowId);
    case "transition-in":
      return fact.transitionId !== undefined && list("transitions").includes(fact.transitionId);
    case "satisfaction-in":
      return fact.satisfaction !== undefined && list("values").includes(fact.satisfaction);
    case "overdue-days": {
      if (fact.overdueDays === undefined) return false;
      const min = typeof p.min === "number" ? p.min : -Infinity;
      const max = typeof p.max === "number" ? p.max : Infinity;
      return fact.overdueDays >= min && fact.overdueDays <= max;
    }
    case "trigger-in":
      return fact.trigger !== undefined && list("triggers").includes(fact.trigger);
    case "input-in":
      return fact.input !== undefined && (p.values as unknown[]).includes(fact.input[p.field as string]);
    case "all":
      return (p.conditions as Spec[]).every((c) => conditionHolds(c, fact));
    case "any":
      return (p.conditions as Spec[]).some((c) => conditionHolds(c, fact));
    case "not":
      return !conditionHolds(p.condition as Spec, fact);
    default:
      throw new Error(`Unknown scoring condition ${spec.type}`);
  }
}

// ---------------------------------------------------------------------------------------------
// Periods (in the township's time zone)

export type PeriodKind = "month" | "quarter" | "year";
/** A period: [start, end) as ISO instants; `key` is 2025-03, 2025-Q1 or 2025. */
export type Period = { kind: PeriodKind; key: string; start: string; end: string };
export type PeriodLike = { kind: PeriodKind; start: string | Date; end: string | Date; key?: string };

const MONTHS: Record<PeriodKind, number> = { month: 1, quarter: 3, year: 12 };

function periodAt(zone: string, kind: PeriodKind, year: number, month0: number): Period {
  const first = kind === "month" ? month0 : kind === "quarter" ? month0 - (month0 % 3) : 0;
  const key = kind === "month" ? `${year}-${String(first + 1).padStart(2, "0")}` : kind === "quarter" ? `${year}-Q${first / 3 + 1}` : String(year);
  return { kind, key, start: startOfLocalMonth(zone, year, first).toISOString(), end: startOfLocalMonth(zone, year, first + MONTHS[kind]).toISOString() };
}

/** The month, quarter or year (local time in `zone`) an instant falls in. */
export function periodOf(zone: string, kind: PeriodKind, at: string | Date): Period {
  const { year, month0 } = localYearMonth(zone, at);
  return periodAt(zone, kind, year, month0);
}

/** A period from its key (2025-03, 2025-Q1, 2025); undefined when the key is malformed. */
export function periodFromKey(zone: string, key: string): Period | undefined {
  let m = /^(\d{4})-(0[1-9]|1[0-2])$/.exec(key);
  if (m) return periodAt(zone, "month", Number(m[1]), Number(m[2]) - 1);
  m = /^(\d{4})-Q([1-4])$/.exec(key);
  if (m) return periodAt(zone, "quarter", Number(m[1]), (Number(m[2]) - 1) * 3);
  m = /^(\d{4})$/.exec(key);
  return m ? periodAt(zone, "year", Number(m[1]), 0) : undefined;
}

export const inPeriod = (period: PeriodLike, at: string | Date): boolean => ms(at) >= ms(period.start) && ms(at) < ms(period.end);

// ---------------------------------------------------------------------------------------------
// Rules to score lines

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
export type ScoreLineLike = { rule: string; target: ScoreTarget; points: number; at: string | Date; dedupeKey: string; caseId?: string | null; origin?: ScoreOrigin };

/** A member of the township, for `post:<id>` targets (Membership rows). */
export type MemberLike = { userId: string; unitId: string; posts: readonly string[] };

/** A published config version: its rules apply to facts from its publication until the next one's. */
export type ScoringVersion = { version: string | number; publishedAt: string | Date; scoring: ScoringConfig | undefined };

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

const round = (n: number) => {
  const r = Math.round(n * 1e6) / 1e6;
  return r === 0 ? 0 : r;
};

/** A rule's points for a fact; 0 when per-day points meet a fact without overdue days. */
export function rulePoints(points: ScoringRule["points"], fact: Fact): number {
  if (typeof points === "number") return points;
  const raw = points.perDay * (fact.overdueDays ?? 0);
  return round(points.max === undefined ? raw : Math.sign(raw) * Math.min(Math.abs(raw), points.max));
}

export function ruleMatches(rule: ScoringRule, fact: Fact): boolean {
  const on = rule.on;
  if (typeof on === "string") {
    if (on !== fact.name) return false;
  } else if (fact.name !== "case.transition" || fact.transitionId !== on.transition || (on.workflow !== undefined && on.workflow !== fact.workflowId)) {
    return false;
  }
  return rule.when === undefined || conditionHolds(rule.when, fact);
}

type TargetContext = { config: TownshipConfig; org: OrgTree; members: readonly MemberLike[] };

/** The nearest unit of a ranking group at or above a unit (the org-kind vocabulary in schemas/township-config.ts). */
const nearestOfGroup = (org: OrgTree, unitId: string, group: TargetGroup) => org.ancestry(unitId).find((id) => unitGroup(org.byId.get(id)?.kind) === group);

/** The village or community a unit lies in (itself included), if any. */
export const villageOf = (org: OrgTree, unitId: string) => nearestOfGroup(org, unitId, "village");

/** The targets a rule's `target` names for a fact, sorted and without repeats. */
export function resolveTargets(target: string, fact: Fact, ctx: TargetContext): ScoreTarget[] {
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
        ? new Set([...ctx.org.ancestry(fact.orgUnitId), fact.platformId, ...(fact.assignment.leadUnitId ? [fact.assignment.leadUnitId] : [])])
        : undefined;
      out = ctx.members.filter((m) => m.posts.includes(postId) && (!places || places.has(m.unitId))).flatMap((m) => user(m.userId));
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

export const lineKey = (tenantId: string, rule: string, factKey: string, target: ScoreTarget) => `score:${tenantId}:${rule}:${factKey}:${target.kind}:${target.id}`;

/**
 * The score lines of facts under the rules in force (see EvaluateOptions), then the reversals of
 * upheld appeals, in fact order. Deterministic: same arguments, same lines.
 */
export function evaluateScores(config: TownshipConfig, facts: readonly Fact[], options: EvaluateOptions = {}): ScoreLine[] {
  const ctx: TargetContext = { config, org: new OrgTree(config.org?.units ?? []), members: options.members ?? [] };
  const versions = options.recompute || !options.versions ? undefined : [...options.versions].sort((a, b) => ms(a.publishedAt) - ms(b.publishedAt));
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
export function ledgerCorrections(existing: readonly ScoreLineLike[], recomputed: readonly ScoreLine[], options: { tag: string }): Array<ScoreLineLike & { corrects: string; origin: "correction" }> {
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
    out.push({ origin: "correction", rule: line.rule, target: line.target, points: round(points), at: iso(line.at), caseId: line.caseId ?? null, dedupeKey: `${line.dedupeKey}${marker}${options.tag}`, corrects: line.dedupeKey });
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

// ---------------------------------------------------------------------------------------------
// Totals, rankings, ratings

export type TargetGroup = OrgUnitGroup | "user";
export type TargetInfo = ScoreTarget & { group: TargetGroup };

/** Everyone a township scores: its units by group, and its members. */
export function scoringTargets(config: TownshipConfig, members: readonly MemberLike[] = []): TargetInfo[] {
  const units = (config.org?.units ?? []).map((u): TargetInfo => ({ kind: "unit", id: u.id, group: unitGroup(u.kind) }));
  const users = [...new Set(members.map((m) => m.userId))].sort().map((id): TargetInfo => ({ kind: "user", id, group: "user" }));
  return [...units, ...users];
}

export type Total = {
  target: ScoreTarget;
  group: TargetGroup;
  /** The period's key, when rolled up for a period. */
  period?: string;
  /** The base plus the points. */
  score: number;
  points: number;
  additions: number;
  deductions: number;
  lines: number;
};

export type RollupOptions = {
  /** Every target starts from it (scoring.base); default 0. */
  base?: number;
  /** Targets to include even without lines (they score the base), with their group. */
  targets?: readonly TargetInfo[];
  /** Only lines in this period count. */
  period?: PeriodLike;
};

const targetKey = (t: ScoreTarget) => `${t.kind}:${t.id}`;

/** Totals per target (for a period); targets not in `targets` are grouped as unit or user. */
export function rollup(lines: readonly ScoreLineLike[], options: RollupOptions = {}): Total[] {
  const base = options.base ?? 0;
  const periodKey = options.period?.key;
  const totals = new Map<string, Total>();
  const totalOf = (target: ScoreTarget, group: TargetGroup) => {
    const key = targetKey(target);
    let t = totals.get(key);
    if (!t) {
      t = { target: { kind: target.kind, id: target.id }, group, ...(periodKey ? { period: periodKey } : {}), score: base, points: 0, additions: 0, deductions: 0, lines: 0 };
      totals.set(key, t);
    }
    return t;
  };
  for (const t of options.targets ?? []) totalOf(t, t.group);
  for (const line of lines) {
    if (options.period && !inPeriod(options.period, line.at)) continue;
    const t = totalOf(line.target, line.target.kind === "user" ? "user" : "unit");
    t.points = round(t.points + line.points);
    if (line.points > 0) t.additions = round(t.additions + line.points);
    else t.deductions = round(t.deductions + line.points);
    t.lines++;
    t.score = round(base + t.points);
  }
  return [...totals.values()].sort((a, b) => a.group.localeCompare(b.group) || targetKey(a.target).localeCompare(targetKey(b.target)));
}

export type Ranked = Total & { rank: number };

/** Highest score first; equal scores share a rank and the next rank skips (1, 2, 2, 4); ties listed by target. */
export function rank(totals: readonly Total[]): Ranked[] {
  const sorted = [...totals].sort((a, b) => b.score - a.score || targetKey(a.target).localeCompare(targetKey(b.target)));
  let previous: Ranked | undefined;
  return sorted.map((t, i) => {
    const r: Ranked = { ...t, rank: previous && previous.score === t.score ? previous.rank : i + 1 };
    previous = r;
    return r;
  });
}

export type Rated = Total & { level: string; levelName: Text };

/** The level of each total: the first whose `min` the score reaches, else the last (no `min`). */
export function rate(totals: readonly Total[], levels: readonly RatingLevel[]): Rated[] {
  if (!levels.length) return [];
  const last = levels[levels.length - 1]!;
  return totals.map((t) => {
    const level = levels.find((l) => l.min === undefined || t.score >= l.min) ?? last;
    return { ...t, level: level.level, levelName: level.name };
  });
}

/** 三色管理: grids rated by scoring.ratings.grid (green / yellow / red). */
export function rateGrids(totals: readonly Total[], ratings: Ratings | undefined): Rated[] {
  return rate(
    totals.filter((t) => t.group === "grid"),
    ratings?.grid ?? [],
  );
}

// ---------------------------------------------------------------------------------------------
// Periodic review (复盘)

const rate01 = (part: number, whole: number) => (whole ? round(part / whole) : null);

export type PeriodFigures = {
  reported: number;
  closedOnTime: number;
  closedLate: number;
  /** Closed on time / closed, cases and tasks; null when nothing closed. */
  onTimeRate: number | null;
  overdue: number;
  returned: number;
  escalated: number;
  sheets: number;
  talks: number;
  revisits: number;
  satisfied: number;
  dissatisfied: number;
  /** Satisfied / revisits; null without revisits. */
  satisfactionRate: number | null;
  appealsUpheld: number;
  appealsRejected: number;
};

/** Counts of a period's facts, for the monthly review and the dashboards. */
export function periodFigures(facts: readonly Fact[], period: PeriodLike): PeriodFigures {
  const n: Partial<Record<FactName, number>> = {};
  for (const f of facts) if (inPeriod(period, f.at)) n[f.name] = (n[f.name] ?? 0) + 1;
  const c = (name: FactName) => n[name] ?? 0;
  const onTime = c("case.closed-on-time") + c("task.completed-on-time");
  const late = c("case.closed-late") + c("task.completed-late");
  return {
    reported: c("case.reported"),
    closedOnTime: onTime,
    closedLate: late,
    onTimeRate: rate01(onTime, onTime + late),
    overdue: c("case.overdue"),
    returned: c("case.returned"),
    escalated: c("case.escalated"),
    sheets: c("supervision.sheet-issued"),
    talks: c("supervision.talk-ordered"),
    revisits: c("revisit.recorded"),
    satisfied: c("revisit.satisfied"),
    dissatisfied: c("revisit.dissatisfied"),
    satisfactionRate: rate01(c("revisit.satisfied"), c("revisit.recorded")),
    appealsUpheld: c("appeal.upheld"),
    appealsRejected: c("appeal.rejected"),
  };
}

export type PeriodReport = {
  period: Period;
  figures: PeriodFigures;
  /** Ranked totals per group of targets (platforms, villages, grids, units, people). */
  rankings: Partial<Record<TargetGroup, Ranked[]>>;
  /** Rated totals per group that has rating levels in config. */
  ratings: Partial<Record<TargetGroup, Rated[]>>;
};

/** A township's review of one period (复盘): figures, rankings per group, ratings. */
export function periodReport(config: TownshipConfig, input: { facts: readonly Fact[]; lines: readonly ScoreLineLike[]; period: Period; members?: readonly MemberLike[] }): PeriodReport {
  const totals = rollup(input.lines, { base: config.scoring?.base ?? 0, targets: scoringTargets(config, input.members), period: input.period });
  const rankings: Partial<Record<TargetGroup, Ranked[]>> = {};
  const ratings: Partial<Record<TargetGroup, Rated[]>> = {};
  for (const group of [...new Set(totals.map((t) => t.group))].sort()) {
    const ofGroup = totals.filter((t) => t.group === group);
    rankings[group] = rank(ofGroup);
    const levels = config.scoring?.ratings?.[group];
    if (levels) ratings[group] = rate(rankings[group], levels);
  }
  return { period: input.period, figures: periodFigures(input.facts, input.period), rankings, ratings };
}

export type CountyReport = {
  period: Period;
  /** One row per township, best on-time rate first (ties by tenant id). */
  townships: Array<{ tenantId: string; figures: PeriodFigures; levels: Partial<Record<TargetGroup, Record<string, number>>> }>;
  /** The townships' figures added up (rates recomputed from the sums). */
  figures: PeriodFigures;
};

/** The county's view of one period: its townships' reports side by side. */
export function countyReport(period: Period, townships: ReadonlyArray<{ tenantId: string; report: PeriodReport }>): CountyReport {
  const rows = townships.map(({ tenantId, report }) => {
    const levels: Partial<Record<TargetGroup, Record<string, number>>> = {};
    for (const [group, rated] of Object.entries(report.ratings) as Array<[TargetGroup, Rated[]]>) {
      const counts: Record<string, number> = {};
      for (const r of rated) counts[r.level] = (counts[r.level] ?? 0) + 1;
      levels[group] = counts;
    }
    return { tenantId, figures: report.figures, levels };
  });
  rows.sort((a, b) => (b.figures.onTimeRate ?? -1) - (a.figures.onTimeRate ?? -1) || a.tenantId.localeCompare(b.tenantId));
  const sum = (k: keyof PeriodFigures) => rows.reduce((s, r) => s + ((r.figures[k] as number | null) ?? 0), 0);
  const figures: PeriodFigures = {
    reported: sum("reported"),
    closedOnTime: sum("closedOnTime"),
    closedLate: sum("closedLate"),
    onTimeRate: rate01(sum("closedOnTime"), sum("closedOnTime") + sum("closedLate")),
    overdue: sum("overdue"),
    returned: sum("returned"),
    escalated: sum("escalated"),
    sheets: sum("sheets"),
    talks: sum("talks"),
    revisits: sum("revisits"),
    satisfied: sum("satisfied"),
    dissatisfied: sum("dissatisfied"),
    satisfactionRate: rate01(sum("satisfied"), sum("revisits")),
    appealsUpheld: sum("appealsUpheld"),
    appealsRejected: sum("appealsRejected"),
  };
  return { period, townships: rows, figures };
}
