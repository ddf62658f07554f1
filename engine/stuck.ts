// Stuck cases (ADR 037): an open case is stuck when no current member can perform any of its
// outgoing transitions today (the post is unstaffed, nobody is on the rota, the backup is away …).
// The config-level counterpart, "someone could be staffed", is engine/config/checks-liveness.ts.
import type { ActorContext, CaseState } from "./case-state";
import type { CompiledConfig } from "./config/compile";
import { availableTransitions } from "./workflow";

export type StaffMember = {
  userId: string;
  unitId: string;
  posts: readonly string[];
  /** AB岗: posts this person acts in while every primary holder is away. */
  backupPosts?: readonly string[];
  /** On leave or training today: acts in nothing, and their backups step in. */
  away?: boolean;
};

export type Staffing = {
  /** The township's active members. */
  members: readonly StaffMember[];
  /** Today's duty leaders from the rota (user ids). */
  dutyLeaderIds: readonly string[];
  /** Whether a county centre stands above the township (`$county` can act). */
  county: boolean;
};

/** The posts each present member acts in: their own, plus backed-up posts whose primaries are all away. */
function actingPosts(members: readonly StaffMember[]): Map<string, string[]> {
  const acting = new Map<string, string[]>();
  for (const m of members) {
    if (m.away) continue;
    const stepIn = (m.backupPosts ?? []).filter((post) => {
      const holders = members.filter((h) => h.posts.includes(post));
      return holders.length > 0 && holders.every((h) => h.away);
    });
    acting.set(m.userId, [...new Set([...m.posts, ...stepIn])]);
  }
  return acting;
}

/** Who could move the case now: member user ids, and "$county" for the county centre. */
export function caseMovers(config: CompiledConfig, state: CaseState, staffing: Staffing, now: Date): string[] {
  const workflow = config.workflows.get(state.workflowId);
  if (!workflow || workflow.states[state.state]?.final) return [];
  const acting = actingPosts(staffing.members);
  const actors: ActorContext[] = staffing.members
    .filter((m) => acting.has(m.userId))
    .map((m) => ({
      userId: m.userId,
      tenantId: state.tenantId,
      unitId: m.unitId,
      posts: acting.get(m.userId)!,
      kind: "township",
      isDutyLeaderToday: staffing.dutyLeaderIds.includes(m.userId),
    }));
  if (staffing.county) actors.push({ userId: "$county", tenantId: "", unitId: "", posts: [], kind: "county" });
  return actors.filter((a) => availableTransitions(config, state, a, now).length > 0).map((a) => a.userId);
}

/** A case that is open and that nobody can move. */
export function isStuck(config: CompiledConfig, state: CaseState, staffing: Staffing, now: Date): boolean {
  const workflow = config.workflows.get(state.workflowId);
  if (!workflow || workflow.states[state.state]?.final) return false;
  return caseMovers(config, state, staffing, now).length === 0;
}

/**
 * The posts whose holders' absence would leave this (movable) case stuck: with every holder away
 * (their backups stepping in), nobody could move it. Empty for a stuck case.
 */
export function criticalPosts(config: CompiledConfig, state: CaseState, staffing: Staffing, now: Date): string[] {
  const movers = caseMovers(config, state, staffing, now);
  if (!movers.length || movers.includes("$county")) return [];
  const acting = actingPosts(staffing.members);
  // Only a post every mover acts in can take all of them away at once.
  const [first, ...rest] = movers.map((id) => acting.get(id) ?? []);
  const shared = (first ?? []).filter((post) => rest.every((posts) => posts.includes(post)));
  return shared.filter((post) => {
    const members = staffing.members.map((m) => (m.posts.includes(post) ? { ...m, away: true } : m));
    return caseMovers(config, state, { ...staffing, members }, now).length === 0;
  });
}
