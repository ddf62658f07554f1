// Lists without ids in a township's overrides (ADR 006, issue 16): a bare list never silently
// drops the template's items; `$append`, `$prepend`, `$remove` and `$replace` say what is meant,
// survive a template upgrade, and the editor writes them.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { checkConfigEdit } from "#engine/config/edits";
import { prepareConfig } from "#engine/config/index";
import type { Json } from "#engine/config/id-paths";
import { overrideFor } from "#engine/config/overrides";
import { applyListEdit, mergeConfig, resolveConfig, stripRemovals } from "#engine/config/resolve";
import { upgradeConfig } from "#engine/config/upgrade";
import { type MutableConfig, readTenantJson, templateLookup } from "./helpers";
import { issueMessage } from "#app/locales/issues/index";

const FROM = "command-room-guideline@1.0.0";
const template = () => readTenantJson(`templates/${FROM}.json`) as MutableConfig;
const templateRules = () => template().permissions as MutableConfig[];

/** A small township extending the shipped template, with `extra` laid over it. */
const township = (extra: MutableConfig = {}): MutableConfig => ({
  kind: "township",
  id: "south-lake",
  version: "1.0.0",
  extends: FROM,
  name: { zh: "南湖镇", en: "South Lake Town" },
  org: { units: [{ id: "village-a", kind: "village", parent: "command-room", name: { zh: "甲村" } }] },
  ...extra,
});

const exportRule = { posts: ["analysis"], action: "export", subject: "Case", scope: "township" };
/** What the shipped townships append so that units see the cases sent to them (ADR 046). */
const assignedRule = {
  posts: ["platform-lead", "village-station", "grid-worker"],
  action: "read",
  subject: "Case",
  scope: "assigned",
};

describe("a township adding one permission rule", () => {
  it("keeps the template's rules with $append", () => {
    const result = prepareConfig(township({ permissions: { $append: [exportRule] } }), templateLookup);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.config.permissions).toEqual([...templateRules(), exportRule]);
  });

  it("is refused as a bare list, naming how many of the template's rules it would drop", () => {
    const result = resolveConfig(township({ permissions: [exportRule] }), templateLookup);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues).toHaveLength(1);
    expect(result.issues[0]).toMatchObject({ path: "/permissions", code: "merge.list-replaced" });
    expect(issueMessage(result.issues[0]!).zh).toContain(`丢弃模板的 ${templateRules().length} 项`);
    expect(issueMessage(result.issues[0]!).en).toContain(`dropping ${templateRules().length} of its items`);
    expect(issueMessage(result.issues[0]!).en).toContain('{"$append": [...]}');
  });

  it("may replace the list on purpose with $replace", () => {
    const own = [...templateRules(), exportRule].reverse();
    const result = prepareConfig(township({ permissions: { $replace: own } }), templateLookup);
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.config.permissions).toEqual(own);
  });
});

describe("list edits inside id lists", () => {
  const triage = (w: MutableConfig) =>
    w.workflows["case-loop"].transitions.find((t: MutableConfig) => t.id === "triage");

  it("remove one post from a transition's `by` and add another, by the transition's id", () => {
    const by = { $remove: ["routing"], $append: ["director"] };
    const source = township({ workflows: { "case-loop": { transitions: [{ id: "triage", by }] } } });
    const resolved = resolveConfig(source, templateLookup);
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
    const before = triage(template()).by as string[];
    expect(triage(resolved.value as MutableConfig).by).toEqual([...before.filter((p) => p !== "routing"), "director"]);
  });

  it("reports a bare list at its id path, e.g. a transition's effects", () => {
    const effects = [{ type: "notify", params: { to: ["$reporter"] } }];
    const source = township({ workflows: { "case-loop": { transitions: [{ id: "triage", effects }] } } });
    const resolved = resolveConfig(source, templateLookup);
    expect(resolved.ok).toBe(false);
    if (!resolved.ok)
      expect(resolved.issues.map((i) => i.path)).toEqual(["/workflows/case-loop/transitions/triage/effects"]);
  });

  it("leaves a form's JSON Schema lists (required, enum) to be replaced as values", () => {
    const forms = template().forms as Record<string, MutableConfig>;
    const [formId, form] = Object.entries(forms)[0]!;
    const required = form.schema.required as string[];
    const source = township({ forms: { [formId]: { schema: { required: required.slice(0, 1) } } } });
    const resolved = resolveConfig(source, templateLookup);
    if (!resolved.ok) throw new Error(JSON.stringify(resolved.issues));
    expect((resolved.value as MutableConfig).forms[formId].schema.required).toEqual(required.slice(0, 1));
  });

  it.each<[string, Json]>([
    ["a marker over an object", { org: { $append: [1] } }],
    ["a marker that is not a list", { permissions: { $append: exportRule } }],
  ])("refuses %s", (_name, extra) => {
    const resolved = resolveConfig(township(extra as MutableConfig), templateLookup);
    expect(resolved.ok).toBe(false);
    if (!resolved.ok) expect(resolved.issues.map((i) => i.code)).toEqual(["merge.list-edit-invalid"]);
  });
});

describe("applyListEdit", () => {
  it.each<[string, Json[], Record<string, Json>, Json[]]>([
    ["append", [1, 2], { $append: [3] }, [1, 2, 3]],
    ["prepend", [1, 2], { $prepend: [0] }, [0, 1, 2]],
    ["remove by value, objects by content", [{ a: 1, b: 2 }, 3], { $remove: [{ b: 2, a: 1 }] }, [3]],
    ["replace, then append", [1, 2], { $replace: [9], $append: [10] }, [9, 10]],
    ["on no list at all", [], { $append: ["x"] }, ["x"]],
  ])("%s", (_name, list, edit, expected) => {
    expect(applyListEdit(list, edit)).toEqual(expected);
  });

  it("is what a list edit with no template list under it resolves to", () => {
    expect(stripRemovals({ l: { $append: [1], $prepend: [0] } })).toEqual({ l: [0, 1] });
  });
});

describe("the editor writes list edits", () => {
  const lists = fc.array(fc.oneof(fc.integer({ min: 0, max: 6 }), fc.constantFrom("a", "b")), { maxLength: 8 });

  it("whose resolution gives back exactly the edited list, for any template list and edit", () => {
    fc.assert(
      fc.property(lists, lists, (base, target) => {
        const override = overrideFor({ l: base }, { l: target });
        const resolved = override === undefined ? { l: base } : stripRemovals(mergeConfig({ l: base }, override));
        expect(resolved).toEqual({ l: target });
        // Never a bare list over a template list with items: that would drop them unseen.
        if (base.length && override !== undefined) expect(Array.isArray((override as MutableConfig).l)).toBe(false);
      }),
    );
  });
});

describe("template upgrades with list edits", () => {
  const nextTemplate = (edit: (t: MutableConfig) => void) => {
    const t = template();
    t.version = "1.1.0";
    edit(t);
    return t;
  };
  const auditRule = { posts: ["director"], action: "read", subject: "Audit" };

  it("carry an appended rule over to the new template's changed list, with no conflict", () => {
    const target = nextTemplate((t) => t.permissions.push(auditRule));
    const result = upgradeConfig({
      source: township({ permissions: { $append: [exportRule] } }),
      base: template(),
      target,
      lookup: templateLookup,
    });
    if (!result.ok) throw new Error(JSON.stringify({ conflicts: result.conflicts, issues: result.issues }));
    expect(result.resolved.permissions).toEqual([...templateRules(), auditRule, exportRule]);
  });

  it("stop with a conflict when the township replaced a list the template also changed", () => {
    const target = nextTemplate((t) => t.permissions.push(auditRule));
    const own = [...templateRules(), exportRule];
    const result = upgradeConfig({
      source: township({ permissions: { $replace: own } }),
      base: template(),
      target,
      lookup: templateLookup,
    });
    expect(result.ok).toBe(false);
    if (!result.ok)
      expect(result.conflicts.map((c) => [c.path, c.code])).toEqual([["/permissions", "upgrade.both-changed"]]);
  });
});

describe("warnings for a township nobody can work in", () => {
  const codes = (extra: MutableConfig) => {
    const result = prepareConfig(township(extra), templateLookup);
    return (result.warnings ?? []).map((w) => [w.path, w.code]);
  };

  it("none for the shipped template as a township adopts it, with units reading what is sent to them", () => {
    expect(codes({ permissions: { $append: [assignedRule] } })).toEqual([]);
  });

  it("the template's dispatch forms can send cases to units that could not read them", () => {
    const transitions = template().workflows["case-loop"].transitions as MutableConfig[];
    expect(codes({})).toEqual(
      ["dispatch", "county-dispatch", "fast-dispatch"].map((id) => [
        `/workflows/case-loop/transitions/${transitions.findIndex((t) => t.id === id)}/effects/0`,
        "permissions.assignee-cannot-read",
      ]),
    );
  });

  it("no post may create cases, when the only create rule is denied after it", () => {
    const deny = { posts: ["*"], action: "create", subject: "Case", inverted: true };
    expect(codes({ permissions: { $append: [assignedRule, deny] } })).toEqual([
      ["/permissions", "permissions.nobody-creates"],
    ]);
  });

  it("no post may manage the config", () => {
    const rules = [...templateRules().filter((r) => r.subject !== "Config"), assignedRule];
    expect(codes({ permissions: { $replace: rules } })).toEqual([
      ["/permissions", "permissions.nobody-manages-config"],
    ]);
  });

  it("no post may read cases of a category beyond its own reports", () => {
    const rules = templateRules().filter((r) => !(r.action === "read" && r.subject === "Case" && r.scope !== "own"));
    const result = prepareConfig(township({ permissions: { $replace: rules } }), templateLookup);
    expect(result.ok).toBe(true);
    const categories = template().categories as MutableConfig[];
    // Nor may the units the dispatch forms send cases to (the three assigning transitions).
    expect((result.warnings ?? []).map((w) => w.code)).toEqual([
      ...categories.map(() => "permissions.nobody-reads-category"),
      ...Array(3).fill("permissions.assignee-cannot-read"),
    ]);
    expect(issueMessage(result.warnings![0]!).zh).toContain(categories[0]!.name.zh);
  });
});

describe("the config editor's check", () => {
  it("passes the warnings on with id paths, beside the changes", () => {
    const rules = [...templateRules().filter((r) => r.subject !== "Config"), assignedRule];
    const source = township({ permissions: { $replace: rules } });
    const document = prepareConfig(source, templateLookup);
    if (!document.ok) throw new Error(JSON.stringify(document.issues));
    const resolvedTemplate = resolveConfig(template(), templateLookup);
    if (!resolvedTemplate.ok) throw new Error("template");
    const grades = structuredClone(document.config.grades) as MutableConfig[];
    grades[0]!.name.zh = "一般";
    const base = {
      source,
      document: document.config,
      version: 1,
      template: resolvedTemplate.value as MutableConfig,
      tenantCode: "south-lake",
    };
    const checked = checkConfigEdit(base, templateLookup, { kind: "sections", sections: { grades } });
    if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
    expect(checked.changes.length).toBeGreaterThan(0);
    expect(checked.warnings.map((w) => [w.path, w.code])).toEqual([
      ["/permissions", "permissions.nobody-manages-config"],
    ]);
  });
});
