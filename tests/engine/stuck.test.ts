import { describe, expect, it } from "vitest";
import type { CaseState } from "#engine/case-state";
import { caseMovers, criticalPosts, isStuck, type StaffMember, type Staffing } from "#engine/stuck";
import { eastLake, local, newCase } from "./workflow-helpers";

const config = eastLake();
const now = local("2025-03-04 10:00");

const routing: StaffMember = { userId: "u-routing", unitId: "command-room", posts: ["routing"] };
const deputy: StaffMember = { userId: "u-deputy", unitId: "command-room", posts: ["executive-deputy"] };
const flexible: StaffMember = { userId: "u-flex", unitId: "command-room", posts: ["flexible"] };
const backup: StaffMember = { ...flexible, backupPosts: ["routing"] };
const safety: StaffMember = { userId: "u-safety", unitId: "platform-safety", posts: ["platform-lead"] };

const staff = (members: StaffMember[], dutyLeaderIds: string[] = [], county = true): Staffing => ({
  members,
  dutyLeaderIds,
  county,
});
const inState = (state: string, over: Partial<CaseState> = {}) => newCase(config, { state, ...over });

describe("stuck cases: nobody present can move them", () => {
  it.each<[string, CaseState, Staffing, boolean]>([
    ["general case in triage, routing staffed", inState("triage"), staff([routing]), false],
    [
      "general case in triage, routing post unstaffed",
      inState("triage"),
      staff([deputy, flexible], ["u-deputy"]),
      true,
    ],
    ["routing holder away, no backup", inState("triage"), staff([{ ...routing, away: true }, flexible]), true],
    ["routing holder away, backup present", inState("triage"), staff([{ ...routing, away: true }, backup]), false],
    [
      "difficult case, duty rota empty today",
      inState("triage", { gradeId: "difficult" }),
      staff([routing, deputy]),
      true,
    ],
    [
      "difficult case, the deputy on duty today",
      inState("triage", { gradeId: "difficult" }),
      staff([routing, deputy], ["u-deputy"]),
      false,
    ],
    [
      "difficult case in wartime: the whole leadership is on duty",
      inState("triage", { gradeId: "difficult", mode: "wartime" }),
      staff([routing, deputy]),
      false,
    ],
    [
      "dispatched to a platform nobody sits in",
      inState("dispatched", { assignment: { leadUnitId: "platform-safety", assistUnitIds: [] } }),
      staff([routing, deputy], ["u-deputy"]),
      true,
    ],
    [
      "dispatched to a platform with its lead present",
      inState("dispatched", { assignment: { leadUnitId: "platform-safety", assistUnitIds: [] } }),
      staff([routing, safety]),
      false,
    ],
    ["escalated, a county above", inState("escalated", { escalatedTo: "county" }), staff([]), false],
    ["escalated, no county above", inState("escalated", { escalatedTo: "county" }), staff([], [], false), true],
    ["archived cases are never stuck", inState("archived"), staff([]), false],
  ])("%s", (_name, state, staffing, stuck) => {
    expect(isStuck(config, state, staffing, now)).toBe(stuck);
  });

  it("names who can move the case and the posts whose absence would leave it stuck", () => {
    const triage = inState("triage");
    expect(caseMovers(config, triage, staff([routing, deputy]), now)).toEqual(["u-routing"]);
    expect(criticalPosts(config, triage, staff([routing, deputy]), now)).toEqual(["routing"]);
    // A present backup would step in: routing is not critical then.
    expect(criticalPosts(config, triage, staff([routing, backup]), now)).toEqual([]);
    const second: StaffMember = { userId: "u-routing-2", unitId: "command-room", posts: ["routing", "analysis"] };
    expect(criticalPosts(config, triage, staff([routing, second]), now)).toEqual(["routing"]);
    // A backup of the duty post is not on the rota: the duty leader's absence still leaves it stuck.
    const difficult = inState("triage", { gradeId: "difficult" });
    const director: StaffMember = {
      userId: "u-director",
      unitId: "command-room",
      posts: ["director"],
      backupPosts: ["executive-deputy"],
    };
    expect(criticalPosts(config, difficult, staff([routing, deputy, director], ["u-deputy"]), now)).toEqual([
      "executive-deputy",
    ]);
  });
});
