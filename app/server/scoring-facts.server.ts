// Which audit events can make a scoring fact (engine/scoring/trail.ts factsFromTrail reads only these):
// applyOutcomes enqueues the "score" job for them. Kept apart from scoring.server.ts so effects
// need not import the scoring server (which imports effects for appeals).

/** case.reported, case.transition, and the overdue steps of case.deadline-step (reminders make no fact). */
export function auditMakesFacts(event: string, data: unknown): boolean {
  if (event === "case.reported" || event === "case.transition") return true;
  return event === "case.deadline-step" && (data as { phase?: unknown } | null)?.phase === "overdue";
}
