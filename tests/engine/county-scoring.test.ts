// Issue 15 item 4: the county's own scoring rules score its departments (the lead unit of its
// case) and the township an escalated case came from (`source-township`, through the county's
// locality units), from the county case's trail, with rankings and three colours per group.
import { describe, expect, it } from "vitest";
import { validateTownshipConfig } from "#engine/config/validate";
import {
  evaluateScores,
  factsFromTrail,
  periodFromKey,
  periodReport,
  type AuditEventLike,
  type CaseFactsLike,
} from "#engine/scoring";
import type { TownshipConfig } from "#schemas/township-config";
import { readTenantJson, type MutableConfig } from "./helpers";
import { issueMessage } from "#app/locales/issues/index";

function county(): TownshipConfig {
  const v = validateTownshipConfig(readTenantJson("counties/demo-county.json"));
  if (!v.ok) throw new Error(v.issues.map((i) => `${i.path} ${issueMessage(i).en}`).join("\n"));
  return v.config;
}
const at = (text: string) => new Date(`${text.replace(" ", "T")}:00+08:00`).toISOString();

const CASE: CaseFactsLike = {
  id: "k1",
  tenantId: "demo-county",
  workflowId: "county-escalation",
  categoryId: "escalated",
  platformId: "county-centre",
  orgUnitId: "county-centre",
  reporterId: "u-east-director",
  gradeId: "escalated",
  sourceTenant: "east-lake",
};
const DUE = at("2026-03-16 23:59");
const toLand = { leadUnitId: "dept-land", assistUnitIds: ["township-east-lake"] };

/** Dispatched to 自然资源局, one ladder sheet when overdue, reported back 3 days late, approved. */
function lateTrail(): AuditEventLike[] {
  let seq = 0;
  const ev = (type: string, when: string, data: Record<string, unknown>, actorId: string | null = null) => ({
    seq: ++seq,
    caseId: "k1",
    actorId,
    type,
    data,
    at: at(when),
  });
  const tr = (transitionId: string, when: string, data: Record<string, unknown> = {}) =>
    ev(
      "case.transition",
      when,
      { transitionId, assignment: toLand, input: {}, effects: [], cleared: [], ...data },
      "u",
    );
  return [
    ev("case.reported", "2026-03-02 10:00", { gradeId: "escalated" }, "u-east-director"),
    tr("dispatch", "2026-03-02 11:00", { effects: ["assign", "set-deadline", "notify"] }),
    tr("accept", "2026-03-02 14:00"),
    ev("case.deadline-step", "2026-03-17 00:00", {
      deadlineId: "handle@2",
      kind: "handle",
      phase: "overdue",
      type: "supervision-sheet",
      superseded: false,
    }),
    tr("report-back", "2026-03-19 10:00", { effects: ["pause-deadline", "notify"] }),
    tr("approve", "2026-03-20 10:00", {
      effects: ["clear-deadline"],
      cleared: [{ kind: "handle", dueAt: DUE, pausedAt: at("2026-03-19 10:00"), met: false, reason: "done" }],
    }),
  ];
}

const score = (cfg: TownshipConfig, c: CaseFactsLike, trail: AuditEventLike[]) =>
  evaluateScores(cfg, factsFromTrail(cfg, trail, [c])).map((l) => `${l.rule} ${l.target.id} ${l.points}`);

describe("the county scores its departments and townships", () => {
  it("a case handled late by a department costs the department per day and the township it came from", () => {
    expect(score(county(), CASE, lateTrail())).toEqual([
      "dept-sheet dept-land -2",
      "township-sheet township-east-lake -1",
      "dept-late dept-land -3",
      "township-late township-east-lake -1.5",
    ]);
  });

  it("source-township resolves to the locality unit of the case's township, and to nobody without one", () => {
    const cfg = county();
    expect(score(cfg, { ...CASE, sourceTenant: "west-hill" }, lateTrail())).toContain(
      "township-late township-west-hill -1.5",
    );
    const unknown = score(cfg, { ...CASE, sourceTenant: "north-ridge" }, lateTrail());
    expect(unknown).toEqual(["dept-sheet dept-land -2", "dept-late dept-land -3"]);
    const own = score(cfg, { ...CASE, sourceTenant: null }, lateTrail());
    expect(own.some((l) => l.startsWith("township-"))).toBe(false);
  });

  it("a return to the township is the township's deduction", () => {
    const trail: AuditEventLike[] = [
      { seq: 1, caseId: "k1", actorId: "u", type: "case.reported", data: {}, at: at("2026-03-02 10:00") },
      {
        seq: 2,
        caseId: "k1",
        actorId: "u",
        type: "case.transition",
        data: { transitionId: "return-to-township", input: { reason: "属乡镇职权" }, effects: [], cleared: [] },
        at: at("2026-03-02 11:00"),
      },
    ];
    expect(score(county(), CASE, trail)).toEqual(["township-returned township-east-lake -2"]);
  });

  it("the review ranks townships and departments apart, each in three colours", () => {
    const cfg = county();
    const facts = factsFromTrail(cfg, lateTrail(), [CASE]);
    const lines = evaluateScores(cfg, facts);
    const report = periodReport(cfg, { facts, lines, period: periodFromKey("Asia/Shanghai", "2026-03")! });
    const row = (group: "township" | "department") =>
      (report.ratings[group] ?? []).map((r) => `${r.target.id} ${r.score} ${r.level}`);
    expect(row("township")).toEqual(["township-west-hill 1000 green", "township-east-lake 997.5 yellow"]);
    expect(row("department")[0]).toBe("dept-emergency 1000 green");
    expect(row("department")).toContain("dept-land 995 yellow");
    expect(report.rankings.department?.at(-1)).toMatchObject({ target: { id: "dept-land" }, score: 995 });
    expect(report.rankings.unit?.map((r) => r.target.id)).toEqual(["county-centre"]);
  });
});

describe("config checks for source-township", () => {
  const issuesOf = (mutate: (c: MutableConfig) => void) => {
    const c = readTenantJson("counties/demo-county.json") as MutableConfig;
    mutate(c);
    const v = validateTownshipConfig(c);
    return v.ok ? [] : v.issues.map((i) => `${i.code} ${i.path}`);
  };

  it("the shipped county is valid", () => {
    expect(issuesOf(() => {})).toEqual([]);
  });

  it("source-township needs locality units naming their township", () => {
    const issues = issuesOf((c) => {
      for (const u of c.org.units) delete u.tenant;
    });
    expect(issues).toContain("scoring.no-localities /scoring/rules/5/target");
  });

  it("a township named by two localities, or by a unit of another kind, is refused", () => {
    const issues = issuesOf((c) => {
      c.org.units.find((u: MutableConfig) => u.id === "township-west-hill").tenant = "east-lake";
      c.org.units.find((u: MutableConfig) => u.id === "dept-land").tenant = "west-hill";
    });
    expect(issues).toEqual(
      expect.arrayContaining(["duplicate-id /org/units/7/tenant", "org.tenant-not-locality /org/units/2/tenant"]),
    );
  });

  it("every message is in Chinese and English", () => {
    const c = readTenantJson("counties/demo-county.json") as MutableConfig;
    for (const u of c.org.units) delete u.tenant;
    const v = validateTownshipConfig(c);
    const issue = v.ok ? undefined : v.issues.find((i) => i.code === "scoring.no-localities");
    expect(issueMessage(issue!).zh).toMatch(/属地/);
    expect(issueMessage(issue!).en).toMatch(/locality/);
  });
});
