// The outcomes of a decision: what decide(), intake and mode switches ask the server to do.
// Config *actions* (engine/actions/) produce them; app/server/effects.server.ts applies each type
// in one place, in one transaction (docs/decisions/028-one-module-per-action.md).
import type { Deadline, Mode } from "./case-state";
import type { Text } from "./i18n";

export type Urgency = "normal" | "urgent";

/** Append to the case's (or tenant's) audit chain. */
type AuditOutcome = { type: "audit"; event: string; data: Record<string, unknown> };

/**
 * Tell people. Recipients are the union of: holders of `posts`, members of `units`, `users`, the
 * duty leader(s) of `dutyLeaderOn` per the tenant's rota (engine/rota.ts), and the county centre.
 * Write one outbox row with `dedupeKey`; the worker writes one notification per user with
 * `${dedupeKey}:${userId}`, so a redelivery changes nothing.
 */
type NotifyOutcome = {
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
type DeadlineSetOutcome = { type: "deadline-set"; caseId: string; deadline: Deadline; replaces?: string };
type DeadlinePausedOutcome = {
  type: "deadline-paused";
  caseId: string;
  deadlineId: string;
  kind: string;
  pausedAt: string;
};
type DeadlineResumedOutcome = {
  type: "deadline-resumed";
  caseId: string;
  deadlineId: string;
  kind: string;
  resumedAt: string;
  previousDueAt: string;
  dueAt: string;
};
/** A clock stopped for good: done, replaced by a new one, given back (退回), closed with the case, or handed to the county. */
type DeadlineClearedOutcome = {
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
type EscalateOutcome = {
  type: "escalate";
  caseId: string;
  tenantId: string;
  to: "county";
  handover: boolean;
  reason: string;
  dedupeKey: string;
};

/**
 * Issue a supervision sheet (督办单). The server numbers it from the tenant counter named
 * `sequence` (per year), stores it unique on `dedupeKey`, and notifies its recipients.
 */
type SupervisionSheetOutcome = {
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
type PrincipalTalkOutcome = {
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
type SupervisionClosedOutcome = { type: "supervision-closed"; caseId: string; at: string };

/** The tenant switched mode: persist `Tenant.mode` (with its version). */
type ModeChangedOutcome = {
  type: "mode-changed";
  tenantId: string;
  from: Mode;
  to: Mode;
  at: string;
  version: number;
};

export type Outcome =
  | AuditOutcome
  | NotifyOutcome
  | DeadlineSetOutcome
  | DeadlinePausedOutcome
  | DeadlineResumedOutcome
  | DeadlineClearedOutcome
  | EscalateOutcome
  | SupervisionSheetOutcome
  | PrincipalTalkOutcome
  | SupervisionClosedOutcome
  | ModeChangedOutcome;
