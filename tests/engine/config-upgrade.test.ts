import { describe, expect, it } from "vitest";
import { prepareConfig } from "#engine/config/index";
import { getAtIdPath } from "#engine/config/id-paths";
import type { TemplateLookup } from "#engine/config/resolve";
import {
  applyResolutions,
  upgradeConfig,
  type Resolution,
  type UpgradeFailure,
  type UpgradeResult,
} from "#engine/config/upgrade";
import { hasCjk, readTenantJson, templateLookup, type MutableConfig } from "./helpers";
import { issueMessage } from "#app/locales/issues/index";

const FROM = "command-room-guideline@1.0.0";
const TO = "command-room-guideline@1.1.0";

const base = () => readTenantJson(`templates/${FROM}.json`) as MutableConfig;
const byId = (list: Array<{ id: string }>, id: string) => list.find((x) => x.id === id) as MutableConfig;

/** The next template version: the shipped one, version bumped, then edited. */
function nextTemplate(edit: (t: MutableConfig) => void = () => {}): MutableConfig {
  const t = base();
  t.version = "1.1.0";
  edit(t);
  return t;
}

/** A small township: its own villages and grids, extending the shipped template. */
function township(edit: (s: MutableConfig) => void = () => {}): MutableConfig {
  const s: MutableConfig = {
    kind: "township",
    id: "south-lake",
    version: "1.0.0",
    extends: FROM,
    name: { zh: "南湖镇", en: "South Lake Town" },
    org: { units: [{ id: "village-a", kind: "village", parent: "command-room", name: { zh: "甲村" } }] },
  };
  edit(s);
  return s;
}

const lookupFor =
  (target: MutableConfig): TemplateLookup =>
  (ref) =>
    ref === TO ? target : templateLookup(ref);

function upgrade(
  source: MutableConfig,
  target: MutableConfig,
  resolutions?: Record<string, Resolution>,
): UpgradeResult {
  return upgradeConfig({
    source,
    base: base(),
    target,
    lookup: templateLookup,
    ...(resolutions ? { resolutions } : {}),
  });
}

function expectOk(result: UpgradeResult) {
  if (!result.ok)
    throw new Error(
      `expected the upgrade to succeed:\n${JSON.stringify({ conflicts: result.conflicts, issues: result.issues }, null, 2)}`,
    );
  return result;
}

function expectConflicts(result: UpgradeResult) {
  if (result.ok) throw new Error("expected conflicts, but the upgrade succeeded");
  return result;
}

const flood = {
  id: "flood",
  name: { zh: "防汛", en: "Flood" },
  platform: "platform-safety",
  defaultGrade: "general",
  intakeForm: "intake-hazard",
  workflow: "case-loop",
  deadlinePolicy: "standard",
};

describe("upgrading without conflicts", () => {
  const cases: Array<{
    name: string;
    source: (s: MutableConfig) => void;
    target: (t: MutableConfig) => void;
    check: (resolved: MutableConfig) => void;
  }> = [
    {
      name: "the township's override is kept where the template did not change",
      source: (s) => (s.categories = [{ id: "dispute", name: { zh: "邻里矛盾" } }]),
      target: (t) => (t.deadlinePolicies.standard.handle.amount = 3),
      check: (r) => {
        expect(byId(r.categories, "dispute").name).toEqual({ zh: "邻里矛盾", en: "Dispute" });
        expect(r.deadlinePolicies.standard.handle.amount).toBe(3);
      },
    },
    {
      name: "a category the template adds arrives",
      source: () => {},
      target: (t) => t.categories.push(flood),
      check: (r) => expect(byId(r.categories, "flood")).toEqual(flood),
    },
    {
      name: "a post the template removes goes (with the rules that named it)",
      source: () => {},
      target: (t) => {
        t.posts = t.posts.filter((p: { id: string }) => p.id !== "flexible");
        for (const rule of t.permissions) rule.posts = rule.posts.filter((p: string) => p !== "flexible");
      },
      check: (r) => expect(r.posts.map((p: { id: string }) => p.id)).not.toContain("flexible"),
    },
    {
      name: "the template changing a sibling of an overridden field is no conflict",
      source: (s) => (s.categories = [{ id: "dispute", name: { zh: "邻里矛盾" } }]),
      target: (t) => (byId(t.categories, "dispute").defaultGrade = "difficult"),
      check: (r) =>
        expect(byId(r.categories, "dispute")).toMatchObject({ name: { zh: "邻里矛盾" }, defaultGrade: "difficult" }),
    },
    {
      name: "both sides making the same change is no conflict",
      source: (s) => (s.categories = [{ id: "dispute", name: { zh: "邻里纠纷" } }]),
      target: (t) => (byId(t.categories, "dispute").name.zh = "邻里纠纷"),
      check: (r) => expect(byId(r.categories, "dispute").name.zh).toBe("邻里纠纷"),
    },
    {
      name: "an item the township removes and the template also removes stays gone",
      source: (s) => (s.categories = [{ id: "public-service", $remove: true }]),
      target: (t) => (t.categories = t.categories.filter((c: { id: string }) => c.id !== "public-service")),
      check: (r) => expect(r.categories.map((c: { id: string }) => c.id)).not.toContain("public-service"),
    },
    {
      name: "the township adding an item the template now adds identically is no conflict",
      source: (s) => (s.categories = [flood]),
      target: (t) => t.categories.push(flood),
      check: (r) => expect(r.categories.filter((c: { id: string }) => c.id === "flood")).toHaveLength(1),
    },
  ];

  it.each(cases)("$name", ({ source, target }) => {
    const s = township(source);
    const t = nextTemplate(target);
    const result = expectOk(upgrade(s, t));
    cases.find((c) => c.source === source)!.check(result.resolved as MutableConfig);
    // Every override is kept as written; only `extends` moves.
    expect(result.source).toEqual({ ...s, extends: TO });
    expect(result.from).toBe(FROM);
    expect(result.to).toBe(TO);
    // The result is what publishing would accept.
    const prepared = prepareConfig(result.source, lookupFor(t));
    expect(prepared.ok ? [] : prepared.issues).toEqual([]);
    expect(prepared.ok && prepared.config).toEqual(result.resolved);
  });

  it("reports how the township's resolved config changes, by id path", () => {
    const result = expectOk(
      upgrade(
        township(),
        nextTemplate((t) => t.categories.push(flood)),
      ),
    );
    expect(result.changes.map((c) => [c.kind, c.path])).toEqual([
      ["changed", "/extends"],
      ["added", "/categories/flood"],
    ]);
    expect(result.templateChanges.map((c) => c.path)).toEqual(["/version", "/categories/flood"]);
  });

  it("moves the shipped townships to an unchanged next version without a single change but `extends`", () => {
    for (const id of ["east-lake", "west-hill"]) {
      const s = readTenantJson(`townships/${id}.json`) as MutableConfig;
      const result = expectOk(upgrade(s, nextTemplate()));
      expect(result.changes.map((c) => c.path)).toEqual(["/extends"]);
    }
  });
});

describe("conflicts", () => {
  const cases: Array<{
    name: string;
    source: (s: MutableConfig) => void;
    target: (t: MutableConfig) => void;
    expected: Record<string, unknown>;
  }> = [
    {
      name: "both changed the same field differently",
      source: (s) => (s.categories = [{ id: "dispute", name: { zh: "邻里矛盾" } }]),
      target: (t) => (byId(t.categories, "dispute").name.zh = "邻里纠纷"),
      expected: {
        path: "/categories/dispute/name/zh",
        code: "upgrade.both-changed",
        base: "矛盾纠纷",
        ours: "邻里矛盾",
        theirs: "邻里纠纷",
      },
    },
    {
      name: "the template removed a category the township overrides",
      source: (s) => (s.categories = [{ id: "public-service", name: { zh: "便民服务" } }]),
      target: (t) => (t.categories = t.categories.filter((c: { id: string }) => c.id !== "public-service")),
      expected: {
        path: "/categories/public-service",
        code: "upgrade.removed-by-template",
        ours: expect.objectContaining({
          id: "public-service",
          name: { zh: "便民服务", en: "Public service" },
          intakeForm: "intake-service",
        }),
      },
    },
    {
      name: "both added a category with the same id, differently",
      source: (s) => (s.categories = [{ ...flood, defaultGrade: "major" }]),
      target: (t) => t.categories.push(flood),
      expected: {
        path: "/categories/flood",
        code: "upgrade.both-added",
        ours: { ...flood, defaultGrade: "major" },
        theirs: flood,
      },
    },
    {
      name: "the township removes a category the template changed",
      source: (s) => (s.categories = [{ id: "safety-hazard", $remove: true }]),
      target: (t) => (byId(t.categories, "safety-hazard").defaultGrade = "major"),
      expected: {
        path: "/categories/safety-hazard",
        code: "upgrade.removed-by-township",
        theirs: expect.objectContaining({ defaultGrade: "major" }),
      },
    },
    {
      name: "the township refers to a form the template removed",
      source: (s) =>
        (s.categories = [{ ...flood, id: "noise", name: { zh: "噪声扰民" }, intakeForm: "intake-service" }]),
      target: (t) => {
        delete t.forms["intake-service"];
        t.categories = t.categories.filter((c: { id: string }) => c.id !== "public-service");
      },
      expected: { path: "/categories/noise/intakeForm", code: "upgrade.reference-removed", ours: "intake-service" },
    },
    {
      name: "the township's duty rota names a post the template removed",
      source: (s) => (s.dutyRota = { post: "full-time-deputy" }),
      target: (t) => {
        t.posts = t.posts.filter((p: { id: string }) => p.id !== "full-time-deputy");
        for (const rule of t.permissions) rule.posts = rule.posts.filter((p: string) => p !== "full-time-deputy");
      },
      expected: {
        path: "/dutyRota/post",
        code: "upgrade.reference-removed",
        ours: "full-time-deputy",
        base: "executive-deputy",
        theirs: "executive-deputy",
      },
    },
  ];

  it.each(cases)("$name: reported at its path, nothing decided for the township", ({ source, target, expected }) => {
    const result = expectConflicts(upgrade(township(source), nextTemplate(target)));
    expect(result.conflicts).toEqual([expect.objectContaining(expected)]);
    expect(result.issues).toEqual([]);
    const [conflict] = result.conflicts;
    expect(hasCjk(issueMessage(conflict!.message).zh)).toBe(true);
    expect(issueMessage(conflict!.message).en.length).toBeGreaterThan(0);
    expect(hasCjk(issueMessage(conflict!.message).en.replace(/"[^"]*"/g, ""))).toBe(false);
  });

  it("reports every conflict at once, in the order of the township's config", () => {
    const s = township((s) => {
      s.categories = [
        { id: "dispute", name: { zh: "邻里矛盾" } },
        { id: "public-service", name: { zh: "便民服务" } },
      ];
      s.dutyRota = { wartime: "all-leadership", post: "director" };
    });
    const t = nextTemplate((t) => {
      byId(t.categories, "dispute").name.zh = "邻里纠纷";
      t.categories = t.categories.filter((c: { id: string }) => c.id !== "public-service");
      t.dutyRota.post = "full-time-deputy";
    });
    const result = expectConflicts(upgrade(s, t));
    expect(result.conflicts.map((c) => c.path)).toEqual([
      "/categories/dispute/name/zh",
      "/categories/public-service",
      "/dutyRota/post",
    ]);
  });

  it("refuses a source that does not extend the base version given", () => {
    const result = expectConflicts(
      upgrade(
        township((s) => (s.extends = "other@1.0.0")),
        nextTemplate(),
      ),
    );
    expect(result.conflicts).toEqual([]);
    expect(result.issues).toEqual([expect.objectContaining({ path: "/extends", code: "upgrade.base-mismatch" })]);
  });
});

describe("resolving conflicts", () => {
  const renamed = () => ({
    source: township((s) => (s.categories = [{ id: "dispute", name: { zh: "邻里矛盾" } }])),
    target: nextTemplate((t) => (byId(t.categories, "dispute").name.zh = "邻里纠纷")),
  });
  const removed = () => ({
    source: township((s) => (s.categories = [{ id: "public-service", name: { zh: "便民服务" } }])),
    target: nextTemplate((t) => (t.categories = t.categories.filter((c: { id: string }) => c.id !== "public-service"))),
  });
  const townshipRemoved = () => ({
    source: township((s) => (s.categories = [{ id: "safety-hazard", $remove: true }])),
    target: nextTemplate((t) => (byId(t.categories, "safety-hazard").defaultGrade = "major")),
  });
  const reference = () => ({
    source: township(
      (s) => (s.categories = [{ ...flood, id: "noise", name: { zh: "噪声扰民" }, intakeForm: "intake-service" }]),
    ),
    target: nextTemplate((t) => {
      delete t.forms["intake-service"];
      t.categories = t.categories.filter((c: { id: string }) => c.id !== "public-service");
    }),
  });

  const cases: Array<{
    name: string;
    setup: () => { source: MutableConfig; target: MutableConfig };
    path: string;
    choice: Resolution;
    check: (r: MutableConfig, source: MutableConfig) => void;
  }> = [
    {
      name: "ours keeps the township's name",
      setup: renamed,
      path: "/categories/dispute/name/zh",
      choice: "ours",
      check: (r, s) => {
        expect(byId(r.categories, "dispute").name.zh).toBe("邻里矛盾");
        expect(s.categories).toEqual([{ id: "dispute", name: { zh: "邻里矛盾" } }]);
      },
    },
    {
      name: "theirs takes the template's name and drops the override (and the item left empty)",
      setup: renamed,
      path: "/categories/dispute/name/zh",
      choice: "theirs",
      check: (r, s) => {
        expect(byId(r.categories, "dispute").name.zh).toBe("邻里纠纷");
        expect(s.categories).toBeUndefined();
      },
    },
    {
      name: "a value of the person's own",
      setup: renamed,
      path: "/categories/dispute/name/zh",
      choice: { value: "民间纠纷" },
      check: (r) => expect(byId(r.categories, "dispute").name.zh).toBe("民间纠纷"),
    },
    {
      name: "ours keeps a category the template removed, whole, in the township's own config",
      setup: removed,
      path: "/categories/public-service",
      choice: "ours",
      check: (r, s) => {
        expect(byId(r.categories, "public-service")).toMatchObject({
          name: { zh: "便民服务" },
          intakeForm: "intake-service",
          platform: "platform-service",
        });
        expect(byId(s.categories, "public-service")).toMatchObject({
          intakeForm: "intake-service",
          workflow: "case-loop",
        });
      },
    },
    {
      name: "theirs lets a removed category go",
      setup: removed,
      path: "/categories/public-service",
      choice: "theirs",
      check: (r) => expect(r.categories.map((c: { id: string }) => c.id)).not.toContain("public-service"),
    },
    {
      name: "ours keeps the township's removal",
      setup: townshipRemoved,
      path: "/categories/safety-hazard",
      choice: "ours",
      check: (r) => expect(r.categories.map((c: { id: string }) => c.id)).not.toContain("safety-hazard"),
    },
    {
      name: "theirs brings the changed category back",
      setup: townshipRemoved,
      path: "/categories/safety-hazard",
      choice: "theirs",
      check: (r) => expect(byId(r.categories, "safety-hazard").defaultGrade).toBe("major"),
    },
    {
      name: "a reference to a removed form is pointed at another form",
      setup: reference,
      path: "/categories/noise/intakeForm",
      choice: { value: "intake-dispute" },
      check: (r) => expect(byId(r.categories, "noise").intakeForm).toBe("intake-dispute"),
    },
  ];

  it.each(cases)("$name", ({ setup, path, choice, check }) => {
    const { source, target } = setup();
    const first = expectConflicts(upgrade(source, target));
    expect(first.conflicts.map((c) => c.path)).toEqual([path]);
    const result = expectOk(applyResolutions(first, { [path]: choice }));
    check(result.resolved as MutableConfig, result.source as MutableConfig);
    expect(result.source.extends).toBe(TO);
    const prepared = prepareConfig(result.source, lookupFor(target));
    expect(prepared.ok ? [] : prepared.issues).toEqual([]);
  });

  it("a decision that still leaves the config invalid is reported as an issue, not accepted", () => {
    const { source, target } = reference();
    const result = expectConflicts(upgrade(source, target, { "/categories/noise/intakeForm": "ours" }));
    expect(result.conflicts).toEqual([]);
    expect(result.issues).toEqual([
      expect.objectContaining({ path: "/categories/noise/intakeForm", code: "reference.missing" }),
    ]);
  });

  it("decisions can be made one conflict at a time; undecided ones stay conflicts", () => {
    const s = township(
      (s) =>
        (s.categories = [
          { id: "dispute", name: { zh: "邻里矛盾" } },
          { id: "public-service", name: { zh: "便民服务" } },
        ]),
    );
    const t = nextTemplate((t) => {
      byId(t.categories, "dispute").name.zh = "邻里纠纷";
      t.categories = t.categories.filter((c: { id: string }) => c.id !== "public-service");
    });
    const first = expectConflicts(upgrade(s, t));
    const second = expectConflicts(applyResolutions(first, { "/categories/dispute/name/zh": "ours" }));
    expect(second.conflicts.map((c) => c.path)).toEqual(["/categories/public-service"]);
    const done = expectOk(applyResolutions(second as UpgradeFailure, { "/categories/public-service": "theirs" }));
    expect(getAtIdPath(done.source, "/categories/dispute/name/zh")).toBe("邻里矛盾");
    expect(getAtIdPath(done.source, "/categories/public-service")).toBeUndefined();
  });

  it("refuses a decision for a path that has no conflict, so a typo is not silently ignored", () => {
    const { source, target } = renamed();
    const result = expectConflicts(
      upgrade(source, target, { "/categories/dispute/name/zh": "ours", "/categories/dispute/nmae": "ours" }),
    );
    expect(result.issues).toEqual([
      expect.objectContaining({ path: "/categories/dispute/nmae", code: "upgrade.resolution-unused" }),
    ]);
  });
});
