// Moving open cases to a new config version on a real database (docs/decisions/038): East Lake
// publishes version 2, which renames the state 处置中 (`handling` → `processing`) and gives the
// standard policy 10 working days instead of 5. The dry run lists every open case on version 1
// with what changes; a case changed after the dry run aborts the whole apply and nothing moves;
// the apply then moves them all in one go, each with an audit line; only a config admin gets in.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deadline } from "#engine/case-state";
import { verifyAuditChain } from "#app/server/audit.server";
import { applyCaseMigration, loadMigrationScreen } from "#app/server/case-migration.server";
import { reportCase } from "#app/server/cases.server";
import { publishTownshipConfig } from "#app/server/config-publish.server";
import { HttpSession, startAppOn, type AppProcess } from "#tests/setup/app-process";
import { seededDatabase, teardown, validDispute, type Seeded } from "./helpers";
import { issueMessage } from "#app/locales/issues/index";

let s: Seeded;
let app: AppProcess | undefined;
const local = (text: string) => new Date(text.replace(" ", "T") + ":00+08:00");
const endOf = (date: string) => new Date(`${date}T23:59:59.999+08:00`).toISOString();
// Dispatched Monday 2 March 2026: due Monday 9 March on 5 working days, Monday 16 March on 10.
const T0 = local("2026-03-02 09:00");
const NOW = local("2026-03-03 10:00");
const ids = { a: "", b: "", c: "", closed: "", west: "" };
const RENAMED = { "case-loop/handling": "processing" };

const fire = (id: string, login: string, transitionId: string, input: unknown, township = "east-lake") =>
  s.fire(id, login, transitionId, input, T0, township);

async function dispatched(summary: string, township = "east-lake") {
  const [grid, routing] = township === "east-lake" ? ["east.grid1", "east.routing"] : ["west.grid1", "west.routing"];
  const reported = await reportCase(
    await s.context(grid, township),
    { categoryId: "dispute", data: { ...validDispute, summary } },
    T0,
  );
  if (!reported.ok) throw new Error(JSON.stringify(reported));
  await fire(reported.caseId, routing, "triage", { gradeId: "general" }, township);
  await fire(reported.caseId, routing, "dispatch", { leadUnitId: "platform-safety" }, township);
  return reported.caseId;
}

const row = (id: string) => s.db.case.findUniqueOrThrow({ where: { id } });
const eastId = async () => (await s.db.tenant.findUniqueOrThrow({ where: { code: "east-lake" } })).id;
const migratedAudits = async () => s.db.auditEvent.count({ where: { type: "case.migrated" } });

beforeAll(async () => {
  s = await seededDatabase();
  ids.a = await dispatched("桥头村噪音纠纷");
  await fire(ids.a, "east.safety", "accept", undefined);
  ids.b = await dispatched("山下村邻里纠纷");
  await fire(ids.b, "east.safety", "accept", undefined);
  ids.c = await dispatched("刚交办的纠纷");
  ids.closed = await dispatched("已办结的纠纷");
  await fire(ids.closed, "east.safety", "accept", undefined);
  await fire(ids.closed, "east.safety", "report-back", { result: "已调解", measures: "上门调解" });
  await fire(ids.closed, "east.routing", "review", { opinion: "处置到位" });
  await fire(ids.closed, "east.routing", "close", { satisfaction: "satisfied", method: "phone" });
  await fire(ids.closed, "east.routing", "archive", undefined);
  ids.west = await dispatched("西山乡纠纷", "west-hill");

  const v1 = await s.db.configVersion.findFirstOrThrow({ where: { tenantId: await eastId(), version: 1 } });
  const v2 = JSON.parse(JSON.stringify(v1.document).replaceAll('"handling"', '"processing"'));
  delete v2.extends;
  v2.deadlinePolicies.standard.handle = { amount: 10, unit: "working-days" };
  const admin = await s.context("east.admin");
  const published = await publishTownshipConfig(s.db, v2, { by: "east.admin", actorId: admin.user.id, now: T0 });
  if (!published.ok || published.version !== 2) throw new Error(JSON.stringify(published));
});
afterAll(async () => {
  await app?.stop();
  await teardown(s);
});

describe("the migration screen after version 2 renamed a state", () => {
  it("counts the open cases on version 1 and asks for a state for 处置中, which version 2 lacks", async () => {
    const screen = await loadMigrationScreen(await s.context("east.admin"), {}, NOW);
    expect(screen).toMatchObject({ latestVersion: 2, openOnOlder: 3 });
    expect(screen.plan.byVersion).toEqual([{ version: 1, cases: 3 }]);
    expect(screen.plan.mapping.map((m) => [m.from, m.to, m.how, m.cases])).toEqual([
      ["dispatched", "dispatched", "same-id", 1],
      ["handling", null, "needs-choice", 2],
    ]);
    expect(screen.plan.ready).toBe(false);
    expect(screen.plan.issues.map((i) => i.code)).toEqual(["migrate.state-unmapped"]);
  });

  it("the dry run lists every open East Lake case with its new state, recomputed deadline and kept lead unit (by number: the admin may not read cases)", async () => {
    const screen = await loadMigrationScreen(await s.context("east.admin"), RENAMED, NOW);
    expect(screen.plan.ready).toBe(true);
    const byId = new Map(screen.plan.cases.map((c) => [c.caseId, c]));
    expect([...byId.keys()].sort()).toEqual([ids.a, ids.b, ids.c].sort());
    expect(byId.get(ids.a)).toMatchObject({
      title: null,
      number: (await row(ids.a)).number,
      fromState: "handling",
      toState: "processing",
      fromVersion: 1,
      deadlines: [
        { kind: "handle", change: "recomputed", fromDueAt: endOf("2026-03-09"), toDueAt: endOf("2026-03-16") },
      ],
      units: [{ unitId: "platform-safety", role: "lead", kept: true }],
    });
    expect(byId.get(ids.c)).toMatchObject({ fromState: "dispatched", toState: "dispatched" });
    // A dry run changes nothing.
    expect((await row(ids.a)).configVersion).toBe(1);
  });
});

describe("applying", () => {
  it("a case changed after the dry run aborts the whole apply, and nothing moves", async () => {
    const admin = await s.context("east.admin");
    const dry = await loadMigrationScreen(admin, RENAMED, NOW);
    const seen = new Map(dry.plan.cases.map((c) => [c.caseId, c.version]));
    await fire(ids.c, "east.safety", "accept", undefined); // someone works on case C meanwhile
    const number = (await row(ids.c)).number;
    const result = await applyCaseMigration(s.db, admin, { toVersion: 2, choices: RENAMED, seen }, NOW);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues[0]).toMatchObject({ code: "migrate.cases-changed" });
    expect(issueMessage(result.issues[0]!).zh).toContain(number);
    for (const id of [ids.a, ids.b, ids.c]) expect((await row(id)).configVersion).toBe(1);
    expect(await migratedAudits()).toBe(0);
  });

  it("a fresh dry run and apply moves every case to version 2 in its new state, with an audit line each", async () => {
    const admin = await s.context("east.admin");
    const dry = await loadMigrationScreen(admin, RENAMED, NOW);
    expect(dry.plan.cases.every((c) => c.toState === "processing")).toBe(true);
    const before = await row(ids.a);
    const seen = new Map(dry.plan.cases.map((c) => [c.caseId, c.version]));
    const result = await applyCaseMigration(s.db, admin, { toVersion: 2, choices: RENAMED, seen }, NOW);
    expect(result).toEqual({ ok: true, moved: 3, version: 2 });
    for (const id of [ids.a, ids.b, ids.c]) {
      const r = await row(id);
      expect(r).toMatchObject({ configVersion: 2, state: "processing", leadUnitId: "platform-safety" });
      expect((r.deadlines as Deadline[]).map((d) => [d.kind, d.dueAt])).toEqual([["handle", endOf("2026-03-16")]]);
      expect(r.dueAt?.toISOString()).toBe(endOf("2026-03-16"));
      expect(r.nextCheckAt).not.toBeNull();
    }
    expect((await row(ids.a)).version).toBe(before.version + 1);
    const audit = await s.db.auditEvent.findFirstOrThrow({ where: { caseId: ids.a, type: "case.migrated" } });
    expect(audit.actorId).toBe(admin.user.id);
    expect(audit.data).toMatchObject({ fromVersion: 1, toVersion: 2, from: "handling", to: "processing" });
    expect(await migratedAudits()).toBe(3);
    expect((await verifyAuditChain(s.db, await eastId())).ok).toBe(true);
    // The lead unit hears of it through the outbox.
    expect(
      await s.db.outboxJob.count({
        where: {
          dedupeKey: { startsWith: `case:${ids.a}:` },
          kind: "notify",
          payload: { path: ["kind"], equals: "case.migrated" },
        },
      }),
    ).toBe(1);
  });

  it("closed cases and other townships' cases stay where they were", async () => {
    expect((await row(ids.closed)).configVersion).toBe(1);
    expect(await row(ids.west)).toMatchObject({ configVersion: 1, state: "dispatched" });
  });

  it("a moved case runs on version 2: the safety platform reports it back from 处置中", async () => {
    await fire(ids.a, "east.safety", "report-back", { result: "已调解", measures: "上门调解" });
    expect((await row(ids.a)).state).toBe("feedback");
  });

  it("afterwards nothing is left to move", async () => {
    const admin = await s.context("east.admin");
    const screen = await loadMigrationScreen(admin, {}, NOW);
    expect(screen.openOnOlder).toBe(0);
    const again = await applyCaseMigration(s.db, admin, { toVersion: 2, choices: {}, seen: new Map() }, NOW);
    expect(again).toMatchObject({ ok: false, issues: [{ code: "migrate.nothing" }] });
  });
});

describe("over HTTP", () => {
  beforeAll(async () => {
    app = await startAppOn(s.database);
  }, 120_000);

  it("the township admin opens the screen", async () => {
    const http = await HttpSession.as(app!.url, "east.admin");
    const res = await http.request("/t/east-lake/admin/migrate");
    expect(res.status).toBe(200);
    expect(await res.text()).toContain('data-testid="migrate-nothing"');
  });

  it.each([
    { login: "east.routing", status: 403 },
    { login: "east.director", status: 403 },
    { login: "west.routing", status: 404 },
  ])("$login gets $status for the screen and for an apply", async ({ login, status }) => {
    const http = await HttpSession.as(app!.url, login);
    expect((await http.request("/t/east-lake/admin/migrate")).status).toBe(status);
    const post = await http.post("/t/east-lake/admin/migrate", { intent: "apply", toVersion: "2" });
    expect(post.status).toBe(status);
  });
});
