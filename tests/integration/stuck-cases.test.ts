// A case nobody can move (ADR 037): it becomes stuck when its only post-holder is deactivated or the
// duty rota runs out, shows on the command room's lists and the admin's people page, and the
// leadership is notified once per stuck spell, whether a people change or the sweep found it.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadCaseScreen } from "#app/server/case-screen.server";
import { reportCase } from "#app/server/cases.server";
import { runOutboxJob } from "#app/server/jobs.server";
import { listMembers, saveRota, updateMember, getRota } from "#app/server/members.server";
import { listStuckCases, staffingWarning, sweepStuckCases } from "#app/server/stuck.server";
import { seededDatabase, teardown, validDispute, type Seeded } from "./helpers";

let s: Seeded;
const T0 = new Date("2026-03-02T02:00:00Z"); // Monday 10:00 in Shanghai
const DAY = 86_400_000;

async function report(categoryId: string, data: Record<string, unknown>) {
  const r = await reportCase(await s.context("east.grid1"), { categoryId, data }, T0);
  if (!r.ok) throw new Error("report failed");
  return r.caseId;
}

const fire = (login: string, caseId: string, transitionId: string, input: unknown, now: Date) =>
  s.attempt(caseId, login, transitionId, input, now);

const stuckSince = async (id: string) =>
  (await s.db.case.findUniqueOrThrow({ where: { id }, select: { stuckSince: true } })).stuckSince;

/** Runs the case's pending "stuck" notifications and returns who got one, by login. */
async function stuckNotified(caseId: string): Promise<string[]> {
  const jobs = await s.db.outboxJob.findMany({
    where: { kind: "notify", dedupeKey: { startsWith: `case:${caseId}:stuck:` } },
  });
  for (const j of jobs) if (j.status === "pending") await runOutboxJob(s.db, j.id, { now: () => T0 }, async () => {});
  const rows = await s.db.notification.findMany({
    where: { caseId, kind: "case.stuck" },
    select: { user: { select: { login: true } } },
  });
  return rows.map((r) => r.user.login).sort();
}

beforeAll(async () => {
  s = await seededDatabase();
});
afterAll(() => teardown(s));

describe("stuck cases", () => {
  it("the demo seed staffs every grade: a difficult case has today's duty leader", async () => {
    const id = await report("safety-hazard", { summary: "山体滑坡隐患", hazardType: "其他", location: "山下村" });
    expect(await fire("east.routing", id, "triage", { gradeId: "difficult" }, T0)).toMatchObject({ ok: true });
    expect(await stuckSince(id)).toBeNull();
    expect(await listStuckCases(await s.context("east.director"))).toEqual([]);
  });

  it("the sweep finds a case stuck when the rota runs out, and notifies the leadership once", async () => {
    const admin = await s.context("east.admin");
    const deputy = (await listMembers(admin)).find((m) => m.user.login === "east.deputy")!;
    const version = (await getRota(admin))?.version ?? 0;
    // Only Monday is covered: from Tuesday nobody is duty leader.
    expect(
      await saveRota(admin, { dates: [{ date: "2026-03-02", holders: [deputy.userId] }] }, version, T0),
    ).toMatchObject({ ok: true });
    const id = await report("safety-hazard", { summary: "桥梁裂缝", hazardType: "其他", location: "桥头村" });
    expect(await fire("east.routing", id, "triage", { gradeId: "difficult" }, T0)).toMatchObject({ ok: true });
    expect(await stuckSince(id)).toBeNull();

    const tuesday = new Date(T0.getTime() + DAY);
    expect(await sweepStuckCases(s.db, tuesday, 0)).toBeGreaterThanOrEqual(1);
    expect(await stuckSince(id)).toEqual(tuesday);
    expect(await sweepStuckCases(s.db, new Date(tuesday.getTime() + 60_000), 0)).toBe(0);
    expect(await stuckSince(id)).toEqual(tuesday);
    expect(await stuckNotified(id)).toEqual(["east.deputy", "east.director"]);
    expect((await listStuckCases(await s.context("east.director"))).map((c) => c.id)).toContain(id);
  });

  it("deactivating the only routing member leaves a general case stuck: listed, warned, notified once", async () => {
    const id = await report("dispute", validDispute);
    expect(await fire("east.routing", id, "triage", { gradeId: "general" }, T0)).toMatchObject({ ok: true });
    expect(await stuckSince(id)).toBeNull();
    const admin = await s.context("east.admin");

    // Before: the admin is told which post this case hangs on.
    const before = await staffingWarning(s.db, admin, T0);
    expect(before.posts.find((p) => p.post === "routing")?.cases).toBeGreaterThanOrEqual(1);
    expect(before.stuck.map((c) => c.id)).not.toContain(id);

    const routing = (await listMembers(admin)).find((m) => m.user.login === "east.routing")!;
    const t1 = new Date(T0.getTime() + 3_600_000);
    const off = { posts: routing.posts, backupPosts: [], unitId: routing.unitId };
    expect(await updateMember(admin, routing.id, { ...off, active: false }, t1)).toEqual({ ok: true });
    expect(await stuckSince(id)).toEqual(t1);

    // The command room's lists (workbench and due list read this) and the admin's warning.
    expect((await listStuckCases(await s.context("east.director"))).map((c) => c.id)).toContain(id);
    // The case's own page says so, to whoever opens it.
    const screenOf = async (now: Date) =>
      (await loadCaseScreen(s.db, await s.context("east.director"), id, [], "zh-CN", now))?.stuckSince;
    expect(await screenOf(t1)).toBe(t1.toISOString());
    const after = await staffingWarning(s.db, admin, t1);
    expect(after.stuckCount).toBe(1); // computed at t1, a Monday: the rota still covers the difficult cases
    // The admin's post may not read cases: the count, but no titles.
    expect(after.stuck).toEqual([]);

    // The sweep sees it already stuck: no second notification.
    await sweepStuckCases(s.db, new Date(t1.getTime() + 60_000), 0);
    expect(await stuckNotified(id)).toEqual(["east.deputy", "east.director"]);

    // Back at work: the case is free again.
    expect(await updateMember(admin, routing.id, { ...off, active: true }, t1)).toEqual({ ok: true });
    expect(await stuckSince(id)).toBeNull();
    expect((await listStuckCases(await s.context("east.director"))).map((c) => c.id)).not.toContain(id);
    expect(await screenOf(t1)).toBeNull();
  });
});
