// A difficult case goes to today's duty leader, who escalates it to the county centre; the county
// (and only its own county) sees it, dispatches it back down to a township unit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportCase } from "#app/server/cases.server";
import { hashPassword } from "#app/server/password.server";
import {
  countyTransition,
  listEscalatedCases,
  loadEscalatedCase,
  transitionCase,
  type CountyActor,
} from "#app/server/workflow.server";
import { seededDatabase, teardown, type Seeded } from "./helpers";

let s: Seeded;
let caseId = "";
let county: CountyActor;
let otherCounty: CountyActor;
const T0 = new Date("2026-03-02T02:00:00Z"); // Monday 10:00 in Shanghai

async function countyMember(countyCode: string, login: string): Promise<CountyActor> {
  let tenant = await s.db.tenant.findUnique({ where: { code: countyCode } });
  tenant ??= await s.db.tenant.create({ data: { code: countyCode, kind: "county", name: "另一个县" } });
  const user = await s.db.user.create({ data: { login, displayName: login, passwordHash: await hashPassword("x") } });
  await s.db.membership.create({
    data: { tenantId: tenant.id, userId: user.id, posts: ["county-dispatcher"], unitId: "county-centre" },
  });
  return { countyId: tenant.id, userId: user.id, posts: ["county-dispatcher"] };
}

async function fire(login: string, transitionId: string, input: unknown, now: Date) {
  const row = await s.db.case.findUniqueOrThrow({ where: { id: caseId } });
  return transitionCase(
    s.db,
    await s.context(login),
    caseId,
    { transitionId, input, expectedVersion: row.version },
    now,
  );
}

beforeAll(async () => {
  s = await seededDatabase();
  const east = await s.db.tenant.findUniqueOrThrow({ where: { code: "east-lake" } });
  const director = await s.db.user.findUniqueOrThrow({ where: { login: "east.director" } });
  // The director is on duty every day in this test's rota.
  const rota = { rotation: { start: "2026-01-01", holders: [director.id] } };
  await s.db.dutyRota.upsert({
    where: { tenantId: east.id },
    create: { tenantId: east.id, data: rota },
    update: { data: rota },
  });
  county = await countyMember("demo-county", "county.dispatcher");
  otherCounty = await countyMember("other-county", "other.dispatcher");
  const ctx = await s.contextOf("east.grid1", "east-lake");
  const r = await reportCase(
    ctx!,
    {
      categoryId: "safety-hazard",
      data: { summary: "化工厂储罐泄漏风险", hazardType: "其他", location: "桥头工业区" },
    },
    T0,
  );
  if (!r.ok) throw new Error("report failed");
  caseId = r.caseId;
});
afterAll(() => teardown(s));

describe("escalation to the county centre", () => {
  it("a difficult case can only be dispatched by today's duty leader, not by routing", async () => {
    expect(await fire("east.routing", "triage", { gradeId: "difficult" }, T0)).toMatchObject({ ok: true });
    expect(await fire("east.routing", "dispatch", { leadUnitId: "platform-safety" }, T0)).toMatchObject({
      ok: false,
      refusal: { kind: "not-allowed" },
    });
  });

  it("the duty leader escalates it with a reason; the county sees it, another county does not", async () => {
    expect(await fire("east.director", "escalate", { reason: "涉及危化品，超出乡镇处置能力" }, T0)).toMatchObject({
      ok: true,
      state: "escalated",
    });
    expect((await listEscalatedCases(s.db, county)).map((c) => c.id)).toEqual([caseId]);
    expect(await listEscalatedCases(s.db, otherCounty)).toEqual([]);
    expect(await loadEscalatedCase(s.db, otherCounty, caseId)).toBeNull();
    const refused = await countyTransition(
      s.db,
      otherCounty,
      caseId,
      { transitionId: "county-dispatch", input: { leadUnitId: "platform-safety" }, expectedVersion: 4 },
      T0,
    );
    expect(refused).toMatchObject({ ok: false, notFound: true });
  });

  it("township staff cannot act for the county", async () => {
    expect(await fire("east.routing", "county-dispatch", { leadUnitId: "platform-safety" }, T0)).toMatchObject({
      ok: false,
      refusal: { kind: "not-allowed" },
    });
  });

  it("the county dispatches it back down to a township unit, with a deadline", async () => {
    const loaded = await loadEscalatedCase(s.db, county, caseId);
    expect(loaded?.state.state).toBe("escalated");
    const result = await countyTransition(
      s.db,
      county,
      caseId,
      {
        transitionId: "county-dispatch",
        input: { leadUnitId: "platform-safety", assistUnitIds: ["fire-station"] },
        expectedVersion: loaded!.row.version,
      },
      T0,
    );
    expect(result).toMatchObject({ ok: true, state: "dispatched" });
    const row = await s.db.case.findUniqueOrThrow({
      where: { id: caseId },
      include: { auditEvents: { orderBy: { seq: "asc" } } },
    });
    // The county keeps following the case it dispatched.
    expect(row.escalatedTo).toBe("county");
    expect(row.leadUnitId).toBe("platform-safety");
    expect(row.assistUnitIds).toEqual(["fire-station"]);
    expect(row.dueAt).not.toBeNull();
    const last = row.auditEvents.at(-1)!;
    expect(last.actorId).toBe(county.userId);
    expect((await listEscalatedCases(s.db, county)).map((c) => c.state)).toEqual(["dispatched"]);
    // And the township's assignee works it as usual.
    const safety = await s.contextOf("east.safety", "east-lake");
    expect(
      await transitionCase(s.db, safety!, caseId, { transitionId: "accept", expectedVersion: row.version }, T0),
    ).toMatchObject({ ok: true, state: "handling" });
  });
});
