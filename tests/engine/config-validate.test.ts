import { describe, it, expect } from "vitest";
import { resolveConfig } from "#engine/config/resolve";
import { validateTownshipConfig } from "#engine/config/validate";
import type { Issue } from "#engine/issues";
import {
  atPointer,
  demoConfig,
  hasCjk,
  listTenantJson,
  readTenantJson,
  templateLookup,
  type MutableConfig,
} from "./helpers";
import { issueMessage } from "#app/locales/issues/index";

function issuesOf(config: unknown): Issue[] {
  const result = validateTownshipConfig(config);
  if (result.ok) throw new Error("expected the config to be invalid, but it validated");
  return result.issues;
}

const pathsAndCodes = (issues: ReadonlyArray<{ path: string; code: string }>) =>
  issues.map((i) => ({ path: i.path, code: i.code })).sort((a, b) => (a.path + a.code).localeCompare(b.path + b.code));

function expectWellFormed(issues: Issue[]) {
  expect(issues.length).toBeGreaterThan(0);
  for (const issue of issues) {
    expect(issue.path === "" || issue.path.startsWith("/")).toBe(true);
    expect(issueMessage(issue!).zh.trim().length).toBeGreaterThan(0);
    expect(issueMessage(issue!).en.trim().length).toBeGreaterThan(0);
    expect(hasCjk(issueMessage(issue!).zh)).toBe(true);
    expect(hasCjk(issueMessage(issue!).en)).toBe(false);
  }
}

describe("shipped configs", () => {
  const files = [...listTenantJson("templates"), ...listTenantJson("townships"), ...listTenantJson("counties")];

  it("finds the shipped templates, townships and counties", () => {
    expect(files).toEqual(
      expect.arrayContaining([
        "templates/command-room-guideline@1.0.0.json",
        "townships/east-lake.json",
        "townships/west-hill.json",
        "counties/demo-county.json",
      ]),
    );
  });

  it.each(files)("%s resolves and validates", (file) => {
    const resolved = resolveConfig(readTenantJson(file), templateLookup);
    expect(resolved.ok ? [] : resolved.issues).toEqual([]);
    if (!resolved.ok) return;
    const result = validateTownshipConfig(resolved.value);
    expect(result.ok ? [] : result.issues).toEqual([]);
    expect(result.ok && result.config).toBe(resolved.value);
  });

  it.each(listTenantJson("templates"))("%s is named <id>@<version>.json after its own id and version", (file) => {
    const raw = readTenantJson(file) as { id: string; version: string; kind: string };
    expect(raw.kind).toBe("template");
    expect(file).toBe(`templates/${raw.id}@${raw.version}.json`);
  });

  it.each(listTenantJson("townships"))("%s is a township named after its file", (file) => {
    const raw = readTenantJson(file) as { id: string; kind: string };
    expect(raw.kind).toBe("township");
    expect(file).toBe(`townships/${raw.id}.json`);
  });

  it.each(listTenantJson("counties"))(
    "%s is a county named after its file, handing results back to townships",
    (file) => {
      const raw = readTenantJson(file) as { id: string; kind: string };
      expect(raw.kind).toBe("county");
      expect(file).toBe(`counties/${raw.id}.json`);
      const result = validateTownshipConfig(raw);
      const states = result.ok
        ? Object.values(result.config.workflows ?? {}).flatMap((w) => Object.values(w.states))
        : [];
      expect(states.filter((s) => s.returnsTo).map((s) => s.returnsTo)).toEqual([
        "county-report-back",
        "county-return",
      ]);
    },
  );

  it.each([
    ["a township", (c: MutableConfig) => ((c.workflows as MutableConfig)["case-loop"].states.closed.returnsTo = "x")],
    [
      "a county's state that is not final",
      (c: MutableConfig) => {
        c.kind = "county";
        (c.workflows as MutableConfig)["case-loop"].states.revisit.returnsTo = "x";
      },
    ],
  ])("returnsTo in %s is refused", (_name, mutate) => {
    const config = demoConfig();
    mutate(config);
    expect(pathsAndCodes(issuesOf(config)).map((i) => i.code)).toEqual(["workflow.returns-to-misplaced"]);
  });

  it("validating the same config twice gives the same answer", () => {
    const config = demoConfig();
    expect(validateTownshipConfig(config).ok).toBe(true);
    expect(validateTownshipConfig(config).ok).toBe(true);
    expect(validateTownshipConfig(structuredClone(config)).ok).toBe(true);
  });

  it("a form schema with an $id stays valid when the config is validated again (a saved config re-checked)", () => {
    const config = demoConfig();
    config.forms["intake-service"].schema.$id = "https://gridwork.dev/forms/intake-service.json";
    expect(validateTownshipConfig(config)).toMatchObject({ ok: true });
    expect(validateTownshipConfig(structuredClone(config))).toMatchObject({ ok: true });
  });
});

describe("schema errors", () => {
  type Row = { name: string; mutate: (c: MutableConfig) => unknown; expected: Array<{ path: string; code: string }> };
  const rows: Row[] = [
    { name: "missing name", mutate: (c) => delete c.name, expected: [{ path: "/name", code: "schema.required" }] },
    {
      name: "unknown top-level key",
      mutate: (c) => (c.colour = "red"),
      expected: [{ path: "/colour", code: "schema.additionalProperties" }],
    },
    {
      name: "version not semver",
      mutate: (c) => (c.version = "1.0"),
      expected: [{ path: "/version", code: "schema.pattern" }],
    },
    { name: "unknown kind", mutate: (c) => (c.kind = "city"), expected: [{ path: "/kind", code: "schema.enum" }] },
    {
      name: "empty English name",
      mutate: (c) => (c.name.en = ""),
      expected: [{ path: "/name/en", code: "schema.minLength" }],
    },
    {
      name: "name text as a number",
      mutate: (c) => (c.name.zh = 1),
      expected: [{ path: "/name/zh", code: "schema.type" }],
    },
    {
      name: "category id with capitals",
      mutate: (c) => (c.categories[0].id = "Dispute"),
      expected: [{ path: "/categories/0/id", code: "schema.pattern" }],
    },
    {
      name: "category without a workflow",
      mutate: (c) => delete c.categories[2].workflow,
      expected: [{ path: "/categories/2/workflow", code: "schema.required" }],
    },
    {
      name: "unit of an unknown kind",
      mutate: (c) => (c.org.units[8].kind = "town"),
      expected: [{ path: "/org/units/8/kind", code: "schema.enum" }],
    },
    {
      name: "a zero handling deadline",
      mutate: (c) => (c.deadlinePolicies.standard.handle.amount = 0),
      expected: [{ path: "/deadlinePolicies/standard/handle/amount", code: "schema.exclusiveMinimum" }],
    },
    {
      name: "a holiday that is not a date",
      mutate: (c) => (c.calendars["cn-mainland"].holidays = ["2024-10-01", "2024-13-01"]),
      expected: [{ path: "/calendars/cn-mainland/holidays/1", code: "schema.format" }],
    },
    {
      name: "a permission rule for nobody",
      mutate: (c) => (c.permissions[0].posts = []),
      expected: [{ path: "/permissions/0/posts", code: "schema.minItems" }],
    },
    {
      name: "a permission with an unknown scope",
      mutate: (c) => (c.permissions[2].scope = "county"),
      expected: [{ path: "/permissions/2/scope", code: "schema.enum" }],
    },
    {
      name: "a transition from no state",
      mutate: (c) => (c.workflows["case-loop"].transitions[0].from = []),
      expected: [{ path: "/workflows/case-loop/transitions/0/from", code: "schema.minItems" }],
    },
    {
      name: "$remove that is not true",
      mutate: (c) => (c.posts[0].$remove = false),
      expected: [{ path: "/posts/0/$remove", code: "schema.const" }],
    },
    {
      name: "every error at once, not just the first",
      mutate: (c) => {
        delete c.id;
        c.version = "x";
        c.posts[3].kind = "boss";
      },
      expected: [
        { path: "/id", code: "schema.required" },
        { path: "/version", code: "schema.pattern" },
        { path: "/posts/3/kind", code: "schema.enum" },
      ],
    },
  ];

  it.each(rows)("$name", ({ mutate, expected }) => {
    const config = demoConfig();
    mutate(config);
    const issues = issuesOf(config);
    expect(pathsAndCodes(issues)).toEqual(pathsAndCodes(expected));
    expectWellFormed(issues);
  });

  it.each([
    { name: "a string", value: "east-lake" },
    { name: "null", value: null },
    { name: "an array", value: [] },
    { name: "undefined", value: undefined },
  ])("a document that is $name is a type error at the root", ({ value }) => {
    const issues = issuesOf(value);
    expect(pathsAndCodes(issues)).toEqual([{ path: "", code: "schema.type" }]);
    expectWellFormed(issues);
  });

  it("an empty object names all four required identity fields", () => {
    expect(pathsAndCodes(issuesOf({}))).toEqual(
      pathsAndCodes(["/kind", "/id", "/version", "/name"].map((path) => ({ path, code: "schema.required" }))),
    );
  });

  it("a form id that is not an id is reported on /forms", () => {
    const config = demoConfig();
    config.forms.Bad_Form = config.forms["intake-service"];
    const issues = issuesOf(config);
    expect(issues.map((i) => i.path)).toEqual(expect.arrayContaining(["/forms"]));
    expect(issues.map((i) => i.code)).toContain("schema.propertyNames");
  });

  it("schema errors come first: semantic checks do not run on a malformed document", () => {
    const config = demoConfig();
    config.version = "oops";
    config.categories[0].workflow = "no-such-workflow";
    expect(pathsAndCodes(issuesOf(config))).toEqual([{ path: "/version", code: "schema.pattern" }]);
  });
});

describe("semantic checks", () => {
  // Indices into the resolved east-lake config:
  // units: 0 command-room … 6 fire-station (template), 7 village-qiaotou, 8 grid-qiaotou-1, 9 grid-qiaotou-2,
  //        10 village-shanxia, 11 grid-shanxia-1; posts: 0 director … 5 routing … 10 grid-worker;
  // grades: 0 general (routing), 1 difficult (duty leader), 2 major (director);
  // categories: 0 dispute, 1 safety-hazard, 2 public-service.
  type Row = {
    name: string;
    mutate: (c: MutableConfig) => unknown;
    /** Exactly these issues (path and code). */
    expected: Array<{ path: string; code: string }>;
    /** The path names a key that was left out, so there is nothing at it. */
    pathIsAbsent?: boolean;
  };
  const loop = (c: MutableConfig) => c.workflows["case-loop"];
  const rows: Row[] = [
    // Categories referencing things that do not exist.
    {
      name: "unknown platform",
      mutate: (c) => (c.categories[0].platform = "platform-nowhere"),
      expected: [{ path: "/categories/0/platform", code: "reference.missing" }],
    },
    {
      name: "unknown default grade",
      mutate: (c) => (c.categories[1].defaultGrade = "urgent"),
      expected: [{ path: "/categories/1/defaultGrade", code: "reference.missing" }],
    },
    {
      name: "unknown intake form",
      mutate: (c) => (c.categories[2].intakeForm = "intake-nothing"),
      expected: [{ path: "/categories/2/intakeForm", code: "reference.missing" }],
    },
    {
      name: "unknown workflow",
      mutate: (c) => (c.categories[0].workflow = "no-flow"),
      expected: [{ path: "/categories/0/workflow", code: "reference.missing" }],
    },
    {
      name: "unknown deadline policy",
      mutate: (c) => (c.categories[1].deadlinePolicy = "lenient"),
      expected: [{ path: "/categories/1/deadlinePolicy", code: "reference.missing" }],
    },
    {
      name: "unknown parent category",
      mutate: (c) => (c.categories[2].parent = "nope"),
      expected: [{ path: "/categories/2/parent", code: "reference.missing" }],
    },
    {
      name: "unknown routing lead unit",
      mutate: (c) => (c.categories[0].routing = { leadUnit: "tax-office" }),
      expected: [{ path: "/categories/0/routing/leadUnit", code: "reference.missing" }],
    },
    // Names that exist on every JS object must not count as defined.
    {
      name: "workflow named `constructor`",
      mutate: (c) => (c.categories[0].workflow = "constructor"),
      expected: [{ path: "/categories/0/workflow", code: "reference.missing" }],
    },
    {
      name: "intake form named `constructor`",
      mutate: (c) => (c.categories[1].intakeForm = "constructor"),
      expected: [{ path: "/categories/1/intakeForm", code: "reference.missing" }],
    },
    {
      name: "deadline policy named `constructor`",
      mutate: (c) => (c.categories[1].deadlinePolicy = "constructor"),
      expected: [{ path: "/categories/1/deadlinePolicy", code: "reference.missing" }],
    },
    {
      name: "title field named `constructor`",
      mutate: (c) => (c.forms["intake-service"].titleField = "constructor"),
      expected: [{ path: "/forms/intake-service/titleField", code: "reference.missing" }],
    },
    {
      name: "a transition into a `constructor` state",
      mutate: (c) => (loop(c).transitions[7].to = "constructor"),
      expected: [
        { path: "/workflows/case-loop/transitions/7/to", code: "reference.missing" },
        { path: "/workflows/case-loop/states/archived", code: "workflow.unreachable" },
      ],
    },
    // Duplicates.
    {
      name: "duplicate post id",
      mutate: (c) => c.posts.push(structuredClone(c.posts[5])),
      expected: [{ path: "/posts/12/id", code: "duplicate-id" }],
    },
    {
      name: "duplicate unit id",
      mutate: (c) => c.org.units.push(structuredClone(c.org.units[8])),
      expected: [{ path: "/org/units/12/id", code: "duplicate-id" }],
    },
    {
      name: "duplicate grade id",
      mutate: (c) => c.grades.push(structuredClone(c.grades[0])),
      expected: [{ path: "/grades/3/id", code: "duplicate-id" }],
    },
    {
      name: "duplicate category id",
      mutate: (c) => c.categories.push(structuredClone(c.categories[1])),
      expected: [{ path: `/categories/${demoConfig().categories.length}/id`, code: "duplicate-id" }],
    },
    {
      name: "duplicate transition id",
      mutate: (c) => loop(c).transitions.push({ ...structuredClone(loop(c).transitions[0]), name: { zh: "再研判" } }),
      expected: [
        { path: `/workflows/case-loop/transitions/${loop(demoConfig()).transitions.length}/id`, code: "duplicate-id" },
      ],
    },
    // Org tree.
    {
      name: "unit parent unknown",
      mutate: (c) => (c.org.units[7].parent = "county"),
      expected: [{ path: "/org/units/7/parent", code: "reference.missing" }],
    },
    {
      name: "unit that is its own parent",
      mutate: (c) => (c.org.units[0].parent = "command-room"),
      expected: [{ path: "/org/units/0/parent", code: "org.cycle" }],
    },
    {
      // village-qiaotou ⇄ grid-qiaotou-1; grid-qiaotou-2 only hangs below the loop.
      name: "two units that are each other's parent",
      mutate: (c) => (c.org.units[7].parent = "grid-qiaotou-1"),
      expected: [
        { path: "/org/units/7/parent", code: "org.cycle" },
        { path: "/org/units/8/parent", code: "org.cycle" },
      ],
    },
    {
      name: "a three-unit loop through the command room",
      mutate: (c) => (c.org.units[0].parent = "grid-shanxia-1"),
      expected: [
        { path: "/org/units/0/parent", code: "org.cycle" },
        { path: "/org/units/10/parent", code: "org.cycle" },
        { path: "/org/units/11/parent", code: "org.cycle" },
      ],
    },
    // Posts.
    {
      name: "post in an unknown unit",
      mutate: (c) => (c.posts[0].unit = "mayor-office"),
      expected: [{ path: "/posts/0/unit", code: "reference.missing" }],
    },
    {
      name: "post for a unit kind the township has none of yet",
      mutate: (c) => (c.posts[10].unitKinds = ["micro-grid", "module"]),
      expected: [],
    },
    {
      name: "post for an unknown unit kind",
      mutate: (c) => (c.posts[10].unitKinds = ["grid", "gird"]),
      expected: [{ path: "/posts/10/unitKinds/1", code: "reference.missing" }],
    },
    {
      name: "duty rota on an unknown post",
      mutate: (c) => (c.dutyRota.post = "mayor"),
      expected: [{ path: "/dutyRota/post", code: "reference.missing" }],
    },
    // Grades.
    {
      name: "grade analysed by a post, without the post",
      mutate: (c) => delete c.grades[0].analysis.post,
      expected: [{ path: "/grades/0/analysis/post", code: "grade.analyst-missing" }],
      pathIsAbsent: true,
    },
    {
      name: "grade analysed by an unknown post",
      mutate: (c) => (c.grades[2].analysis.post = "mayor"),
      expected: [{ path: "/grades/2/analysis/post", code: "reference.missing" }],
    },
    {
      name: "grade analysed by the duty leader, without a duty rota",
      mutate: (c) => delete c.dutyRota,
      expected: [{ path: "/grades/1/analysis/by", code: "grade.no-duty-rota" }],
    },
    // Workflows.
    {
      name: "a non-final state with no way out",
      mutate: (c) => {
        loop(c).states.parked = { name: { zh: "搁置" } };
        loop(c).transitions.push({
          id: "park",
          name: { zh: "搁置" },
          from: ["handling"],
          to: "parked",
          by: ["routing"],
        });
      },
      expected: [{ path: "/workflows/case-loop/states/parked", code: "workflow.dead-end" }],
    },
    {
      name: "a state nothing leads to",
      mutate: (c) => (loop(c).states.limbo = { name: { zh: "悬置" }, final: true }),
      expected: [{ path: "/workflows/case-loop/states/limbo", code: "workflow.unreachable" }],
    },
    {
      name: "the final state can no longer be reached",
      mutate: (c) => loop(c).transitions.splice(7, 1),
      expected: [{ path: "/workflows/case-loop/states/archived", code: "workflow.unreachable" }],
    },
    {
      name: "removing the only way out of a state makes it a dead end and cuts off the rest",
      // Every way out of handling removed (report-back, suspend, escalate from handling, supervise),
      // and the county's report-back, the other way into feedback.
      mutate: (c) => {
        loop(c).transitions = loop(c)
          .transitions.map((t: { from: string[] }) => ({ ...t, from: t.from.filter((f) => f !== "handling") }))
          .filter((t: { id: string; from: string[] }) => t.from.length > 0 && t.id !== "county-report-back");
      },
      expected: [
        { path: "/workflows/case-loop/states/handling", code: "workflow.dead-end" },
        { path: "/workflows/case-loop/states/suspended", code: "workflow.unreachable" },
        { path: "/workflows/case-loop/states/feedback", code: "workflow.unreachable" },
        { path: "/workflows/case-loop/states/revisit", code: "workflow.unreachable" },
        { path: "/workflows/case-loop/states/closed", code: "workflow.unreachable" },
        { path: "/workflows/case-loop/states/archived", code: "workflow.unreachable" },
        // report-back set the review deadline: review and redo now clear a kind nobody sets.
        { path: "/workflows/case-loop/transitions/7/effects/0/params/kind", code: "deadline.kind-unknown" },
        { path: "/workflows/case-loop/transitions/8/effects/0/params/kind", code: "deadline.kind-unknown" },
      ],
    },
    {
      name: "transition from an unknown state",
      mutate: (c) => loop(c).transitions[6].from.push("ghost"),
      expected: [{ path: "/workflows/case-loop/transitions/6/from/1", code: "reference.missing" }],
    },
    {
      name: "transition with an unknown form",
      mutate: (c) => (loop(c).transitions[4].form = "feedback-form"),
      expected: [{ path: "/workflows/case-loop/transitions/4/form", code: "reference.missing" }],
    },
    {
      name: "transition fired by an unknown post",
      mutate: (c) => (loop(c).transitions[0].by = ["routing", "ghost-post"]),
      expected: [{ path: "/workflows/case-loop/transitions/0/by/1", code: "reference.missing" }],
    },
    {
      name: "special actors and `*` are not posts",
      mutate: (c) => (loop(c).transitions[0].by = ["$anyone", "*"]),
      expected: [],
    },
    {
      name: "unknown intake effect",
      mutate: (c) => (loop(c).onIntake[0].type = "sms"),
      expected: [{ path: "/workflows/case-loop/onIntake/0/type", code: "effect.unknown" }],
    },
    {
      name: "unknown transition effect",
      mutate: (c) => (loop(c).transitions[1].effects = [{ type: "assign" }, { type: "teleport" }]),
      expected: [{ path: "/workflows/case-loop/transitions/1/effects/1/type", code: "effect.unknown" }],
    },
    // Deadline policies.
    {
      name: "unknown overdue ladder effect",
      mutate: (c) => (c.deadlinePolicies.standard.overdueLadder[1].type = "fine"),
      expected: [{ path: "/deadlinePolicies/standard/overdueLadder/1/type", code: "effect.unknown" }],
    },
    {
      name: "policy on an unknown calendar",
      mutate: (c) => (c.deadlinePolicies.standard.calendar = "moon"),
      expected: [{ path: "/deadlinePolicies/standard/calendar", code: "reference.missing" }],
    },
    {
      name: "reminders nearest-first",
      mutate: (c) => c.deadlinePolicies.standard.reminders.reverse(),
      expected: [
        { path: "/deadlinePolicies/standard/reminders/1", code: "deadline.ladder-order" },
        { path: "/deadlinePolicies/standard/reminders/2", code: "deadline.ladder-order" },
      ],
    },
    {
      name: "two reminders at the same moment (24 hours = 1 day)",
      mutate: (c) => (c.deadlinePolicies.standard.reminders[2].before = { amount: 48, unit: "hours" }),
      expected: [{ path: "/deadlinePolicies/standard/reminders/2", code: "deadline.ladder-order" }],
    },
    {
      name: "reminders in hours after reminders in days, in order",
      mutate: (c) => c.deadlinePolicies.standard.reminders.push({ before: { amount: 4, unit: "hours" } }),
      expected: [],
    },
    // Permissions.
    {
      name: "permission rule for an unknown post",
      mutate: (c) => (c.permissions[2].posts = ["grid-worker", "gird-worker"]),
      expected: [{ path: "/permissions/2/posts/1", code: "reference.missing" }],
    },
    // Forms.
    {
      name: "form schema with an unknown type",
      mutate: (c) => (c.forms["intake-hazard"].schema.properties.summary.type = "strin"),
      expected: [{ path: "/forms/intake-hazard/schema", code: "form.schema-invalid" }],
    },
    {
      name: "form schema with a negative minLength",
      mutate: (c) => (c.forms["intake-dispute"].schema.properties.location.minLength = -1),
      expected: [{ path: "/forms/intake-dispute/schema", code: "form.schema-invalid" }],
    },
    {
      name: "form schema with a broken $ref",
      mutate: (c) => (c.forms["intake-service"].schema.properties.contactPhone = { $ref: "#/$defs/phone" }),
      expected: [{ path: "/forms/intake-service/schema", code: "form.schema-invalid" }],
    },
    {
      name: "form title field not in the form",
      mutate: (c) => (c.forms["intake-service"].titleField = "subject"),
      expected: [{ path: "/forms/intake-service/titleField", code: "reference.missing" }],
    },
    {
      name: "several problems at once are all reported",
      mutate: (c) => {
        c.categories[0].platform = "nowhere";
        c.posts.push(structuredClone(c.posts[0]));
        loop(c).onIntake[0].type = "sms";
      },
      expected: [
        { path: "/categories/0/platform", code: "reference.missing" },
        { path: "/posts/12/id", code: "duplicate-id" },
        { path: "/workflows/case-loop/onIntake/0/type", code: "effect.unknown" },
      ],
    },
  ];

  it.each(rows)("$name", ({ mutate, expected, pathIsAbsent }) => {
    const config = demoConfig();
    mutate(config);
    const result = validateTownshipConfig(config);
    if (!expected.length) {
      expect(result.ok ? [] : result.issues).toEqual([]);
      return;
    }
    expect(result.ok).toBe(false);
    const issues = result.ok ? [] : result.issues;
    expect(pathsAndCodes(issues)).toEqual(pathsAndCodes(expected));
    expectWellFormed(issues);
    // The admin screen highlights the field at the issue's path: it must exist in the document.
    for (const issue of issues) {
      if (!pathIsAbsent) expect(atPointer(config, issue.path), issue.path).not.toBeUndefined();
    }
  });

  it("reference messages name the missing thing in both languages", () => {
    const config = demoConfig();
    config.categories[0].workflow = "no-flow";
    const [issue] = issuesOf(config);
    expect(issueMessage(issue!).zh).toContain("no-flow");
    expect(issueMessage(issue!).en).toContain("no-flow");
  });

  it("the unknown-effect message lists the effect types config may use", () => {
    const config = demoConfig();
    config.workflows["case-loop"].onIntake[0].type = "sms";
    const [issue] = issuesOf(config);
    expect(issueMessage(issue!).en).toContain("supervision-sheet");
    expect(issueMessage(issue!).en).toContain('"sms"');
  });
});
