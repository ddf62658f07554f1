import { describe, it, expect } from "vitest";
import { decideIntake, type IntakeContext, type IntakeDecision } from "#engine/intake";
import type { Actor } from "#engine/permissions";
import { actor, compileVariant, demoConfig, hasCjk, loadTownship } from "./helpers";
import { issueMessage, withMessage } from "#app/locales/issues/index";

const east = loadTownship("east-lake");
const west = loadTownship("west-hill");
const now = new Date("2025-03-14T02:30:00.000Z");
const gridWorker = actor("east-lake", "grid-qiaotou-1", ["grid-worker"], "user-li-na");

function ctx(over: Partial<IntakeContext> = {}): IntakeContext {
  return { compiled: east.compiled, configVersion: 7, actor: gridWorker, now, caseId: "case-0001", ...over };
}

const validDispute = {
  summary: "  邻里因噪音发生争执  ",
  parties: 3,
  location: "桥头村3组",
  partyPhone: "13800138000",
};

function expectOk(decision: IntakeDecision) {
  if (!decision.ok) throw new Error(`expected ok, got ${JSON.stringify(decision.refusal)}`);
  return decision;
}
function expectRefusal(decision: IntakeDecision) {
  if (decision.ok) throw new Error("expected a refusal, got a case");
  return decision.refusal;
}

describe("decideIntake: accepted reports", () => {
  it.each([
    {
      categoryId: "dispute",
      data: validDispute,
      grade: "general",
      platform: "platform-safety",
      title: "邻里因噪音发生争执",
    },
    {
      categoryId: "safety-hazard",
      data: { summary: "楼道堆放杂物", hazardType: "消防", location: "2号楼" },
      grade: "difficult",
      platform: "platform-safety",
      title: "楼道堆放杂物",
    },
    {
      categoryId: "public-service",
      data: { summary: "路灯不亮已一周" },
      grade: "general",
      platform: "platform-service",
      title: "路灯不亮已一周",
    },
  ])("$categoryId opens a case in the workflow's first state", ({ categoryId, data, grade, platform, title }) => {
    const decision = expectOk(decideIntake(ctx(), { categoryId, data }));
    expect(decision.case).toEqual({
      id: "case-0001",
      tenantId: "east-lake",
      configVersion: 7,
      workflowId: "case-loop",
      categoryId,
      gradeId: grade,
      platformId: platform,
      state: "reported",
      title,
      data,
      reporterId: "user-li-na",
      orgUnitId: "grid-qiaotou-1",
    });
  });

  it("the case's state, grade and platform come from the config, not from constants", () => {
    const config = demoConfig();
    const loop = config.workflows["case-loop"];
    loop.states.received = { name: { zh: "已接收" } };
    loop.transitions.push({ id: "receive", name: { zh: "接收" }, from: ["received"], to: "reported", by: ["routing"] });
    loop.initial = "received";
    config.categories[2].defaultGrade = "major";
    config.categories[2].platform = "platform-party";
    const decision = expectOk(
      decideIntake(ctx({ compiled: compileVariant(config) }), {
        categoryId: "public-service",
        data: { summary: "路灯不亮已一周" },
      }),
    );
    expect(decision.case).toMatchObject({ state: "received", gradeId: "major", platformId: "platform-party" });
    expect(decision.outcomes[0]).toMatchObject({ type: "audit", data: { state: "received", gradeId: "major" } });
  });

  it("returns an audit effect and a notification to the routing post", () => {
    const decision = expectOk(decideIntake(ctx(), { categoryId: "dispute", data: validDispute }));
    expect(decision.outcomes).toEqual([
      {
        type: "audit",
        event: "case.reported",
        data: {
          categoryId: "dispute",
          gradeId: "general",
          state: "reported",
          configVersion: 7,
          at: "2025-03-14T02:30:00.000Z",
        },
      },
      { type: "notify", posts: ["routing"], kind: "case.reported", dedupeKey: expect.stringContaining("case-0001") },
    ]);
  });

  it("notification dedupe keys differ between cases and between intake effects", () => {
    const config = demoConfig();
    config.workflows["case-loop"].onIntake.push({ type: "notify", params: { posts: ["director"] } });
    const compiled = compileVariant(config);
    const keys = ["case-a", "case-b"].flatMap((caseId) =>
      expectOk(decideIntake(ctx({ compiled, caseId }), { categoryId: "dispute", data: validDispute }))
        .outcomes.filter((e) => e.type === "notify")
        .map((e) => (e.type === "notify" ? e.dedupeKey : "")),
    );
    expect(keys).toHaveLength(4);
    expect(new Set(keys).size).toBe(4);
    expect(keys.filter((k) => k.includes("case-a"))).toHaveLength(2);
  });

  it("a workflow without intake effects only audits", () => {
    const config = demoConfig();
    delete config.workflows["case-loop"].onIntake;
    const decision = expectOk(
      decideIntake(ctx({ compiled: compileVariant(config) }), { categoryId: "dispute", data: validDispute }),
    );
    expect(decision.outcomes.map((e) => e.type)).toEqual(["audit"]);
  });

  it.each([
    { name: "a blank title field", summary: "    " },
    { name: "no title field in the form", summary: undefined },
  ])("falls back to the category name for $name", ({ summary }) => {
    const config = demoConfig();
    if (summary === undefined) delete config.forms["intake-service"].titleField;
    const compiled = compileVariant(config);
    const data = summary === undefined ? { summary: "路灯不亮已一周" } : { summary };
    const decision = expectOk(decideIntake(ctx({ compiled }), { categoryId: "public-service", data }));
    expect(decision.case.title).toBe("民生服务");
  });

  it("a township's own category opens cases on its own platform (west-hill market complaints)", () => {
    const routing = actor("west-hill", "command-room", ["routing"], "user-zhang-wei");
    const decision = expectOk(
      decideIntake(
        { compiled: west.compiled, configVersion: 1, actor: routing, now, caseId: "w-1" },
        { categoryId: "market-complaint", data: { summary: "摊位缺斤短两" } },
      ),
    );
    expect(decision.case).toMatchObject({
      tenantId: "west-hill",
      platformId: "platform-economy",
      orgUnitId: "command-room",
      title: "摊位缺斤短两",
    });
  });

  it("is deterministic: the same inputs give the same decision", () => {
    const input = { categoryId: "dispute", data: structuredClone(validDispute) };
    const a = decideIntake(ctx(), input);
    const b = decideIntake(ctx(), structuredClone(input));
    expect(b).toEqual(a);
    const badA = decideIntake(ctx(), { categoryId: "dispute", data: { summary: "x" } });
    const badB = decideIntake(ctx(), { categoryId: "dispute", data: { summary: "x" } });
    expect(badB).toEqual(badA);
  });

  it("does not change the input data", () => {
    const data = structuredClone(validDispute);
    decideIntake(ctx(), { categoryId: "dispute", data });
    expect(data).toEqual(validDispute);
  });
});

describe("decideIntake: refusals", () => {
  it.each([
    {
      name: "missing required fields",
      categoryId: "dispute",
      data: { summary: "邻里纠纷" },
      expected: [
        { path: "/data/parties", code: "schema.required" },
        { path: "/data/location", code: "schema.required" },
      ],
    },
    {
      name: "a summary too short",
      categoryId: "dispute",
      data: { ...validDispute, summary: "吵架" },
      expected: [{ path: "/data/summary", code: "schema.minLength" }],
    },
    {
      name: "too few parties",
      categoryId: "dispute",
      data: { ...validDispute, parties: 1 },
      expected: [{ path: "/data/parties", code: "schema.minimum" }],
    },
    {
      name: "parties as text",
      categoryId: "dispute",
      data: { ...validDispute, parties: "三" },
      expected: [{ path: "/data/parties", code: "schema.type" }],
    },
    {
      name: "a phone number that is not a mobile number",
      categoryId: "dispute",
      data: { ...validDispute, partyPhone: "0571-1234567" },
      expected: [{ path: "/data/partyPhone", code: "schema.pattern" }],
    },
    {
      name: "an ID number of the wrong length",
      categoryId: "dispute",
      data: { ...validDispute, partyIdNumber: "11010119900101" },
      expected: [{ path: "/data/partyIdNumber", code: "schema.pattern" }],
    },
    {
      name: "a hazard type not on the list",
      categoryId: "safety-hazard",
      data: { summary: "楼道堆放杂物", hazardType: "水灾", location: "2号楼" },
      expected: [{ path: "/data/hazardType", code: "schema.enum" }],
    },
    {
      name: "data that is not an object",
      categoryId: "public-service",
      data: "路灯不亮",
      expected: [{ path: "/data", code: "schema.type" }],
    },
    {
      name: "no data at all",
      categoryId: "public-service",
      data: null,
      expected: [{ path: "/data", code: "schema.type" }],
    },
  ])("$name → invalid-input with bilingual issues at /data/…", ({ categoryId, data, expected }) => {
    const refusal = expectRefusal(decideIntake(ctx(), { categoryId, data }));
    expect(refusal.kind).toBe("invalid-input");
    expect(refusal.issues.map((i) => ({ path: i.path, code: i.code }))).toEqual(expected);
    for (const issue of refusal.issues) {
      expect(hasCjk(issueMessage(issue).zh), issueMessage(issue).zh).toBe(true);
      expect(hasCjk(issueMessage(issue).en), issueMessage(issue).en).toBe(false);
      expect(issueMessage(issue).en).toMatch(/^[A-Z a-z0-9'",.:=<>()_\-^$\\[\]{}*+?|/]+$/);
    }
  });

  it("a missing required field is reported in plain words, the same in every form", () => {
    const refusal = expectRefusal(
      decideIntake(ctx(), { categoryId: "safety-hazard", data: { summary: "楼道堆放杂物" } }),
    );
    expect(refusal.issues).toEqual([
      {
        path: "/data/hazardType",
        code: "schema.required",
        message: { zh: "此项为必填项", en: "This field is required" },
      },
      {
        path: "/data/location",
        code: "schema.required",
        message: { zh: "此项为必填项", en: "This field is required" },
      },
    ]);
  });

  it("an unknown category → invalid-input at /categoryId", () => {
    const refusal = expectRefusal(decideIntake(ctx(), { categoryId: "alien-landing", data: validDispute }));
    expect(refusal.kind).toBe("invalid-input");
    expect(refusal.issues.map(withMessage)).toEqual([
      {
        path: "/categoryId",
        code: "category.unknown",
        params: {},
        message: { zh: "请选择有效的事件类别", en: "Choose a valid case category" },
      },
    ]);
  });

  it("another township's category is unknown here", () => {
    const refusal = expectRefusal(
      decideIntake(ctx(), { categoryId: "market-complaint", data: { summary: "摊位缺斤短两" } }),
    );
    expect(refusal.issues[0]).toMatchObject({ path: "/categoryId", code: "category.unknown" });
  });

  describe("when the config lets only routing report cases", () => {
    const config = demoConfig();
    config.permissions[0] = { posts: ["routing"], action: "create", subject: "Case" };
    const compiled = compileVariant(config);
    const cases: Array<{ name: string; who: Actor; allowed: boolean }> = [
      { name: "a grid worker", who: gridWorker, allowed: false },
      { name: "a member with no posts", who: actor("east-lake", "command-room", []), allowed: false },
      { name: "the director", who: actor("east-lake", "command-room", ["director"]), allowed: false },
      { name: "routing", who: actor("east-lake", "command-room", ["routing"]), allowed: true },
      {
        name: "someone holding routing among other posts",
        who: actor("east-lake", "command-room", ["analysis", "routing"]),
        allowed: true,
      },
    ];
    it.each(cases)("$name → allowed: $allowed", ({ who, allowed }) => {
      const decision = decideIntake(ctx({ compiled, actor: who }), { categoryId: "dispute", data: validDispute });
      expect(decision.ok).toBe(allowed);
      if (!decision.ok) {
        expect(decision.refusal.kind).toBe("not-allowed");
        expect(decision.refusal.issues).toHaveLength(1);
        expect(decision.refusal.issues[0]).toMatchObject({ path: "", code: "forbidden" });
        expect(hasCjk(issueMessage(decision.refusal.issues[0]!).zh)).toBe(true);
      }
    });

    it("a refused reporter is not told whether their data was valid", () => {
      const decision = decideIntake(ctx({ compiled }), { categoryId: "dispute", data: { summary: "x" } });
      expect(expectRefusal(decision).kind).toBe("not-allowed");
    });
  });

  it("when creating is limited to the reporter's own platform, others are refused", () => {
    const config = demoConfig();
    config.permissions[0] = { posts: ["platform-lead"], action: "create", subject: "Case", scope: "platform" };
    const compiled = compileVariant(config);
    const safetyLead = actor("east-lake", "platform-safety", ["platform-lead"]);
    expect(decideIntake(ctx({ compiled, actor: safetyLead }), { categoryId: "dispute", data: validDispute }).ok).toBe(
      true,
    );
    const refusal = expectRefusal(
      decideIntake(ctx({ compiled, actor: safetyLead }), {
        categoryId: "public-service",
        data: { summary: "路灯不亮已一周" },
      }),
    );
    expect(refusal.kind).toBe("not-allowed");
  });
});
