// Liveness (ADR 037): every non-final state of every workflow has, for every grade in each mode, an
// outgoing transition whose guard can hold and whose `by` names someone the config can staff. The
// runtime counterpart (who is staffed today) is engine/stuck.ts.
import { pointer, type Issue } from "#engine/issues";
import type { TownshipConfig } from "#schemas/township-config";

type Mode = "peacetime" | "wartime";
type Text = { zh: string; en: string };
type Spec = { type: string; params?: Record<string, unknown> };
type Grade = NonNullable<TownshipConfig["grades"]>[number];
type Analysis = Grade["analysis"];

const MODES: readonly Mode[] = ["peacetime", "wartime"];
const MODE_NAME: Record<Mode, Text> = {
  peacetime: { zh: "平时", en: "peacetime" },
  wartime: { zh: "战时", en: "wartime" },
};

/** A guard as far as the config alone decides it: mode and grade are known, the rest may hold. */
function mayHold(spec: Spec | undefined, mode: Mode, gradeId: string | undefined): boolean | undefined {
  if (!spec) return true;
  const p = spec.params ?? {};
  switch (spec.type) {
    case "mode":
      return p.mode === mode;
    case "grade-in":
      return gradeId === undefined ? undefined : (p.grades as string[]).includes(gradeId);
    case "all": {
      const r = (p.guards as Spec[]).map((g) => mayHold(g, mode, gradeId));
      return r.includes(false) ? false : r.includes(undefined) ? undefined : true;
    }
    case "any": {
      const r = (p.guards as Spec[]).map((g) => mayHold(g, mode, gradeId));
      return r.includes(true) ? true : r.includes(undefined) ? undefined : false;
    }
    case "not": {
      const r = mayHold(p.guard as Spec, mode, gradeId);
      return r === undefined ? undefined : !r;
    }
    default:
      return undefined;
  }
}

/** Who analyses a grade in a mode: the mode's override, else the grade's own rule. */
function analysisIn(config: TownshipConfig, grade: Grade, mode: Mode): Analysis {
  const override = config.modes?.[mode]?.grades;
  return override && Object.hasOwn(override, grade.id) ? override[grade.id]!.analysis : grade.analysis;
}

export function livenessIssues(config: TownshipConfig): Issue[] {
  const out: Issue[] = [];
  const postIds = new Set((config.posts ?? []).map((p) => p.id));
  const leadership = (config.posts ?? []).filter((p) => p.kind === "leadership").map((p) => p.id);
  const rotaPost = config.dutyRota?.post;
  const grades: Array<Grade | undefined> = config.grades?.length ? config.grades : [undefined];

  /** Why nobody is on duty in this mode, or undefined when someone can be. */
  const dutyGap = (mode: Mode): Text | undefined => {
    if (mode === "wartime" && config.dutyRota?.wartime === "all-leadership" && leadership.length) return undefined;
    if (!rotaPost) return { zh: "未配置值班轮值", en: "no duty rota is configured" };
    if (!postIds.has(rotaPost))
      return { zh: `值班岗位“${rotaPost}”不存在`, en: `the duty post "${rotaPost}" does not exist` };
    return undefined;
  };

  /** Why `entry` can name nobody for a case of this grade in this mode, or undefined when it can. */
  const gap = (entry: string, grade: Grade | undefined, mode: Mode): Text | undefined => {
    switch (entry) {
      case "*":
      case "$anyone":
      case "$assignee":
      case "$lead-assignee":
      case "$reporter":
      // The county side is the county config's to staff; for a township it is always there.
      case "$county":
        return undefined;
      case "$leadership":
        return leadership.length ? undefined : { zh: "没有领导班子岗位", en: "there is no leadership post" };
      case "$duty-leader":
        return dutyGap(mode);
      case "$grade-analyst": {
        if (!grade) return { zh: "没有配置事件等级", en: "no grades are configured" };
        const analysis = analysisIn(config, grade, mode);
        const name = { zh: `${grade.name.zh}的研判`, en: `analysis of ${grade.name.en ?? grade.name.zh}` };
        if (analysis.by === "post") {
          if (analysis.post && postIds.has(analysis.post)) return undefined;
          return {
            zh: `${name.zh}岗位“${analysis.post ?? ""}”不存在`,
            en: `the ${name.en} post "${analysis.post ?? ""}" does not exist`,
          };
        }
        if (analysis.by === "duty-leader") {
          const why = dutyGap(mode);
          return (
            why && {
              zh: `${name.zh}由值班领导负责，但${why.zh}`,
              en: `the ${name.en} is the duty leader's, but ${why.en}`,
            }
          );
        }
        if (analysis.by === "leadership" && !leadership.length)
          return {
            zh: `${name.zh}由领导班子负责，但没有领导班子岗位`,
            en: `the ${name.en} is the leadership's, but there is no leadership post`,
          };
        return undefined;
      }
      default:
        return postIds.has(entry) ? undefined : { zh: `岗位“${entry}”不存在`, en: `post "${entry}" does not exist` };
    }
  };

  for (const [workflowId, workflow] of Object.entries(config.workflows ?? {})) {
    const wfName = workflow.name ?? { zh: workflowId, en: workflowId };
    const transitions = workflow.transitions ?? [];
    for (const [stateId, state] of Object.entries(workflow.states)) {
      if (state.final) continue;
      const outgoing = transitions.filter((t) => t.from.includes(stateId));
      if (!outgoing.length) continue; // workflow.dead-end, reported by validate.ts
      // Each (grade, mode) with nobody, and the reasons the transitions gave.
      const failures: Array<{ grade: Grade | undefined; mode: Mode; reasons: Text[] }> = [];
      for (const grade of grades)
        for (const mode of MODES) {
          const reasons: Text[] = [];
          const someone = outgoing.some((t) => {
            const tName = { zh: t.name.zh, en: t.name.en ?? t.name.zh };
            if (mayHold(t.guard, mode, grade?.id) === false) return false;
            const by = t.by ?? [];
            if (!by.length) {
              reasons.push({ zh: `“${tName.zh}”没有指定执行者`, en: `"${tName.en}" names nobody in by` });
              return false;
            }
            const gaps = by.map((entry) => gap(entry, grade, mode));
            if (gaps.some((g) => g === undefined)) return true;
            reasons.push({
              zh: `“${tName.zh}”：${gaps.map((g) => g!.zh).join("，")}`,
              en: `"${tName.en}": ${gaps.map((g) => g!.en).join(", ")}`,
            });
            return false;
          });
          if (!someone) failures.push({ grade, mode, reasons });
        }
      if (!failures.length) continue;
      const stateName = { zh: state.name?.zh ?? stateId, en: state.name?.en ?? state.name?.zh ?? stateId };
      const all = failures.length === grades.length * MODES.length;
      const groups = all ? [failures] : failures.map((f) => [f]);
      for (const group of groups) {
        const f = group[0]!;
        const when: Text = all
          ? { zh: "", en: "" }
          : {
              zh: `${f.grade ? `${f.grade.name.zh}、` : ""}${MODE_NAME[f.mode].zh}时，`,
              en: ` for a ${f.grade ? `${f.grade.name.en ?? f.grade.name.zh} ` : ""}case in ${MODE_NAME[f.mode].en}`,
            };
        const reasons = f.reasons.length
          ? f.reasons
          : [{ zh: "没有可用的操作（条件都不满足）", en: "no transition's guard can hold" }];
        out.push({
          path: pointer("workflows", workflowId, "states", stateId),
          code: "workflow.no-actor",
          message: {
            zh: `流程“${wfName.zh}”的状态“${stateName.zh}”${when.zh}没有任何人能推进事件：${reasons.map((r) => r.zh).join("；")}`,
            en: `In workflow "${wfName.en ?? wfName.zh}", nobody can move a case out of state "${stateName.en}"${when.en}: ${reasons.map((r) => r.en).join("; ")}`,
          },
        });
      }
    }
  }
  return out;
}
