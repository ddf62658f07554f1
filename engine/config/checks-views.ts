// Semantic checks for `views`: workbenches name known posts, and their tabs filter on states,
// grades and categories that exist; ids are unique where a screen addresses them.
import { type Issue, issue, type RefKind } from "#engine/issues";
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
  const missing = (path: Path, what: RefKind, ref: string) => out.push(issue(path, "reference.missing", { what, ref }));
  const STATE = "state";

  const seen = new Set<string>();
  (views.workbenches ?? []).forEach((wb, w) => {
    const at = (...rest: Path): Path => ["views", "workbenches", w, ...rest];
    if (seen.has(wb.id)) out.push(issue(at("id"), "duplicate-id", { what: "id", id: wb.id }));
    seen.add(wb.id);
    wb.posts.forEach((p, k) => {
      if (p !== "*" && !postIds.has(p)) missing(at("posts", k), "post", p);
    });
    const tabs = new Set<string>();
    wb.tabs.forEach((tab, t) => {
      if (tabs.has(tab.id)) out.push(issue(at("tabs", t, "id"), "duplicate-id", { what: "id", id: tab.id }));
      tabs.add(tab.id);
      const f = tab.filter;
      f.states?.forEach((s, k) => {
        if (!stateIds.has(s)) missing(at("tabs", t, "filter", "states", k), STATE, s);
      });
      f.grades?.forEach((g, k) => {
        if (!gradeIds.has(g)) missing(at("tabs", t, "filter", "grades", k), "grade", g);
      });
      f.categories?.forEach((c, k) => {
        if (!categoryIds.has(c)) missing(at("tabs", t, "filter", "categories", k), "category", c);
      });
    });
  });
  views.doneStates?.forEach((s, k) => {
    if (!stateIds.has(s)) missing(["views", "doneStates", k], STATE, s);
  });
  return out;
}
