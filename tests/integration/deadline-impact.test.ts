// Issue 6, deadline impact preview, on a real database and a simulated clock: East Lake has open
// cases; its admin adds a local day off to the calendar, previews which due dates move, publishes,
// and the database holds exactly the previewed dates; the sweep reminds and supervises on the new
// dates; a changed duration moves nothing that is already running (docs/decisions/016).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { isWorkingDay } from "#engine/calendar";
import type { Deadline } from "#engine/case-state";
import { sectionValue } from "#engine/config/overrides";
import { verifyAuditChain } from "#app/server/audit.server";
import { reportCase } from "#app/server/cases.server";
import {
  checkEdit,
  loadConfigAdmin,
  previewDeadlineImpact,
  publishEdit,
  type ConfigEdit,
} from "#app/server/config-admin.server";
import { getConfigVersion, getTenantConfig } from "#app/server/config.server";
import { runOutboxJob } from "#app/server/jobs.server";
import type { TenantContext } from "#app/server/tenancy.server";
import { sweepDueCases, transitionCase } from "#app/server/workflow.server";
import { seededDatabase, teardown, validDispute, type Seeded } from "./helpers";

let s: Seeded;
const local = (text: string) => new Date(text.replace(" ", "T") + ":00+08:00");
const endOf = (date: string) => new Date(`${date}T23:59:59.999+08:00`).toISOString();

async function report(login: string, township: string, summary: string, now: Date) {
  const reported = await reportCase(
    await s.context(login, township),
    { categoryId: "dispute", data: { ...validDispute, summary } },
    now,
  );
  if (!reported.ok) throw new Error(JSON.stringify(reported));
  return reported.caseId;
}

/** Reported by a grid worker, triaged, dispatched to the safety platform and accepted at `now`. */
async function dispatched(summary: string, now: Date, township = "east-lake") {
  const grid = township === "east-lake" ? "east.grid1" : "west.grid1";
  const routing = township === "east-lake" ? "east.routing" : "west.routing";
  const id = await report(grid, township, summary, now);
  await s.fire(id, routing, "triage", { gradeId: "general" }, now, township);
  await s.fire(id, routing, "dispatch", { leadUnitId: "platform-safety" }, now, township);
  return id;
}

/** The config editor's edit: the calendars section with days off added to cn-mainland. */
async function calendarEdit(admin: TenantContext, holidays: string[]): Promise<ConfigEdit> {
  const state = await loadConfigAdmin(s.db, admin);
  const calendars = structuredClone(sectionValue(state.latest.document, "calendars")) as Record<
    string,
    { holidays?: string[] }
  >;
  calendars["cn-mainland"]!.holidays = [...(calendars["cn-mainland"]!.holidays ?? []), ...holidays];
  return { kind: "sections", sections: { calendars } };
}

async function preview(c: TenantContext, edit: ConfigEdit, now: Date) {
  const state = await loadConfigAdmin(s.db, c);
  const checked = checkEdit(state, c, edit);
  if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
  return previewDeadlineImpact(s.db, c, state, checked.config, now);
}

const row = (id: string) => s.db.case.findUniqueOrThrow({ where: { id } });
const handleDue = async (id: string) =>
  ((await row(id)).deadlines as Deadline[]).find((d) => d.kind === "handle")?.dueAt;

// Monday 2 March 2026, a plain working week: a handling deadline set today is due at the end of
// Monday 9 March. The township declares Thursday 26 February (past) and Wednesday 4 March days off.
const T0 = local("2026-03-02 09:00");
const NOW = local("2026-03-02 15:00");
const DAYS_OFF = ["2026-02-26", "2026-03-04"];
const ids = { moved: "", overdue: "", reported: "", closed: "", west: "" };

beforeAll(async () => {
  s = await seededDatabase();
  ids.moved = await dispatched("桥头村噪音纠纷（将顺延）", T0);
  // Dispatched on Monday 23 February (the last day of the Spring Festival break): due Saturday 28
  // February, a make-up working day; overdue by now, with its sheet issued by the sweep.
  ids.overdue = await dispatched("山下村纠纷（已超期）", local("2026-02-23 09:00"));
  ids.reported = await report("east.grid1", "east-lake", "刚上报、尚未交办", T0);
  ids.closed = await dispatched("已办结的纠纷", T0);
  await s.fire(ids.closed, "east.safety", "accept", undefined, T0);
  await s.fire(ids.closed, "east.safety", "report-back", { result: "已调解", measures: "上门调解" }, T0);
  await s.fire(ids.closed, "east.routing", "review", { opinion: "处置到位" }, T0);
  await s.fire(ids.closed, "east.routing", "close", { satisfaction: "satisfied", method: "phone" }, T0);
  await s.fire(ids.closed, "east.routing", "archive", undefined, T0);
  ids.west = await dispatched("西山乡纠纷", T0, "west-hill");
  await sweepDueCases(s.db, NOW);
});
afterAll(() => teardown(s));

describe("days off added to the calendar", () => {
  let shownToAdmin: Awaited<ReturnType<typeof preview>>;

  it("the cases are set up: one due Monday 9 March, one overdue since 28 February, one without a deadline, one closed", async () => {
    expect(await handleDue(ids.moved)).toBe(endOf("2026-03-09"));
    expect(await handleDue(ids.overdue)).toBe(endOf("2026-02-28"));
    expect(await s.db.supervisionSheet.count({ where: { caseId: ids.overdue } })).toBe(1);
    // Its next step, the talk, comes 3 working days after the due: Mon 2, Tue 3, Wed 4 March.
    expect((await row(ids.overdue)).nextCheckAt?.toISOString()).toBe(endOf("2026-03-04"));
    expect((await row(ids.reported)).deadlines).toEqual([]);
    expect((await row(ids.closed)).closedAt).not.toBeNull();
  });

  it("the preview lists exactly the case whose running window holds a new day off, by number only for an admin who may not read it", async () => {
    const admin = await s.context("east.admin");
    shownToAdmin = await preview(admin, await calendarEdit(admin, DAYS_OFF), NOW);
    const moved = await row(ids.moved);
    expect(shownToAdmin).toEqual({
      casesWithDeadlines: 2,
      calendarsChanged: true,
      policiesChanged: false,
      rows: [
        {
          caseId: ids.moved,
          number: moved.number,
          title: null,
          deadlineKind: "handle",
          paused: false,
          fromDueAt: endOf("2026-03-09"),
          toDueAt: endOf("2026-03-10"),
          workingDays: 1,
        },
      ],
    });
    // The routing post reads every case of the township: the same row, with its title.
    const routing = await s.context("east.routing");
    const shownToRouting = await preview(routing, await calendarEdit(routing, DAYS_OFF), NOW);
    expect(shownToRouting.rows.map((r) => r.title)).toEqual([moved.title]);
    // Previewing wrote nothing.
    expect(await handleDue(ids.moved)).toBe(endOf("2026-03-09"));
    expect(await s.db.configVersion.count({ where: { tenantId: admin.tenant.id } })).toBe(1);
  });

  it("publishing re-times exactly what the preview showed, audited on the case", async () => {
    const admin = await s.context("east.admin");
    const untouched = await Promise.all([ids.reported, ids.closed, ids.west].map(row));
    const overdue = await row(ids.overdue);
    const before = await row(ids.moved);
    expect(before.nextCheckAt?.toISOString()).toBe(endOf("2026-03-06")); // "3 days before" the old due

    const published = await publishEdit(s.db, admin, await calendarEdit(admin, DAYS_OFF), 1, NOW);
    // The count the admin is told is the number of cases the preview listed.
    expect(published).toEqual({
      ok: true,
      version: 2,
      status: "published",
      retimedCases: new Set(shownToAdmin.rows.map((r) => r.caseId)).size,
    });

    const after = await row(ids.moved);
    for (const shown of shownToAdmin.rows) {
      const deadline = ((await row(shown.caseId)).deadlines as Deadline[]).find((d) => d.kind === shown.deadlineKind)!;
      expect(deadline.dueAt).toBe(shown.toDueAt);
    }
    expect(after.dueAt?.toISOString()).toBe(endOf("2026-03-10"));
    // The sweep's index follows: the first reminder is now 3 days before Tuesday 10 March.
    expect(after.nextCheckAt?.toISOString()).toBe(endOf("2026-03-07"));
    expect(after.version).toBe(before.version + 1);
    expect(after.configVersion).toBe(1);
    expect(await Promise.all([ids.reported, ids.closed, ids.west].map(row))).toEqual(untouched);
    // The overdue case keeps its due and version; only its talk, counted in working days, moves a day.
    expect(await row(ids.overdue)).toMatchObject({
      dueAt: overdue.dueAt,
      version: overdue.version,
      deadlines: overdue.deadlines,
    });
    expect((await row(ids.overdue)).nextCheckAt?.toISOString()).toBe(endOf("2026-03-05"));
    expect(await s.db.auditEvent.count({ where: { caseId: ids.overdue, type: "case.deadlines-retimed" } })).toBe(0);

    const audit = await s.db.auditEvent.findMany({ where: { caseId: ids.moved, type: "case.deadlines-retimed" } });
    expect(audit).toHaveLength(1);
    expect(audit[0]).toMatchObject({
      actorId: admin.user.id,
      data: {
        configVersion: 2,
        shifts: [{ kind: "handle", from: endOf("2026-03-09"), to: endOf("2026-03-10"), workingDays: 1 }],
      },
    });
    expect(await verifyAuditChain(s.db, admin.tenant.id)).toMatchObject({ ok: true });
  });

  it("someone who loaded the case before the publish is told it changed, and nothing is overwritten", async () => {
    const stale = (await row(ids.moved)).version - 1;
    const result = await transitionCase(
      s.db,
      await s.context("east.safety"),
      ids.moved,
      { transitionId: "accept", expectedVersion: stale },
      local("2026-03-02 16:00"),
    );
    expect(result).toMatchObject({ ok: false, refusal: { kind: "stale-version" } });
    expect(await handleDue(ids.moved)).toBe(endOf("2026-03-10"));
  });

  it("a case of the old version is timed with the corrected calendar from now on, its rules unchanged", async () => {
    const admin = await s.context("east.admin");
    const running = await getTenantConfig(s.db, admin.tenant.id, 1);
    expect(isWorkingDay(running!.compiled.calendar("cn-mainland"), "2026-03-04")).toBe(false);
    // Version 1 itself, as published, is history and stays as it was.
    expect(
      isWorkingDay((await getConfigVersion(s.db, admin.tenant.id, 1))!.compiled.calendar("cn-mainland"), "2026-03-04"),
    ).toBe(true);
    // The case reported under version 1 and dispatched after the publish counts Wednesday 4 March as a day off.
    const at = local("2026-03-03 10:00");
    await s.fire(ids.reported, "east.routing", "triage", { gradeId: "general" }, at);
    await s.fire(ids.reported, "east.routing", "dispatch", { leadUnitId: "platform-safety" }, at);
    expect((await row(ids.reported)).configVersion).toBe(1);
    expect(await handleDue(ids.reported)).toBe(endOf("2026-03-11"));
  });

  it("the sweep reminds on the new dates, and supervises once the new due has passed", async () => {
    const deliver = async () => {
      for (const job of await s.db.outboxJob.findMany({ where: { status: "pending" } }))
        await runOutboxJob(s.db, job.id);
    };
    const reminders = async () => {
      const safety = await s.db.user.findUniqueOrThrow({ where: { login: "east.safety" } });
      return s.db.notification.findMany({ where: { userId: safety.id, caseId: ids.moved, kind: "deadline.reminder" } });
    };
    // The old "3 days before" instant: nothing for this case any more.
    await sweepDueCases(s.db, new Date(new Date(endOf("2026-03-06")).getTime() + 1000));
    await deliver();
    expect(await reminders()).toHaveLength(0);
    await sweepDueCases(s.db, new Date(new Date(endOf("2026-03-07")).getTime() + 1000));
    await deliver();
    expect((await reminders()).map((n) => (n.data as { dueAt?: string }).dueAt)).toEqual([endOf("2026-03-10")]);
    // Not overdue at the old due; overdue after the new one: one supervision sheet.
    await sweepDueCases(s.db, local("2026-03-10 09:00"));
    expect(await s.db.supervisionSheet.count({ where: { caseId: ids.moved } })).toBe(0);
    await sweepDueCases(s.db, local("2026-03-11 09:00"));
    await sweepDueCases(s.db, local("2026-03-11 09:00"));
    expect(await s.db.supervisionSheet.count({ where: { caseId: ids.moved } })).toBe(1);
  });
});

describe("a changed duration", () => {
  it("is previewed as applying to new cases only, and publishing it moves no running deadline", async () => {
    const admin = await s.context("east.admin");
    const state = await loadConfigAdmin(s.db, admin);
    const policies = structuredClone(sectionValue(state.latest.document, "deadlinePolicies")) as Record<
      string,
      { handle: { amount: number } }
    >;
    policies.standard!.handle.amount = 3;
    const edit: ConfigEdit = { kind: "sections", sections: { deadlinePolicies: policies } };
    const now = local("2026-03-03 12:00");
    const shown = await preview(admin, edit, now);
    expect(shown).toMatchObject({ calendarsChanged: false, policiesChanged: true, rows: [] });

    const open = await s.db.case.findMany({
      where: { tenantId: admin.tenant.id, closedAt: null },
      orderBy: { number: "asc" },
    });
    expect(await publishEdit(s.db, admin, edit, state.latest.version, now)).toEqual({
      ok: true,
      version: state.latest.version + 1,
      status: "published",
    });
    expect(
      await s.db.case.findMany({ where: { tenantId: admin.tenant.id, closedAt: null }, orderBy: { number: "asc" } }),
    ).toEqual(open);
  });
});
