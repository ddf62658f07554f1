// The "assigned" scope: units a case is dispatched to (lead or assisting) may work on it.
import { describe, expect, it } from "vitest";
import { buildAbility, caseSubject, explainAccess, rulesFor, type CaseFacts } from "#engine/permissions";
import { accessibleCases, abilityFor, explainCaseAccess } from "#app/server/permissions.server";
import { compileVariant, demoConfig } from "./helpers";

const config = demoConfig();
config.permissions = [{ posts: ["*"], action: "read", subject: "Case", scope: "assigned" }];
const compiled = compileVariant(config);
const police = { userId: "u-police", tenantId: "east-lake", unitId: "police-station", posts: ["grid-worker"] };
const base: CaseFacts = {
  tenantId: "east-lake",
  orgUnitId: "grid-qiaotou-1",
  platformId: "platform-safety",
  categoryId: "dispute",
  reporterId: "u-grid",
};

describe("assigned scope", () => {
  it.each([
    ["lead unit", { ...base, leadUnitId: "police-station", assistUnitIds: [] }, true],
    [
      "assisting unit",
      { ...base, leadUnitId: "platform-safety", assistUnitIds: ["fire-station", "police-station"] },
      true,
    ],
    ["not assigned", { ...base, leadUnitId: "platform-safety", assistUnitIds: ["fire-station"] }, false],
    ["never dispatched", base, false],
    ["assigned, but another township", { ...base, tenantId: "west-hill", leadUnitId: "police-station" }, false],
  ])("%s → %s", (_what, facts, allowed) => {
    expect(buildAbility(rulesFor(compiled, police)).can("read", caseSubject(facts as CaseFacts))).toBe(allowed);
    expect(explainAccess(compiled, police, "read", facts as CaseFacts).allowed).toBe(allowed);
    expect(abilityFor(compiled, police).can("read", caseSubject(facts as CaseFacts))).toBe(allowed);
    expect(explainCaseAccess(compiled, police, "read", facts as CaseFacts).allowed).toBe(allowed);
  });

  it("becomes a Prisma filter on the lead unit or the assisting units array", () => {
    // CASL lists the later rule first; the nullable lead unit also says "not null" (ADR 029).
    expect(accessibleCases(abilityFor(compiled, police))).toEqual({
      OR: [
        { tenantId: { equals: "east-lake" }, assistUnitIds: { has: "police-station" } },
        { tenantId: { equals: "east-lake" }, leadUnitId: { equals: "police-station", not: null } },
      ],
    });
  });
});
