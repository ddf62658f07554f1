// Workbenches from the config's views: who gets which workbench, what each tab filters on, and
// the semantic checks that keep views pointing at posts, states, grades and categories that exist.
import { describe, expect, it } from "vitest";
import { viewIssues } from "#engine/config/checks-views";
import { validateTownshipConfig } from "#engine/config/validate";
import type { TownshipConfig } from "#schemas/township-config";
import {
  columnsOf,
  DEFAULT_COLUMNS,
  doneStates,
  lastDays,
  tabFilter,
  townshipDay,
  workbenchFor,
  workbenchesFor,
} from "#engine/views";
import { demoConfig, loadTownship } from "./helpers";
import { issueMessage } from "#app/locales/issues/index";

const ZONE = "Asia/Shanghai";

const { resolved: config, compiled } = loadTownship("east-lake");
const now = new Date("2026-03-02T01:00:00Z");
const me = { userId: "u-1", unitId: "grid-qiaotou-1" };

describe("workbenchFor", () => {
  it.each([
    [["routing"], "command-room"],
    [["analysis"], "command-room"],
    [["director"], "command-room"],
    [["platform-lead"], "assignee"],
    [["grid-worker"], "grid"],
    [["village-station"], "grid"],
    [["grid-worker", "routing"], "command-room"],
    [["township-admin"], null],
    [[], null],
  ] as const)("posts %j get %s", (posts, expected) => {
    expect(workbenchFor(config, posts)?.id ?? null).toBe(expected);
  });

  it("gives the asked-for workbench only when the user may use it", () => {
    expect(workbenchFor(config, ["grid-worker", "routing"], "grid")?.id).toBe("grid");
    expect(workbenchFor(config, ["grid-worker"], "command-room")?.id).toBe("grid");
    expect(workbenchesFor(config, ["grid-worker", "platform-lead"]).map((w) => w.id)).toEqual(["assignee", "grid"]);
  });

  it('"*" names every member', () => {
    const c = {
      ...config,
      views: {
        workbenches: [
          { id: "all", name: { zh: "全部" }, posts: ["*"], tabs: [{ id: "a", name: { zh: "全部" }, filter: {} }] },
        ],
      },
    } as TownshipConfig;
    expect(workbenchFor(c, ["township-admin"])?.id).toBe("all");
    expect(columnsOf(workbenchFor(c, [])!)).toEqual(DEFAULT_COLUMNS);
  });

  it("uses the configured columns", () => {
    expect(columnsOf(workbenchFor(config, ["routing"])!)).toEqual([
      "number",
      "title",
      "category",
      "grade",
      "status",
      "orgUnit",
      "reportedAt",
      "dueAt",
    ]);
  });
});

describe("tabFilter", () => {
  const soonEnd = "2026-03-04T01:00:00.000Z";
  it.each([
    ["states", { states: ["reported"] }, { states: ["reported"] }],
    ["reported by me", { mine: "reported" }, { reporterId: "u-1" }],
    ["my unit", { mine: "unit" }, { orgUnitId: "grid-qiaotou-1" }],
    [
      "assigned to my unit",
      { mine: "assigned", states: ["dispatched", "handling"] },
      { states: ["dispatched", "handling"], assignedUnitId: "grid-qiaotou-1" },
    ],
    ["overdue", { due: "overdue" }, { hasDue: true, dueBefore: now.toISOString() }],
    ["due within 2 days", { due: "soon" }, { hasDue: true, dueFrom: now.toISOString(), dueBefore: soonEnd }],
    ["any deadline", { due: "any" }, { hasDue: true }],
    ["supervised", { supervised: true }, { supervised: true }],
    ["not supervised", { supervised: false }, { supervised: false }],
    [
      "grades and categories",
      { grades: ["major"], categories: ["dispute"] },
      { grades: ["major"], categories: ["dispute"] },
    ],
    ["nothing", {}, {}],
  ] as const)("%s", (_name, filter, expected) => {
    expect(tabFilter({ filter: filter as never }, me, now)).toEqual(expected);
  });

  it("every shipped tab gives a filter", () => {
    for (const wb of config.views?.workbenches ?? [])
      for (const tab of wb.tabs) expect(tabFilter(tab, me, now)).toBeTypeOf("object");
  });
});

describe("dashboard helpers", () => {
  it("done states are the final ones plus views.doneStates", () => {
    expect(doneStates(compiled)).toEqual(
      ["accepted", "archived", "closed", "rejected", "upheld", "withdrawn"].filter((s) =>
        [...compiled.workflows.values()].some((w) => w.states[s]),
      ),
    );
    expect(doneStates(compiled)).toContain("closed");
  });

  it.each([
    ["2026-03-01T15:59:59Z", "2026-03-01"],
    ["2026-03-01T16:00:00Z", "2026-03-02"],
  ])("%s is %s in China", (at, day) => {
    expect(townshipDay(ZONE, new Date(at))).toBe(day);
  });

  it("lists the last days oldest first", () => {
    expect(lastDays(ZONE, now, 3)).toEqual(["2026-02-28", "2026-03-01", "2026-03-02"]);
  });

  it.each([
    // Clocks go forward on 29 March: that day has 23 hours.
    ["2026-03-29T22:30:00Z", ["2026-03-28", "2026-03-29", "2026-03-30"]],
    // Clocks go back on 25 October: that day has 25 hours.
    ["2026-10-26T22:30:00Z", ["2026-10-24", "2026-10-25", "2026-10-26"]],
  ])("steps calendar days across a DST change in Europe/Berlin (%s)", (at, days) => {
    expect(lastDays("Europe/Berlin", new Date(at), 3)).toEqual(days);
  });
});

describe("viewIssues", () => {
  const withViews = (views: unknown) => ({ ...demoConfig(), views }) as unknown as TownshipConfig;
  const wb = (over: Record<string, unknown> = {}, filter: Record<string, unknown> = {}) => ({
    id: "w",
    name: { zh: "台" },
    posts: ["routing"],
    tabs: [{ id: "t", name: { zh: "签" }, filter }],
    ...over,
  });

  it("accepts the shipped views", () => {
    expect(viewIssues(config)).toEqual([]);
  });

  it.each([
    ["an unknown post", wb({ posts: ["routing", "nobody"] }), "/views/workbenches/0/posts/1"],
    ["an unknown state", wb({}, { states: ["limbo"] }), "/views/workbenches/0/tabs/0/filter/states/0"],
    ["an unknown grade", wb({}, { grades: ["huge"] }), "/views/workbenches/0/tabs/0/filter/grades/0"],
    ["an unknown category", wb({}, { categories: ["ufo"] }), "/views/workbenches/0/tabs/0/filter/categories/0"],
  ])("finds %s", (_name, workbench, path) => {
    const issues = viewIssues(withViews({ workbenches: [workbench] }));
    expect(issues.map((i) => [i.path, i.code])).toEqual([[path, "reference.missing"]]);
    expect(issueMessage(issues[0]!).zh).toMatch(/不存在/);
  });

  it("finds duplicate workbench and tab ids and unknown done states", () => {
    const twice = wb({
      tabs: [
        { id: "t", name: { zh: "一" }, filter: {} },
        { id: "t", name: { zh: "二" }, filter: {} },
      ],
    });
    const issues = viewIssues(withViews({ workbenches: [twice, wb()], doneStates: ["gone"] }));
    expect(issues.map((i) => [i.path, i.code]).sort()).toEqual([
      ["/views/doneStates/0", "reference.missing"],
      ["/views/workbenches/0/tabs/1/id", "duplicate-id"],
      ["/views/workbenches/1/id", "duplicate-id"],
    ]);
  });

  it("is wired into validateTownshipConfig, and the schema refuses unknown columns and filters", () => {
    const bad = validateTownshipConfig(withViews({ workbenches: [wb({ posts: ["ghost"] })] }));
    expect(bad.ok ? [] : bad.issues.map((i) => i.path)).toEqual(["/views/workbenches/0/posts/0"]);
    const shape = validateTownshipConfig(
      withViews({ workbenches: [wb({ columns: ["salary"] }, { mine: "everything" })] }),
    );
    expect(shape.ok).toBe(false);
    expect(shape.ok ? [] : shape.issues.map((i) => i.path)).toEqual(
      expect.arrayContaining(["/views/workbenches/0/columns/0", "/views/workbenches/0/tabs/0/filter/mine"]),
    );
  });
});
