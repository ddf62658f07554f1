import { describe, expect, it } from "vitest";
import { livenessIssues } from "#engine/config/checks-liveness";
import { resolveConfig } from "#engine/config/resolve";
import { validateTownshipConfig } from "#engine/config/validate";
import type { TownshipConfig } from "#schemas/township-config";
import { demoConfig, hasCjk, listTenantJson, readTenantJson, templateLookup, type MutableConfig } from "./helpers";
import { issueMessage } from "#app/locales/issues/index";

const noActor = (config: MutableConfig) => livenessIssues(config as TownshipConfig);

/** The transitions leaving `from` in the demo's case-loop workflow. */
const leaving = (config: MutableConfig, from: string) =>
  (config.workflows["case-loop"].transitions as Array<{ from: string[]; by?: string[] }>).filter((t) =>
    t.from.includes(from),
  );

describe("liveness: someone can move every open state", () => {
  it.each([...listTenantJson("templates"), ...listTenantJson("townships")])("%s passes", (file) => {
    const resolved = resolveConfig(readTenantJson(file), templateLookup);
    expect(resolved.ok).toBe(true);
    if (!resolved.ok) return;
    expect(livenessIssues(resolved.value as TownshipConfig)).toEqual([]);
  });

  it.each<[string, (c: MutableConfig) => void, Array<{ path: string; en: RegExp }>]>([
    [
      "a state whose only transitions name a post that is not configured",
      (c) => {
        for (const t of leaving(c, "feedback")) t.by = ["ghost-post"];
      },
      [
        {
          path: "/workflows/case-loop/states/feedback",
          en: /state "Feedback given".*post "ghost-post" does not exist/,
        },
      ],
    ],
    [
      "a state whose transitions name nobody",
      (c) => {
        for (const t of leaving(c, "revisit")) t.by = [];
      },
      [{ path: "/workflows/case-loop/states/revisit", en: /names nobody/ }],
    ],
    [
      "a grade whose analysis post does not exist",
      (c) => {
        c.posts = c.posts.filter((p: { id: string }) => p.id !== "director");
        c.grades.find((g: { id: string }) => g.id === "major").analysis = { by: "post", post: "director" };
        for (const t of c.workflows["case-loop"].transitions) {
          t.by = t.by.filter((b: string) => b !== "director");
          if (t.id === "escalate") t.by = ["$grade-analyst"];
        }
        c.modes.switchBy = ["executive-deputy"];
      },
      [
        {
          path: "/workflows/case-loop/states/triage",
          en: /Major multi-span case in peacetime.*analysis of Major multi-span post "director" does not exist/,
        },
      ],
    ],
    [
      "duty-leader analysis without a rota, in peacetime only (wartime puts the leadership on duty)",
      (c) => {
        delete c.dutyRota.post;
      },
      [{ path: "/workflows/case-loop/states/triage", en: /Difficult case in peacetime.*no duty rota/ }],
    ],
  ])("finds %s", (_name, edit, expected) => {
    const config = demoConfig();
    edit(config);
    const issues = noActor(config);
    for (const e of expected) {
      const hit = issues.find((i) => i.path === e.path && e.en.test(issueMessage(i).en));
      expect(hit, `${e.path} ${e.en} in ${JSON.stringify(issues.map((i) => issueMessage(i).en))}`).toBeDefined();
      expect(hit!.code).toBe("workflow.no-actor");
      expect(hasCjk(issueMessage(hit!).zh)).toBe(true);
      expect(issueMessage(hit!).zh).toContain("没有任何人能推进事件");
    }
  });

  it("is part of validation once the references hold: the config is refused", () => {
    const config = demoConfig();
    for (const t of leaving(config, "feedback")) t.by = [];
    const result = validateTownshipConfig(config);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => [i.path, i.code])).toEqual([
      ["/workflows/case-loop/states/feedback", "workflow.no-actor"],
    ]);
  });

  it("a missing analysis post is reported once, at the grade, not again at every state", () => {
    const config = demoConfig();
    config.grades.find((g: { id: string }) => g.id === "major").analysis.post = "mayor";
    const result = validateTownshipConfig(config);
    expect(result.ok ? [] : result.issues.map((i) => [i.path, i.code])).toEqual([
      ["/grades/2/analysis/post", "reference.missing"],
    ]);
  });
});
