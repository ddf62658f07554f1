// One registry of the names config may use, and the typed effects the engine returns.
//
// Config names behaviour ({type, params}); this file declares every name with the JSON Schema of
// its params and where it may appear. engine/workflow.ts implements each name (a missing
// implementation is a type error); engine/config/checks-workflow.ts validates configs against
// these declarations, so an unknown name or bad params is a config error, never a runtime surprise.
import type { FromSchema } from "json-schema-to-ts";
import type { Deadline, Mode } from "./case-state";
import type { Text } from "./i18n";

// ---------------------------------------------------------------------------------------------
// Effects the engine returns; the server layer applies them in one transaction.

export type Urgency = "normal" | "urgent";

/** Append to the case's (or tenant's) audit chain. */
export type AuditEffect = { type: "audit"; event: string; data: Record<string, unknown> };

/**
 * Tell people. Recipients are the union of: holders of `posts`, members of `units`, `users`, the
 * duty leader(s) of `dutyLeaderOn` per the tenant's rota (engine/rota.ts), and the county centre.
 * Write one outbox row with `dedupeKey`; the worker writes one notification per user with
 * `${dedupeKey}:${userId}`, so a redelivery changes nothing.
 */
export type NotifyEffect = {
  type: "notify";
  posts: string[];
  units?: string[];
  users?: string[];
  dutyLeaderOn?: string;
  county?: boolean;
  kind: string;
  urgency?: Urgency;
  caseId?: string;
  data?: Record<string, unknown>;
  dedupeKey: string;
};

/** A deadline was set (or replaced one of the same kind: `replaces`). The state's `deadlines` already holds it. */
export type DeadlineSetEffect = { type: "deadline-set"; caseId: string; deadline: Deadline; replaces?: string };
export type DeadlinePausedEffect = { type: "deadline-paused"; caseId: string; deadlineId: string; kind: string; pausedAt: string };
export type DeadlineResumedEffect = { type: "deadline-resumed"; caseId: string; deadlineId: string; kind: string; resumedAt: string; previousDueAt: string; dueAt: string };
/** A clock stopped for good: done, replaced by a new one, given back (退回), closed with the case, or handed to the county. */
export type DeadlineClearedEffect = {
  type: "deadline-cleared";
  caseId: string;
  deadlineId: string;
  kind: string;
  at: string;
  /** Cleared no later than its due instant (a paused deadline counts at its pause). */
  met: boolean;
  reason: "done" | "replaced" | "returned" | "closed" | "escalated";
};

/**
 * The case goes to the county centre (`handover`: the county now handles it; the case state says
 * `escalatedTo: "county"`), or the county is told about an overdue case (`handover: false`).
 * Write an outbox row with `dedupeKey` for the county's inbox.
 */
export type EscalateEffect = { type: "escalate"; caseId: string; tenantId: string; to: "county"; handover: boolean; reason: string; dedupeKey: string };

/**
 * Issue a supervision sheet (督办单). The server numbers it from the tenant counter named
 * `sequence` (per year), stores it unique on `dedupeKey`, and notifies its recipients.
 */
export type SupervisionSheetEffect = {
  type: "supervision-sheet";
  caseId: string;
  tenantId: string;
  sequence: "supervision-sheet";
  trigger: "ladder" | "manual";
  deadlineId?: string;
  deadlineKind?: string;
  dueAt?: string;
  issuedAt: string;
  /** Report on the sheet by then (the policy's feedbackWindow). */
  respondBy?: string;
  toUnitIds: string[];
  toUserIds: string[];
  copyPosts: string[];
  urgency: Urgency;
  label?: Text;
  dedupeKey: string;
};

/** A talk (约谈) by the principal leader with the responsible people, to be held by `scheduleBy`. */
export type PrincipalTalkEffect = {
  type: "principal-talk";
  caseId: string;
  tenantId: string;
  principalPost: string;
  withUnitIds: string[];
  withUserIds: string[];
  deadlineId?: string;
  scheduleBy: string;
  label?: Text;
  dedupeKey: string;
};

/** Supervision of the case is over: mark its open sheets and talks closed. */
export type SupervisionClosedEffect = { type: "supervision-closed"; caseId: string; at: string };

/** The tenant switched mode: persist `Tenant.mode` (with its version). */
export type ModeChangedEffect = { type: "mode-changed"; tenantId: string; from: Mode; to: Mode; at: string; version: number };

export type Effect =
  | AuditEffect
  | NotifyEffect
  | DeadlineSetEffect
  | DeadlinePausedEffect
  | DeadlineResumedEffect
  | DeadlineClearedEffect
  | EscalateEffect
  | SupervisionSheetEffect
  | PrincipalTalkEffect
  | SupervisionClosedEffect
  | ModeChangedEffect;

// ---------------------------------------------------------------------------------------------
// Names config may use.

const str = { type: "string", minLength: 1 } as const;
const actors = { type: "array", items: str } as const;
const durationParam = {
  type: "object",
  required: ["amount", "unit"],
  additionalProperties: false,
  properties: { amount: { type: "number", exclusiveMinimum: 0 }, unit: { enum: ["working-days", "calendar-days", "hours"] } },
} as const;
const kindParam = { type: "object", additionalProperties: false, properties: { kind: str } } as const;

export const EFFECT_PARAMS = {
  notify: {
    type: "object",
    additionalProperties: false,
    properties: { to: actors, posts: actors, kind: str, urgency: { enum: ["normal", "urgent"] } },
  },
  assign: {
    type: "object",
    additionalProperties: false,
    properties: {
      from: { enum: ["input", "routing", "input-or-routing"] },
      leadField: str,
      assistField: str,
      usersField: str,
    },
  },
  "set-grade": { type: "object", additionalProperties: false, properties: { field: str } },
  "set-deadline": {
    type: "object",
    additionalProperties: false,
    properties: { kind: str, policy: str, dueField: str },
  },
  "pause-deadline": kindParam,
  "resume-deadline": kindParam,
  "clear-deadline": kindParam,
  escalate: {
    type: "object",
    additionalProperties: false,
    properties: { to: { const: "county" }, reasonField: str, handover: { type: "boolean" } },
  },
  "return-to-sender": { type: "object", additionalProperties: false, properties: { reasonField: str } },
  "supervision-sheet": {
    type: "object",
    additionalProperties: false,
    properties: { to: actors, copy: actors, deadline: str },
  },
  "principal-talk": {
    type: "object",
    additionalProperties: false,
    properties: { principal: str, with: actors, within: durationParam },
  },
  "close-supervision": { type: "object", additionalProperties: false, properties: {} },
} as const;

export type EffectName = keyof typeof EFFECT_PARAMS;
export type EffectParams<N extends EffectName> = FromSchema<(typeof EFFECT_PARAMS)[N]>;

/** Where each name may appear: in a transition's `effects`, in an overdue ladder, in `onIntake`. */
export const EFFECT_PLACES: Readonly<Record<EffectName, ReadonlyArray<"transition" | "ladder" | "intake">>> = {
  notify: ["transition", "ladder", "intake"],
  assign: ["transition"],
  "set-grade": ["transition"],
  "set-deadline": ["transition"],
  "pause-deadline": ["transition"],
  "resume-deadline": ["transition"],
  "clear-deadline": ["transition"],
  escalate: ["transition", "ladder"],
  "return-to-sender": ["transition"],
  "supervision-sheet": ["transition", "ladder"],
  "principal-talk": ["transition", "ladder"],
  "close-supervision": ["transition"],
};

/**
 * The workflow action that wrote score lines of its own, beside the scoring rules (retired by
 * docs/decisions/026-one-scoring-path.md): the validator refuses it, and in a config version
 * published before, it does nothing (its lines were never counted).
 */
export const RETIRED_SCORE_ACTION = "score";

/** Names that config may use in workflow effects and ladders. */
export const EFFECT_TYPES: ReadonlySet<string> = new Set(Object.keys(EFFECT_PARAMS));

export const isEffectName = (name: string): name is EffectName => Object.hasOwn(EFFECT_PARAMS, name);

const guardList = { type: "array", minItems: 1, items: { type: "object", required: ["type"], properties: { type: str, params: { type: "object" } } } } as const;

export const GUARD_PARAMS = {
  "grade-in": { type: "object", required: ["grades"], additionalProperties: false, properties: { grades: { type: "array", items: str, minItems: 1 } } },
  "category-in": { type: "object", required: ["categories"], additionalProperties: false, properties: { categories: { type: "array", items: str, minItems: 1 } } },
  "platform-in": { type: "object", required: ["platforms"], additionalProperties: false, properties: { platforms: { type: "array", items: str, minItems: 1 } } },
  mode: { type: "object", required: ["mode"], additionalProperties: false, properties: { mode: { enum: ["peacetime", "wartime"] } } },
  assigned: { type: "object", additionalProperties: false, properties: {} },
  escalated: { type: "object", additionalProperties: false, properties: {} },
  "deadline-overdue": kindParam,
  "deadline-met": kindParam,
  "input-in": {
    type: "object",
    required: ["field", "values"],
    additionalProperties: false,
    properties: { field: str, values: { type: "array", minItems: 1, items: { type: ["string", "number", "boolean"] } } },
  },
  all: { type: "object", required: ["guards"], additionalProperties: false, properties: { guards: guardList } },
  any: { type: "object", required: ["guards"], additionalProperties: false, properties: { guards: guardList } },
  not: { type: "object", required: ["guard"], additionalProperties: false, properties: { guard: { type: "object", required: ["type"], properties: { type: str, params: { type: "object" } } } } },
} as const;

export type GuardName = keyof typeof GUARD_PARAMS;
export type GuardParams<N extends GuardName> = FromSchema<(typeof GUARD_PARAMS)[N]>;
export const isGuardName = (name: string): name is GuardName => Object.hasOwn(GUARD_PARAMS, name);

/**
 * Special actors, usable in a transition's `by`, in `notify.to` and in `modes.switchBy`:
 * - `$assignee`: a member of the lead or an assisting unit, or a person named in the assignment;
 * - `$lead-assignee`: a member of the lead unit, or a person named in the assignment;
 * - `$grade-analyst`: who analyses the case's grade in the current mode (grades[].analysis);
 * - `$duty-leader`: today's duty leader; in wartime every leadership post holder;
 * - `$leadership`: any holder of a leadership post;
 * - `$reporter`: the person who reported the case;
 * - `$county`: county-centre staff;
 * - `$anyone`: any member of the township (only in `by`).
 */
export const SPECIAL_ACTORS: ReadonlySet<string> = new Set([
  "$assignee",
  "$lead-assignee",
  "$grade-analyst",
  "$duty-leader",
  "$leadership",
  "$reporter",
  "$county",
  "$anyone",
]);
/** Special actors that name nobody in particular, so cannot be notified. */
export const NOT_NOTIFIABLE: ReadonlySet<string> = new Set(["$anyone"]);
