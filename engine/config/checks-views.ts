// Semantic checks for `views`: workbenches name known posts, and their tabs filter on states,
// grades and categories that exist; ids are unique where a screen addresses them.
import { type Issue, issue } from "#engine/issues";
import type { TownshipConfig } from "#schemas/township-config";

type Path = Array<string | number>;

export function viewIssues(config: TownshipConfig): Issue[] {
  const views = config.views;
  if (!views) return [];
  const out: Issue[] = [];
  const postIds = new Set((config.posts ?? []).map((p) => p.id));
  const gradeIds = new Set((config.grades ?? []).map((g) => g.id));
  const categoryIds = new Set((config.categories ?? []).map((c) => c.id));
  const stateIds = new Set(Object.values(config.workflows ?? {}).flatMap((w) => Object.keys(w.states)));
  const missing = (path: Path, what: { zh: string; en: string }, ref: string) =>
    out.push(issue(path, "reference.missing", `${what.zh}“${ref}”不存在`, `${what.en} "${ref}" does not exist`));
  const STATE = { zh: "状态", en: "State" };

  const seen = new Set<string>();
  (views.workbenches ?? []).forEach((wb, w) => {
    const at = (...rest: Path): Path => ["views", "workbenches", w, ...rest];
    if (seen.has(wb.id)) out.push(issue(at("id"), "duplicate-id", `编号重复：${wb.id}`, `Duplicate id: ${wb.id}`));
    seen.add(wb.id);
    wb.posts.forEach((p, k) => {
      if (p !== "*" && !postIds.has(p)) missing(at("posts", k), { zh: "岗位", en: "Post" }, p);
    });
    const tabs = new Set<string>();
    wb.tabs.forEach((tab, t) => {
      if (tabs.has(tab.id))
        out.push(issue(at("tabs", t, "id"), "duplicate-id", `编号重复：${tab.id}`, `Duplicate id: ${tab.id}`));
      tabs.add(tab.id);
      const f = tab.filter;
      f.states?.forEach((s, k) => {
        if (!stateIds.has(s)) missing(at("tabs", t, "filter", "states", k), STATE, s);
      });
      f.grades?.forEach((g, k) => {
        if (!gradeIds.has(g)) missing(at("tabs", t, "filter", "grades", k), { zh: "事件等级", en: "Grade" }, g);
      });
      f.categories?.forEach((c, k) => {
        if (!categoryIds.has(c))
          missing(at("tabs", t, "filter", "categories", k), { zh: "事件类别", en: "Category" }, c);
      });
    });
  });
  views.doneStates?.forEach((s, k) => {
    if (!stateIds.has(s)) missing(["views", "doneStates", k], STATE, s);
  });
  return out;
}
