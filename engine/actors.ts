// Who is who for a case: matching an actor against a `by` entry (a post, `*`, or a special actor
// such as `$assignee`), and turning the same entries into notification recipients.
import { dutyDate, allLeadershipOnDuty } from "./rota";
import type { ActorContext, CaseState, Mode } from "./case-state";
import type { CompiledConfig, Grade } from "./config/compile";

export type GradeAnalysis = Grade["analysis"];

/** Who analyses a grade in a mode: the mode's override (modes.<mode>.grades), else the grade's own rule. */
export function gradeAnalysis(config: CompiledConfig, gradeId: string, mode: Mode): GradeAnalysis | undefined {
  const override = config.config.modes?.[mode]?.grades;
  if (override && Object.hasOwn(override, gradeId)) return override[gradeId]!.analysis;
  return config.grades.get(gradeId)?.analysis;
}

const holdsAny = (actor: ActorContext, posts: readonly string[]) => actor.posts.some((p) => posts.includes(p));

/** On duty now: the rota says so (ActorContext.isDutyLeaderToday), or wartime puts the whole leadership on duty. */
function isOnDuty(config: CompiledConfig, mode: Mode, actor: ActorContext): boolean {
  if (actor.kind !== "township") return false;
  return (
    actor.isDutyLeaderToday === true || (allLeadershipOnDuty(config, mode) && holdsAny(actor, config.leadershipPosts))
  );
}

function isAssignee(state: CaseState | undefined, actor: ActorContext, leadOnly: boolean): boolean {
  if (!state || actor.kind === "system") return false;
  const a = state.assignment;
  if (a.assigneeUserIds?.includes(actor.userId)) return true;
  if (a.leadUnitId !== undefined && a.leadUnitId === actor.unitId) return true;
  return !leadOnly && a.assistUnitIds.includes(actor.unitId);
}

/** Whether the actor is who `entry` names, for this case (or for the tenant, without a case). */
export function actorMatches(
  config: CompiledConfig,
  state: CaseState | undefined,
  mode: Mode,
  actor: ActorContext,
  entry: string,
): boolean {
  if (actor.kind === "system") return false;
  const township = actor.kind === "township";
  switch (entry) {
    case "*":
    case "$anyone":
      return township;
    case "$assignee":
      return isAssignee(state, actor, false);
    case "$lead-assignee":
      return isAssignee(state, actor, true);
    case "$grade-analyst": {
      const analysis = state && gradeAnalysis(config, state.gradeId, mode);
      if (!analysis || !township) return false;
      if (analysis.by === "post") return analysis.post !== undefined && actor.posts.includes(analysis.post);
      if (analysis.by === "duty-leader") return isOnDuty(config, mode, actor);
      if (analysis.by === "leadership") return holdsAny(actor, config.leadershipPosts);
      return true; // "none": no analysis step, any member may dispatch
    }
    case "$duty-leader":
      return isOnDuty(config, mode, actor);
    case "$leadership":
      return township && holdsAny(actor, config.leadershipPosts);
    case "$reporter":
      return state !== undefined && actor.userId === state.reporterId;
    case "$county":
      return actor.kind === "county";
    default:
      return township && actor.posts.includes(entry);
  }
}

export type Recipients = {
  posts: string[];
  units?: string[];
  users?: string[];
  dutyLeaderOn?: string;
  county?: boolean;
};

/** The people `entries` name, as the notify effect's recipient fields (empty fields left out). */
export function resolveRecipients(
  config: CompiledConfig,
  state: CaseState | undefined,
  mode: Mode,
  entries: readonly string[],
  now: Date,
): Recipients {
  const posts = new Set<string>();
  const units = new Set<string>();
  const users = new Set<string>();
  let dutyLeaderOn: string | undefined;
  let county = false;
  const duty = () => {
    if (allLeadershipOnDuty(config, mode)) config.leadershipPosts.forEach((p) => posts.add(p));
    else dutyLeaderOn = dutyDate(config, now);
  };
  const assignees = (leadOnly: boolean) => {
    if (!state) return;
    if (state.assignment.leadUnitId) units.add(state.assignment.leadUnitId);
    if (!leadOnly) state.assignment.assistUnitIds.forEach((u) => units.add(u));
    state.assignment.assigneeUserIds?.forEach((u) => users.add(u));
  };
  for (const entry of entries) {
    switch (entry) {
      case "*":
      case "$anyone":
        break;
      case "$assignee":
        assignees(false);
        break;
      case "$lead-assignee":
        assignees(true);
        break;
      case "$grade-analyst": {
        const analysis = state && gradeAnalysis(config, state.gradeId, mode);
        if (analysis?.by === "post" && analysis.post) posts.add(analysis.post);
        else if (analysis?.by === "duty-leader") duty();
        else if (analysis?.by === "leadership") config.leadershipPosts.forEach((p) => posts.add(p));
        break;
      }
      case "$duty-leader":
        duty();
        break;
      case "$leadership":
        config.leadershipPosts.forEach((p) => posts.add(p));
        break;
      case "$reporter":
        if (state) users.add(state.reporterId);
        break;
      case "$county":
        county = true;
        break;
      default:
        posts.add(entry);
    }
  }
  return {
    posts: [...posts],
    ...(units.size ? { units: [...units] } : {}),
    ...(users.size ? { users: [...users] } : {}),
    ...(dutyLeaderOn ? { dutyLeaderOn } : {}),
    ...(county ? { county } : {}),
  };
}

export function hasRecipients(r: Recipients): boolean {
  return (
    r.posts.length > 0 ||
    Boolean(r.units?.length) ||
    Boolean(r.users?.length) ||
    r.dutyLeaderOn !== undefined ||
    r.county === true
  );
}
