// The township admin edits scoring rules and workbenches in the config editor (issue 6) on real
// PostgreSQL: a bad rule or view is refused with the CLI's bilingual issues, a good edit is
// published as version 2 with only the overrides written, and then the score job and the
// workbench follow the new config.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportCase } from "#app/server/cases.server";
import { checkEdit, configEditAction, loadConfigAdmin, publishEdit } from "#app/server/config-admin.server";
import { scoreCase } from "#app/server/scoring.server";
import { loadWorkbench } from "#app/server/workbench.server";
import { transitionCase } from "#app/server/workflow.server";
import type { Json } from "#engine/config/id-paths";
import { sectionValue } from "#engine/config/overrides";
import { seededDatabase, teardown, validDispute, type Seeded } from "./helpers";
import { withMessage } from "#app/locales/issues/index";

type Rule = { id: string; on: Json; points: Json };
type Tab = { id: string; name: { zh: string; en?: string }; filter: { [key: string]: Json } };
type Workbench = { id: string; posts: string[]; tabs: Tab[] };

let s: Seeded;
beforeAll(async () => {
  s = await seededDatabase();
});
afterAll(() => teardown(s));

const ctx = (login: string) => s.context(login);

async function report() {
  const r = await reportCase(await ctx("east.grid1"), { categoryId: "dispute", data: validDispute }, new Date());
  if (!r.ok) throw new Error(JSON.stringify(r));
  return r.caseId;
}

const gridReportedPoints = async (caseId: string) => {
  await scoreCase(s.db, caseId);
  return (await s.db.scoreEntry.findMany({ where: { caseId, rule: "grid-reported" } })).map((e) => e.points);
};

describe("scoring rules and workbenches in the config editor", () => {
  it("refuses a rule on an unknown fact and a workbench for an unknown post, in Chinese and English, and publishes nothing", async () => {
    const admin = await ctx("east.admin");
    const state = await loadConfigAdmin(s.db, admin);
    const rules = structuredClone(sectionValue(state.latest.document, "scoring")) as Rule[];
    rules.find((r) => r.id === "returned")!.on = "case.lost";
    const workbenches = structuredClone(sectionValue(state.latest.document, "views")) as Workbench[];
    workbenches.find((w) => w.id === "assignee")!.posts.push("night-watch");

    const checked = checkEdit(state, admin, { kind: "sections", sections: { scoring: rules, views: workbenches } });
    expect(checked.ok).toBe(false);
    if (checked.ok) return;
    const byPath = Object.fromEntries(checked.issues.map((i) => [i.path, withMessage(i)]));
    expect(byPath["/scoring/rules/returned/on"]).toMatchObject({
      code: "scoring.fact-unknown",
      message: {
        zh: expect.stringContaining("未知的考评事实“case.lost”"),
        en: expect.stringContaining('Unknown fact "case.lost"'),
      },
    });
    expect(byPath["/views/workbenches/assignee/posts/1"]).toEqual({
      path: "/views/workbenches/assignee/posts/1",
      code: "reference.missing",
      params: { what: "post", ref: "night-watch" },
      message: { zh: "岗位“night-watch”不存在", en: 'Post "night-watch" does not exist' },
      where: "config",
    });

    // The same over the editor's action (intent=validate), as the page shows it.
    const form = new FormData();
    form.set("intent", "validate");
    form.set("edit", JSON.stringify({ kind: "sections", sections: { scoring: rules } }));
    const answer = (await (await configEditAction(s.db, admin, form)).json()) as {
      ok: boolean;
      issues: Array<{ code: string }>;
    };
    expect(answer.ok).toBe(false);
    expect(answer.issues.map((i) => i.code)).toContain("scoring.fact-unknown");

    expect(
      await publishEdit(s.db, admin, { kind: "sections", sections: { scoring: rules } }, 1, new Date()),
    ).toMatchObject({
      ok: false,
    });
    expect(await s.db.configVersion.count({ where: { tenantId: admin.tenant.id } })).toBe(1);
  });

  it("publishes new points and a renamed, widened tab as version 2; scoring and the workbench follow it", async () => {
    const before = await report();
    const triaged = await report();
    const routing = await ctx("east.routing");
    const row = await s.db.case.findUniqueOrThrow({ where: { id: triaged } });
    const fired = await transitionCase(
      s.db,
      routing,
      triaged,
      {
        transitionId: "triage",
        input: { gradeId: "general" },
        expectedVersion: row.version,
      },
      new Date(),
    );
    if (!fired.ok) throw new Error(JSON.stringify(fired));
    const oldTab = (await loadWorkbench(routing, { tab: "to-triage" }, new Date(), "zh-CN")).tabs.find(
      (t) => t.id === "to-triage",
    );
    expect(oldTab).toEqual({ id: "to-triage", name: "待研判", count: 1 });

    const admin = await ctx("east.admin");
    const state = await loadConfigAdmin(s.db, admin);
    const rules = structuredClone(sectionValue(state.latest.document, "scoring")) as Rule[];
    rules.find((r) => r.id === "grid-reported")!.points = 3;
    const workbenches = structuredClone(sectionValue(state.latest.document, "views")) as Workbench[];
    const tab = workbenches.find((w) => w.id === "command-room")!.tabs.find((t) => t.id === "to-triage")!;
    tab.name.zh = "待研判及待交办";
    tab.filter.states = ["reported", "triage"];
    const edit = { kind: "sections" as const, sections: { scoring: rules, views: workbenches } };

    const checked = checkEdit(state, admin, edit);
    if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
    expect(checked.changes.map((c) => c.zh)).toHaveLength(3);
    expect(checked.changes.map((c) => c.zh).join("\n")).toContain("0.5 → 3");
    expect(checked.changes.map((c) => c.en).join("\n")).toContain("待研判及待交办");

    expect(await publishEdit(s.db, admin, edit, 1, new Date())).toEqual({ ok: true, version: 2, status: "published" });
    const v2 = await s.db.configVersion.findFirstOrThrow({ where: { tenantId: admin.tenant.id, version: 2 } });
    const source = v2.source as { scoring?: unknown; views?: unknown };
    expect(source.scoring).toEqual({ rules: [{ id: "grid-reported", points: 3 }] });
    expect(source.views).toEqual({
      workbenches: [
        {
          id: "command-room",
          tabs: [
            { id: "to-triage", name: { zh: "待研判及待交办" }, filter: { states: { $append: ["triage"] } } },
            // East Lake's own tab (tasks from the county), as it was written.
            expect.objectContaining({ id: "county-tasks" }),
          ],
        },
      ],
    });

    // A case reported before publishing is scored by the rules then in force; one after, by the new ones.
    const after = await report();
    expect(await gridReportedPoints(before)).toEqual([0.5]);
    expect(await gridReportedPoints(after)).toEqual([3]);

    const workbench = await loadWorkbench(await ctx("east.routing"), { tab: "to-triage" }, new Date(), "zh-CN");
    expect(workbench.tabs.find((t) => t.id === "to-triage")).toEqual({
      id: "to-triage",
      name: "待研判及待交办",
      count: 3,
    });
    expect(workbench.rows.map((r) => r.id).sort()).toEqual([before, triaged, after].sort());
    const english = await loadWorkbench(await ctx("east.routing"), { tab: "to-triage" }, new Date(), "en");
    expect(english.tabs.find((t) => t.id === "to-triage")?.name).toBe("To triage");
  });
});
