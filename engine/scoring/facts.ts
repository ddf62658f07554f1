// The fact registry: what facts exist and what each carries.
import type { Text } from "#engine/i18n";

/** What a fact carries besides its case: conditions and per-day points need the matching attribute. */
export type FactAttribute =
  | "assignment"
  | "actor"
  | "transition"
  | "input"
  | "overdueDays"
  | "deadline"
  | "satisfaction"
  | "trigger"
  | "disputedKey";
export type FactSpec = { name: Text; from: string; has: readonly FactAttribute[] };

/**
 * Every fact a rule may name in `on`. `from` says which audit event (and which of its data) makes
 * it; the same text is the reference for township admins. Closure facts split by the workflow's
 * kind (`case` or `task`); the others hold for both (filter with `workflow-in`).
 */
export const FACTS = {
  "case.reported": {
    name: { zh: "上报事件", en: "Case reported" },
    from: "case.reported (intake); actor = the reporter",
    has: ["actor"],
  },
  "case.transition": {
    name: { zh: "流程操作", en: "Transition" },
    from: "case.transition: any transition; a rule names one with on: {transition, workflow?}",
    has: ["assignment", "actor", "transition", "input"],
  },
  "case.closed-on-time": {
    name: { zh: "按期办结", en: "Closed on time" },
    from: "case.transition whose `cleared` stops the closing deadline (scoring.closingDeadline, default the mainDeadline) as done or closed, met; case workflows",
    has: ["assignment", "actor", "transition", "input", "deadline"],
  },
  "case.closed-late": {
    name: { zh: "超期办结", en: "Closed late" },
    from: "as case.closed-on-time, not met; overdueDays = started days from the due instant to the stop (its pause, if paused)",
    has: ["assignment", "actor", "transition", "input", "overdueDays", "deadline"],
  },
  "task.completed-on-time": {
    name: { zh: "任务按期完成", en: "Task completed on time" },
    from: "as case.closed-on-time, for task workflows",
    has: ["assignment", "actor", "transition", "input", "deadline"],
  },
  "task.completed-late": {
    name: { zh: "任务超期完成", en: "Task completed late" },
    from: "as case.closed-late, for task workflows",
    has: ["assignment", "actor", "transition", "input", "overdueDays", "deadline"],
  },
  "case.overdue": {
    name: { zh: "事件超期", en: "Case overdue" },
    from: "case.deadline-step: the first overdue step of a closing deadline (once per deadline)",
    has: ["assignment", "deadline"],
  },
  "case.returned": {
    name: { zh: "退回", en: "Returned" },
    from: "case.transition that ran return-to-sender; assignment = the one it returned (before the transition)",
    has: ["assignment", "actor", "transition", "input"],
  },
  "case.escalated": {
    name: { zh: "上报县级", en: "Escalated to the county" },
    from: "case.transition that ran escalate",
    has: ["assignment", "actor", "transition", "input"],
  },
  "supervision.sheet-issued": {
    name: { zh: "督办单", en: "Supervision sheet issued" },
    from: "case.transition that ran supervision-sheet (trigger manual), or case.deadline-step of type supervision-sheet, not superseded (trigger ladder)",
    has: ["assignment", "trigger", "deadline"],
  },
  "supervision.talk-ordered": {
    name: { zh: "约谈", en: "Principal talk ordered" },
    from: "case.transition that ran principal-talk (manual), or case.deadline-step of type principal-talk, not superseded (ladder)",
    has: ["assignment", "trigger", "deadline"],
  },
  "feedback.within-window": {
    name: { zh: "按期反馈审核", en: "Feedback reviewed in time" },
    from: "case.transition whose `cleared` stops the feedback deadline (scoring.feedbackDeadline, default review) as done or closed, met",
    has: ["assignment", "actor", "transition", "input", "deadline"],
  },
  "feedback.late": {
    name: { zh: "反馈审核超期", en: "Feedback reviewed late" },
    from: "as feedback.within-window, not met",
    has: ["assignment", "actor", "transition", "input", "overdueDays", "deadline"],
  },
  "revisit.recorded": {
    name: { zh: "回访评价", en: "Revisit recorded" },
    from: "case.transition whose form input has the revisit field (scoring.revisit.field, default satisfaction)",
    has: ["assignment", "actor", "transition", "input", "satisfaction"],
  },
  "revisit.satisfied": {
    name: { zh: "群众满意", en: "Satisfied" },
    from: "revisit.recorded with a value in scoring.revisit.satisfied",
    has: ["assignment", "actor", "transition", "input", "satisfaction"],
  },
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
  "appeal.rejected": {
    name: { zh: "申诉驳回", en: "Appeal rejected" },
    from: "case.transition of the appeal workflow into scoring.appeal.rejectedState",
    has: ["actor", "transition", "input", "disputedKey"],
  },
} as const satisfies Record<string, FactSpec>;

export type FactName = keyof typeof FACTS;

export const FACT_NAMES: readonly FactName[] = Object.keys(FACTS) as FactName[];
export const isFactName = (name: string): name is FactName => Object.hasOwn(FACTS, name);
export const factHas = (name: FactName, attribute: FactAttribute): boolean =>
  (FACTS[name].has as readonly FactAttribute[]).includes(attribute);

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
  /** The kind of the clock the fact is about (a ladder step's deadline, the clock a transition stopped). */
  deadlineKind?: string;
  overdueDays?: number;
  satisfaction?: string;
  trigger?: "ladder" | "manual";
  disputedKey?: string;
  /** On a county's case: the code of the township it came from (the `source-township` target). */
  sourceTenant?: string;
};
