// Who may report which category, and assignment agrees with visibility (issue 16 items 6 and 7,
// ADR 046): permission rules narrowed to categories decide intake and what the report form offers;
// a transition that can send a case to a unit whose posts cannot read it is warned about.
import { describe, expect, it } from "vitest";
import { validateTownshipConfig } from "#engine/config/validate";
import { decideIntake, reportableCategories } from "#engine/intake";
import { buildAbility, caseSubject, rulesFor } from "#engine/permissions";
import { actor, caseFacts, compileVariant, demoConfig, hasCjk, type MutableConfig } from "./helpers";
import { issueMessage } from "#app/locales/issues/index";

const now = new Date("2025-03-14T02:30:00.000Z");
const gridWorker = actor("east-lake", "grid-qiaotou-1", ["grid-worker"], "user-li-na");
const routing = actor("east-lake", "command-room", ["routing"]);
const validDispute = { summary: "邻里因噪音发生争执", parties: 3, location: "桥头村3组", partyPhone: "13800138000" };

/** The demo township where grid workers may report disputes and hazards only (the template lets everyone report). */
function restricted(): MutableConfig {
  const config = demoConfig();
  config.permissions.push(
    { posts: ["grid-worker"], action: "create", subject: "Case", inverted: true },
    { posts: ["grid-worker"], action: "create", subject: "Case", categories: ["dispute", "safety-hazard"] },
  );
  return config;
}

const warningsOf = (config: MutableConfig) => {
  const result = validateTownshipConfig(config);
  if (!result.ok) throw new Error(JSON.stringify(result.issues));
  return result.warnings ?? [];
};
const codesOf = (config: MutableConfig) => warningsOf(config).map((w) => [w.path, w.code]);

describe("who may report which category", () => {
  const compiled = compileVariant(restricted());
  const intake = (who: typeof gridWorker, categoryId: string) =>
    decideIntake({ compiled, configVersion: 1, actor: who, now, caseId: "case-1" }, { categoryId, data: validDispute });

  it.each([
    { who: "a grid worker", actor: gridWorker, offered: ["dispute", "safety-hazard"] },
    { who: "routing", actor: routing, offered: ["dispute", "safety-hazard", "public-service"] },
  ])("the report form offers $who the categories $offered", ({ actor: who, offered }) => {
    expect(reportableCategories(compiled, who).map((c) => c.id)).toEqual(offered);
  });

  it("a grid worker may report a dispute", () => {
    expect(intake(gridWorker, "dispute").ok).toBe(true);
  });

  it("a grid worker is refused a forbidden category, in Chinese and English, naming it", () => {
    const decision = intake(gridWorker, "public-service");
    if (decision.ok) throw new Error("expected a refusal");
    expect(decision.refusal.kind).toBe("not-allowed");
    expect(decision.refusal.issues).toHaveLength(1);
    const [refusal] = decision.refusal.issues;
    expect(refusal).toMatchObject({ code: "forbidden" });
    expect(hasCjk(issueMessage(refusal!).zh)).toBe(true);
    expect(issueMessage(refusal!).zh).toContain("民生服务");
    expect(issueMessage(refusal!).en).toContain("Public service");
  });

  it("the same rule narrows reading: a read rule for one category does not show another", () => {
    const config = demoConfig();
    config.permissions.push({ posts: ["township-admin"], action: "read", subject: "Case", categories: ["dispute"] });
    const c = compileVariant(config);
    const analyst = buildAbility(rulesFor(c, actor("east-lake", "command-room", ["township-admin"])));
    const dispute = caseFacts("east-lake", "grid-qiaotou-1", "platform-safety", "someone", "dispute");
    const service = caseFacts("east-lake", "grid-qiaotou-1", "platform-service", "someone", "public-service");
    expect(analyst.can("read", caseSubject(dispute))).toBe(true);
    expect(analyst.can("read", caseSubject(service))).toBe(false);
  });

  it("a rule naming a category the config does not have is an error at its pointer", () => {
    const config = demoConfig();
    config.permissions.push({ posts: ["grid-worker"], action: "create", subject: "Case", categories: ["nope"] });
    const result = validateTownshipConfig(config);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    const at = `/permissions/${config.permissions.length - 1}/categories/0`;
    expect(result.issues.map((i) => [i.path, i.code])).toEqual([[at, "reference.missing"]]);
    expect(issueMessage(result.issues[0]!).zh).toContain("nope");
  });

  it("create rules narrowed to categories still let someone report", () => {
    const config = restricted();
    config.permissions = config.permissions.filter((r: MutableConfig) => r.action !== "create");
    config.permissions.push({ posts: ["grid-worker"], action: "create", subject: "Case", categories: ["dispute"] });
    expect(codesOf(config)).toEqual([]);
  });

  it("a category only narrowed rules read is still unread by anyone when they name another", () => {
    const config = demoConfig();
    // Nobody reads beyond their own reports, except routing, for disputes only.
    config.permissions = config.permissions.filter(
      (r: MutableConfig) => !(r.action === "read" && r.subject === "Case" && r.scope !== "own"),
    );
    config.permissions.push({ posts: ["routing"], action: "read", subject: "Case", categories: ["dispute"] });
    const unread = warningsOf(config).filter((w) => w.code === "permissions.nobody-reads-category");
    // Every category but the disputes (the last is East Lake's own, tasks from the county).
    expect(unread.map((w) => w.path)).toEqual(["/categories/1", "/categories/2", "/categories/3"]);
  });
});

describe("assignment and visibility agree", () => {
  const transitionIndex = (config: MutableConfig, id: string) =>
    (config.workflows["case-loop"].transitions as MutableConfig[]).findIndex((t) => t.id === id);
  const dispatchAt = (config: MutableConfig) =>
    `/workflows/case-loop/transitions/${transitionIndex(config, "dispatch")}/effects/0`;
  /** The demo without the rule that lets units read what is sent to them. */
  const withoutAssigned = () => {
    const config = demoConfig();
    config.permissions = config.permissions.filter((r: MutableConfig) => r.scope !== "assigned");
    return config;
  };
  /** Only the dispatch transition assigns, from its form. */
  const onlyDispatch = (config: MutableConfig) => {
    for (const [id, w] of Object.entries(config.workflows as Record<string, MutableConfig>))
      for (const t of w.transitions as MutableConfig[])
        if (id !== "case-loop" || t.id !== "dispatch")
          t.effects = (t.effects ?? []).filter((e: MutableConfig) => e.type !== "assign");
    return config;
  };

  it("the shipped demo township warns about nothing", () => {
    expect(codesOf(demoConfig())).toEqual([]);
    expect(codesOf(demoConfig("west-hill"))).toEqual([]);
  });

  it("warns at the transition's effect when its unit picker offers units that cannot read the case", () => {
    const config = onlyDispatch(withoutAssigned());
    const warnings = warningsOf(config);
    expect(warnings.map((w) => [w.path, w.code])).toEqual([[dispatchAt(config), "permissions.assignee-cannot-read"]]);
    const { zh, en } = issueMessage(warnings[0]!);
    // The village station and grid workers read by where a case was reported; other platforms by their own platform.
    expect(zh).toContain("“分流交办”");
    expect(zh).toContain("桥头村");
    expect(zh).toContain("经济生态平台");
    expect(en).toContain('"Dispatch"');
    expect(en).toContain("Qiaotou Village");
    expect(en).toContain('"scope": "assigned"');
  });

  it("names, for a platform, only the categories it could not read", () => {
    const config = onlyDispatch(withoutAssigned());
    // The safety platform reads its own categories (dispute, hazard) by platform, not public service.
    expect(issueMessage(warningsOf(config)[0]!).zh).toContain("平安法治平台（民生服务）");
  });

  it.each<[string, boolean, (config: MutableConfig) => void]>([
    ["the assigned scope for the posts that sit in the units", false, () => {}],
    [
      "a form whose picker offers only units that can read (the command room)",
      false,
      (c) => {
        c.permissions = c.permissions.filter((r: MutableConfig) => r.scope !== "assigned");
        c.forms.dispatch.schema.properties.leadUnitId.enum = ["command-room"];
        c.forms.dispatch.schema.properties.assistUnitIds.items.enum = ["command-room"];
      },
    ],
    [
      "a form whose picker offers a village",
      true,
      (c) => {
        c.permissions = c.permissions.filter((r: MutableConfig) => r.scope !== "assigned");
        c.forms.dispatch.schema.properties.leadUnitId.enum = ["command-room", "village-qiaotou"];
        c.forms.dispatch.schema.properties.assistUnitIds.items.enum = ["command-room"];
      },
    ],
    [
      "routing only, to each category's own platform and a joint force nobody is posted to",
      false,
      (c) => {
        c.permissions = c.permissions.filter((r: MutableConfig) => r.scope !== "assigned");
        const dispatch = c.workflows["case-loop"].transitions[transitionIndex(c, "dispatch")];
        dispatch.effects[0] = { type: "assign", params: { from: "routing" } };
      },
    ],
    [
      "routing only, to a village",
      true,
      (c) => {
        c.permissions = c.permissions.filter((r: MutableConfig) => r.scope !== "assigned");
        const dispatch = c.workflows["case-loop"].transitions[transitionIndex(c, "dispatch")];
        dispatch.effects[0] = { type: "assign", params: { from: "routing" } };
        c.categories[0].routing = { leadUnit: "village-qiaotou" };
      },
    ],
    [
      "a village that reads what is sent to it, except disputes",
      true,
      (c) => {
        const dispatch = c.workflows["case-loop"].transitions[transitionIndex(c, "dispatch")];
        dispatch.effects[0] = { type: "assign", params: { from: "routing" } };
        c.categories[0].routing = { leadUnit: "platform-safety", assistUnits: ["village-qiaotou"] };
        c.permissions = c.permissions.filter((r: MutableConfig) => r.scope !== "assigned");
        c.permissions.push({ posts: ["village-station"], action: "read", subject: "Case", scope: "assigned" });
        c.permissions.push({
          posts: ["village-station"],
          action: "read",
          subject: "Case",
          scope: "assigned",
          inverted: true,
          categories: ["dispute"],
        });
      },
    ],
  ])("with %s → warns: %s", (_, warns, change) => {
    const config = onlyDispatch(demoConfig());
    change(config);
    expect(codesOf(config)).toEqual(warns ? [[dispatchAt(config), "permissions.assignee-cannot-read"]] : []);
  });
});
