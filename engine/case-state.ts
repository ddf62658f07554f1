// The data the workflow engine reads and returns: a case as the engine sees it, who is acting,
// and deadlines. Instants are ISO 8601 strings (UTC) so states and effects survive JSON unchanged.
import type { DurationUnit } from "./calendar";

export type Mode = "peacetime" | "wartime";

type Assignment = {
  /** The unit that leads the handling (主办). */
  leadUnitId?: string;
  /** Units that assist (协办). */
  assistUnitIds: string[];
  /** People named directly, in addition to the units. */
  assigneeUserIds?: string[];
  /** Who dispatched: a return (退回) goes back to them. */
  assignedBy?: string;
  assignedAt?: string;
};

/** One running clock of a case: a handling deadline, a review deadline … */
export type Deadline = {
  /** Unique within the case: `<kind>@<case version that set it>`; part of every dedupe key of its ladder. */
  id: string;
  kind: string;
  policyId: string;
  /** The mode the deadline was set in: it picks the duration and the reminders, and stays. */
  mode: Mode;
  /** The unit of the duration that set it; a pause is given back in this unit. */
  unit: DurationUnit;
  startedAt: string;
  dueAt: string;
  pausedAt?: string;
  /** How many steps of the policy's ladder are done (fired or skipped). */
  ladderStep: number;
};

export type CaseState = {
  id: string;
  tenantId: string;
  /** Optimistic-lock version; every accepted change returns version + 1. */
  version: number;
  workflowId: string;
  state: string;
  gradeId: string;
  categoryId: string;
  platformId: string;
  orgUnitId: string;
  reporterId: string;
  assignment: Assignment;
  deadlines: Deadline[];
  escalatedTo?: "county";
  /** Who escalated: the county's return goes back to them. */
  escalatedBy?: string;
  /** The township's current mode, read by the caller from the tenant. */
  mode: Mode;
  data: Record<string, unknown>;
};

export type ActorContext = {
  userId: string;
  /** The tenant the actor acts for: the township, or the county for county staff. */
  tenantId: string;
  unitId: string;
  posts: readonly string[];
  /** "system" is the periodic sweep; it may only send `tick`. */
  kind: "township" | "county" | "system";
  /** Computed by the caller with engine/rota.ts isDutyLeader (wartime is applied by the engine too). */
  isDutyLeaderToday?: boolean;
};

export const SYSTEM_ACTOR: ActorContext = { userId: "system", tenantId: "", unitId: "", posts: [], kind: "system" };

/** The deadline a guard or action names (`kind`; default the config's main deadline). */
export const deadlineOfKind = (
  config: { defaults: { mainDeadline: string } },
  state: Pick<CaseState, "deadlines">,
  kind: string | undefined,
) => state.deadlines.find((d) => d.kind === (kind ?? config.defaults.mainDeadline));
