// From the audit trail to facts.
import type { TownshipConfig } from "#schemas/township-config";
import { ACTION_FACTS } from "#engine/actions";
import { configDefaults } from "#engine/config/defaults";
import type { Fact, FactAssignment, FactName } from "./facts";
import { DAY_MS, iso, isRecord, ms, str, strings } from "./shared";

/** An AuditEvent row as the server reads it. */
export type AuditEventLike = {
  seq: number;
  caseId?: string | null;
  actorId?: string | null;
  type: string;
  data: unknown;
  at: string | Date;
};

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
  /** On a county's case: the code of the township it came from (Case.sourceTenant). */
  sourceTenant?: string | null;
  /** The intake data (an appeal names the disputed entry there). */
  data?: Record<string, unknown>;
};

export type FactsOptions = {
  /** The config version a case runs on (Case.configVersion); default the `config` argument for every case. */
  configFor?: (c: CaseFactsLike) => TownshipConfig | undefined;
};

function assignmentOf(v: unknown): FactAssignment | undefined {
  if (!isRecord(v)) return undefined;
  const lead = str(v.leadUnitId);
  const users = strings(v.assigneeUserIds);
  return {
    ...(lead ? { leadUnitId: lead } : {}),
    assistUnitIds: strings(v.assistUnitIds),
    ...(users.length ? { assigneeUserIds: users } : {}),
  };
}

/** Started days between the due instant and the stop; 0 when met. */
function overdueDays(dueAt: string, stoppedAt: string): number {
  const late = ms(stoppedAt) - ms(dueAt);
  return late > 0 ? Math.ceil(late / DAY_MS) : 0;
}

type CaseRun = { assignment: FactAssignment; gradeId: string; overdue: Set<string> };

/**
 * The facts of a trail, in event order. Events of cases not in `cases`, and events without a case,
 * are skipped. Pass the whole trail of the cases you evaluate (not only the period's events): a
 * fact's assignment and grade come from the events before it.
 */
export function factsFromTrail(
  config: TownshipConfig,
  events: readonly AuditEventLike[],
  cases: readonly CaseFactsLike[],
  options: FactsOptions = {},
): Fact[] {
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
        ...(c.sourceTenant ? { sourceTenant: c.sourceTenant } : {}),
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
        const yielded = Object.hasOwn(ACTION_FACTS, action)
          ? ACTION_FACTS[action as keyof typeof ACTION_FACTS]
          : undefined;
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
      const yielded =
        typeof data.type === "string" && Object.hasOwn(ACTION_FACTS, data.type)
          ? ACTION_FACTS[data.type as keyof typeof ACTION_FACTS]
          : undefined;
      if (
        data.superseded !== true &&
        (yielded === "supervision.sheet-issued" || yielded === "supervision.talk-ordered")
      ) {
        emit(yielded, { trigger: "ladder", ...(deadlineKind ? { deadlineKind } : {}) });
      }
    }
  }
  return out;
}
