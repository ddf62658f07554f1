// The server side of the issue-4 screens on real PostgreSQL, with a simulated clock: the due and
// overdue list (colours, working days, filters, read rules), open supervision and the printable
// sheet, the case screen's actions and unit choices, the inbox, the duty leader and the mode switch.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "#app/server/audit.server";
import { loadCaseScreen } from "#app/server/case-screen.server";
import { reportCase } from "#app/server/cases.server";
import { dutyLeaderToday, listDueCases, supervisoryPosts, watchesDeadlines } from "#app/server/due.server";
import { listNotifications, markNotificationsRead, unreadByTownship } from "#app/server/inbox.server";
import { runOutboxJob } from "#app/server/jobs.server";
import { getModeState, switchTenantMode } from "#app/server/mode.server";
import { getSheetForPrint, listOpenSupervision } from "#app/server/supervision.server";
import { transitionFormFor } from "#app/server/transition-forms.server";
import { sweepDueCases } from "#app/server/workflow.server";
import { seededDatabase, teardown, validDispute, type Seeded } from "./helpers";

let s: Seeded;
let first = "";
let second = "";
// Monday 2026-03-02 09:00 in Shanghai: a plain working week, no holidays near.
const T0 = new Date("2026-03-02T01:00:00Z");
const at = (hours: number) => new Date(T0.getTime() + hours * 3600_000);
/** 10:00 Shanghai on a March 2026 day. */
const march = (day: number) => new Date(Date.UTC(2026, 2, day, 2));

beforeAll(async () => {
  s = await seededDatabase();
});
afterAll(() => teardown(s));

async function deliverAll() {
  for (const job of await s.db.outboxJob.findMany({ where: { status: "pending" } })) await runOutboxJob(s.db, job.id);
}

async function dispatchedCase(reportedAt: Date, summary: string) {
  const reported = await reportCase(
    await s.context("east.grid1"),
    { categoryId: "dispute", data: { ...validDispute, summary } },
    reportedAt,
  );
  if (!reported.ok) throw new Error("report failed");
  const later = (h: number) => new Date(reportedAt.getTime() + h * 3600_000);
  await s.fire(reported.caseId, "east.routing", "triage", { gradeId: "general" }, later(1));
  await s.fire(
    reported.caseId,
    "east.routing",
    "dispatch",
    { leadUnitId: "platform-safety", assistUnitIds: ["police-station"] },
    later(2),
  );
  await s.fire(reported.caseId, "east.safety", "accept", undefined, later(3));
  return reported.caseId;
}

describe("due and overdue", () => {
  it("lists running deadlines by due date, with working days left on the policy calendar", async () => {
    first = await dispatchedCase(T0, "桥头村噪音纠纷");
    second = await dispatchedCase(at(48), "山塘村宅基地纠纷");
    const rows = await listDueCases(s.db, await s.context("east.routing"), at(51));
    expect(rows.map((r) => r.id)).toEqual([first, second]);
    // Dispatched Mon 2 Mar → due end of Mon 9 Mar; on Wed 4 Mar: Thu, Fri, Mon = 3 working days.
    expect(rows[0]!.deadline).toMatchObject({
      kind: "handle",
      dueAt: "2026-03-09T15:59:59.999Z",
      workingDaysLeft: 3,
      overdue: false,
      colour: "green",
    });
    expect(rows[1]!.deadline).toMatchObject({ dueAt: "2026-03-11T15:59:59.999Z", workingDaysLeft: 5, colour: "green" });
    expect(rows[0]!.leadUnitId).toBe("platform-safety");
  });

  it.each([
    ["Wed 4 Mar", march(4), 3, "green"],
    ["Thu 5 Mar", march(5), 2, "orange"],
    ["Fri 6 Mar", march(6), 1, "orange"],
    ["Sat 7 Mar (weekend: still 1)", march(7), 1, "orange"],
    ["Mon 9 Mar, due today", march(9), 0, "orange"],
  ] as const)("on %s the first case has %i working days left: %s", async (_label, now, left, colour) => {
    const [row] = await listDueCases(s.db, await s.context("east.routing"), now);
    expect(row!.deadline).toMatchObject({ workingDaysLeft: left, colour, overdue: false });
  });

  it("filters: due soon (≤ 2 working days) and overdue", async () => {
    const routing = await s.context("east.routing");
    expect((await listDueCases(s.db, routing, march(6), "soon")).map((r) => r.id)).toEqual([first]);
    expect(await listDueCases(s.db, routing, march(6), "overdue")).toEqual([]);
    await sweepDueCases(s.db, march(10));
    const overdue = await listDueCases(s.db, routing, march(10), "overdue");
    expect(overdue.map((r) => r.id)).toEqual([first]);
    expect(overdue[0]!.deadline).toMatchObject({ overdue: true, colour: "red", overdueWorkingDays: 1 });
    expect(overdue[0]!.openSheets).toBe(1);
    expect((await listDueCases(s.db, routing, march(10), "soon")).map((r) => r.id)).toEqual([second]);
  });

  it("shows each user only the cases they may read", async () => {
    // The reporter's grid and the lead platform see them; a grid worker elsewhere sees none.
    expect((await listDueCases(s.db, await s.context("east.grid1"), march(10))).map((r) => r.id)).toEqual([
      first,
      second,
    ]);
    expect((await listDueCases(s.db, await s.context("east.safety"), march(10))).length).toBe(2);
    expect(await listDueCases(s.db, await s.context("east.grid3"), march(10))).toEqual([]);
  });
});

describe("supervision", () => {
  it("lists the open sheet and, later, the talk; the printable sheet says what it demands", async () => {
    const routing = await s.context("east.routing");
    const open = await listOpenSupervision(routing);
    expect(open.sheets).toHaveLength(1);
    const sheet = open.sheets[0]!;
    expect(sheet).toMatchObject({
      number: "2026-000001",
      toUnitIds: ["platform-safety"],
      copyPosts: ["routing"],
      status: "open",
    });
    expect(sheet.case.id).toBe(first);

    const printed = await getSheetForPrint(s.db, routing, sheet.id, "zh-CN");
    expect(printed).toMatchObject({
      number: "2026-000001",
      label: "超期督办单",
      trigger: "ladder",
      toUnitIds: ["platform-safety"],
      copyPosts: ["routing"],
      dueAt: "2026-03-09T15:59:59.999Z",
      // Due Mon 9 Mar, issued Tue 10 Mar: one working day over.
      overdueWorkingDays: 1,
      // Feedback window: 5 working days from Tue 10 Mar → end of Tue 17 Mar.
      respondBy: "2026-03-17T15:59:59.999Z",
    });
    expect(printed!.case).toMatchObject({ id: first, categoryId: "dispute", title: "桥头村噪音纠纷" });
    expect(printed!.assignedAt).toBe(at(2).toISOString());
    expect((await getSheetForPrint(s.db, routing, sheet.id, "en"))!.label).toBe("Supervision sheet");

    // Three working days after the due date: the principal leader's talk.
    await sweepDueCases(s.db, new Date("2026-03-12T17:00:00Z"));
    const later = await listOpenSupervision(routing);
    expect(later.talks).toHaveLength(1);
    expect(later.talks[0]).toMatchObject({ principalPost: "director", withUnitIds: ["platform-safety"] });
  });

  it("a user who may not read the case sees neither the sheet nor the talk, not even by id", async () => {
    const grid3 = await s.context("east.grid3");
    const sheet = await s.db.supervisionSheet.findFirstOrThrow({ where: { caseId: first } });
    expect(await listOpenSupervision(grid3)).toEqual({ sheets: [], talks: [] });
    expect(await getSheetForPrint(s.db, grid3, sheet.id, "zh-CN")).toBeNull();
    expect(await getSheetForPrint(s.db, grid3, "not-an-id", "zh-CN")).toBeNull();
    expect(await getSheetForPrint(s.db, await s.context("east.grid1"), sheet.id, "zh-CN")).not.toBeNull();
  });
});

describe("the case screen", () => {
  it("offers the lead unit its actions, with forms, and shows supervision and the trail", async () => {
    const safety = await s.context("east.safety");
    const audit = await s.db.auditEvent.findMany({ where: { caseId: first }, orderBy: { seq: "asc" } });
    const screen = await loadCaseScreen(s.db, safety, first, audit, "zh-CN", new Date("2026-03-13T01:00:00Z"));
    expect(screen!.actions.map((a) => a.id)).toEqual(["report-back"]);
    expect(screen!.actions[0]!.form!.name).toBe("处置反馈");
    expect(screen!.deadlines[0]).toMatchObject({ kind: "handle", colour: "red" });
    expect(screen!.assignment).toMatchObject({ leadUnitId: "platform-safety", assistUnitIds: ["police-station"] });
    expect(screen!.sheets).toHaveLength(1);
    expect(screen!.talks).toHaveLength(1);
    const dispatch = screen!.trail.find((e) => e.transition?.name === "分流交办")!;
    expect(dispatch.actor).toBe("王敏（东湖镇流转督办）");
    expect(dispatch.input).toEqual([
      expect.objectContaining({ title: "主办单位", value: "平安法治平台" }),
      expect.objectContaining({ title: "协办单位", value: "派出所" }),
    ]);
    // Routing has nothing to do while the lead unit is handling, except to supervise.
    const routingScreen = await loadCaseScreen(
      s.db,
      await s.context("east.routing"),
      first,
      audit,
      "zh-CN",
      new Date("2026-03-13T01:00:00Z"),
    );
    expect(routingScreen!.actions.map((a) => a.id)).toEqual(["suspend", "supervise"]);
    expect(await loadCaseScreen(s.db, await s.context("east.grid3"), first, audit, "zh-CN", new Date())).toBeNull();
  });

  it("gives every *UnitId / *UnitIds field the township's units as choices", async () => {
    const routing = await s.context("east.routing");
    const form = transitionFormFor(routing.compiled, "dispatch", "zh-CN")!;
    type Props = Record<string, { enum?: string[]; items?: { enum?: string[] } }>;
    type Ui = Record<
      string,
      { "ui:widget"?: string; "ui:enumNames"?: string[]; items?: { "ui:enumNames"?: string[] } }
    >;
    const choices = (ids: string[] | undefined, names: string[] | undefined) =>
      Object.fromEntries((ids ?? []).map((id, i) => [id, names?.[i]]));
    const props = form.schema.properties as Props;
    const ui = form.uiSchema as Ui;
    expect(choices(props.leadUnitId!.enum, ui.leadUnitId!["ui:enumNames"])).toMatchObject({
      "platform-safety": "平安法治平台",
      "grid-qiaotou-1": "桥头村第一网格",
    });
    expect(choices(props.assistUnitIds!.items!.enum, ui.assistUnitIds!.items!["ui:enumNames"])).toMatchObject({
      "police-station": "派出所",
    });
    // RJSF has no "unit" widget: the config's hint becomes a select, the array checkboxes.
    expect(ui.leadUnitId!["ui:widget"]).toBe("select");
    expect(ui.assistUnitIds!["ui:widget"]).toBe("checkboxes");
    expect(JSON.stringify(form.uiSchema)).not.toContain('"unit"');
    const en = transitionFormFor(routing.compiled, "dispatch", "en")!;
    expect(
      choices((en.schema.properties as Props).leadUnitId!.enum, (en.uiSchema as Ui).leadUnitId!["ui:enumNames"]),
    ).toMatchObject({ "platform-safety": "Safety and rule-of-law platform" });
    // The config itself is untouched: the server still validates against it.
    expect(
      (routing.compiled.forms.get("dispatch")!.schema as { properties: Props }).properties.leadUnitId!.enum,
    ).toBeUndefined();
  });

  it("pauses the handling clock (grey) and runs the review clock after the report back", async () => {
    await s.fire(
      first,
      "east.safety",
      "report-back",
      { result: "已调解，双方签订协议" },
      new Date("2026-03-13T02:00:00Z"),
    );
    const audit = await s.db.auditEvent.findMany({ where: { caseId: first }, orderBy: { seq: "asc" } });
    const screen = await loadCaseScreen(
      s.db,
      await s.context("east.routing"),
      first,
      audit,
      "zh-CN",
      new Date("2026-03-13T03:00:00Z"),
    );
    expect(screen!.deadlines.map((d) => [d.kind, d.colour])).toEqual([
      ["review", "green"],
      ["handle", "grey"],
    ]);
    const [row] = await listDueCases(s.db, await s.context("east.routing"), new Date("2026-03-13T03:00:00Z"));
    expect(row).toMatchObject({ id: second });
    expect(
      (await listDueCases(s.db, await s.context("east.routing"), new Date("2026-03-13T03:00:00Z"))).find(
        (r) => r.id === first,
      )!.deadline.kind,
    ).toBe("review");
  });
});

describe("inbox", () => {
  it("lists unread first, marks the user's own notifications read, and no one else's", async () => {
    await deliverAll();
    const safety = await s.context("east.safety");
    const before = await listNotifications(safety);
    expect(before.unread).toBeGreaterThanOrEqual(3);
    expect(before.rows.map((n) => n.kind)).toEqual(
      expect.arrayContaining(["case.dispatched", "deadline.reminder", "supervision.sheet", "supervision.talk"]),
    );
    const target = before.rows[0]!;
    // Another user cannot mark it.
    expect(await markNotificationsRead(await s.context("east.routing"), [target.id], new Date())).toBe(0);
    expect(await markNotificationsRead(safety, [target.id, "garbage"], new Date())).toBe(1);
    const after = await listNotifications(safety);
    expect(after.unread).toBe(before.unread - 1);
    expect(after.rows.at(-1)!.id).toBe(target.id);
    const user = await s.db.user.findUniqueOrThrow({ where: { login: "east.safety" } });
    expect(await unreadByTownship(s.db, user.id)).toEqual([
      expect.objectContaining({ code: "east-lake", unread: after.unread }),
    ]);
    expect(await markNotificationsRead(safety, "all", new Date())).toBe(after.unread);
    expect((await listNotifications(safety)).unread).toBe(0);
  });
});

describe("mode switch and the duty leader", () => {
  it("reads the watching posts from the config", async () => {
    const routing = await s.context("east.routing");
    expect([...supervisoryPosts(routing.compiled)].sort()).toEqual([
      "director",
      "executive-deputy",
      "full-time-deputy",
      "inspection",
      "routing",
    ]);
    expect(await watchesDeadlines(s.db, routing, T0)).toBe(true);
    expect(await watchesDeadlines(s.db, await s.context("east.grid1"), T0)).toBe(false);
    expect(await watchesDeadlines(s.db, await s.context("east.safety"), T0)).toBe(false);
  });

  it("refuses whoever the config does not let switch, a missing reason and a stale version", async () => {
    const routing = await s.context("east.routing");
    expect(await getModeState(s.db, routing, T0)).toMatchObject({ mode: "peacetime", version: 0, canSwitch: false });
    expect(
      await switchTenantMode(s.db, routing, { to: "wartime", reason: "演练", expectedVersion: 0 }, T0),
    ).toMatchObject({ ok: false, refusal: { kind: "not-allowed" } });
    const director = await s.context("east.director");
    expect(await getModeState(s.db, director, T0)).toMatchObject({ canSwitch: true });
    expect(
      await switchTenantMode(s.db, director, { to: "wartime", reason: " ", expectedVersion: 0 }, T0),
    ).toMatchObject({ ok: false, refusal: { kind: "invalid-input", issues: [{ path: "/reason" }] } });
    expect(
      await switchTenantMode(s.db, director, { to: "wartime", reason: "防汛应急", expectedVersion: 3 }, T0),
    ).toMatchObject({ ok: false, refusal: { kind: "stale-version" } });
    expect(await s.db.tenant.findUniqueOrThrow({ where: { code: "east-lake" } })).toMatchObject({
      mode: "peacetime",
      modeVersion: 0,
    });
  });

  it("switches to wartime: persisted, audited with the reason, announced; the whole leadership is on duty", async () => {
    const director = await s.context("east.director");
    const now = new Date("2026-03-16T01:00:00Z");
    expect(
      await switchTenantMode(s.db, director, { to: "wartime", reason: "防汛Ⅳ级应急响应", expectedVersion: 0 }, now),
    ).toEqual({ ok: true, mode: "wartime", version: 1 });
    const tenant = await s.db.tenant.findUniqueOrThrow({ where: { code: "east-lake" } });
    expect(tenant).toMatchObject({ mode: "wartime", modeVersion: 1 });
    const audit = await s.db.auditEvent.findFirstOrThrow({
      where: { tenantId: tenant.id, type: "tenant.mode-switched" },
    });
    expect(audit.data).toMatchObject({ from: "peacetime", to: "wartime", reason: "防汛Ⅳ级应急响应" });
    expect(audit.actorId).toBe(director.user.id);
    await deliverAll();
    const routing = await s.context("east.routing");
    expect((await listNotifications(routing)).rows.find((n) => n.kind === "tenant.mode-switched")).toMatchObject({
      urgency: "urgent",
      title: "东湖镇：平时 → 战时",
    });
    // Same switch again on the new version: already in wartime.
    expect(
      await switchTenantMode(
        s.db,
        await s.context("east.director"),
        { to: "wartime", reason: "再次", expectedVersion: 1 },
        now,
      ),
    ).toMatchObject({ ok: false, refusal: { kind: "wrong-state" } });
    const duty = await dutyLeaderToday(s.db, await s.context("east.routing"), now);
    expect(duty).toMatchObject({ allLeadership: true });
    expect(duty.leaders).toContain("陈刚（东湖镇主任）");
    expect(await verifyAuditChain(s.db, tenant.id)).toMatchObject({ ok: true });
  });

  it("switches back to peacetime; the rota names the duty leader by duty date (handover 08:30)", async () => {
    const director = await s.context("east.director");
    expect(
      await switchTenantMode(
        s.db,
        director,
        { to: "peacetime", reason: "应急响应结束", expectedVersion: 1 },
        new Date("2026-03-17T01:00:00Z"),
      ),
    ).toMatchObject({ ok: true, mode: "peacetime", version: 2 });
    const tenant = await s.db.tenant.findUniqueOrThrow({ where: { code: "east-lake" } });
    const safety = await s.db.user.findUniqueOrThrow({ where: { login: "east.safety" } });
    // Replaces the demo seed's rota.
    const rota = { dates: [{ date: "2026-03-18", holders: [safety.id] }] };
    await s.db.dutyRota.upsert({
      where: { tenantId: tenant.id },
      create: { tenantId: tenant.id, data: rota },
      update: { data: rota },
    });
    const routing = await s.context("east.routing");
    // Wed 18 Mar 09:00 Shanghai: on duty. 08:00 the same morning still belongs to the 17th.
    expect(await dutyLeaderToday(s.db, routing, new Date("2026-03-18T01:00:00Z"))).toMatchObject({
      date: "2026-03-18",
      leaders: ["钱勇（平安法治平台牵头领导）"],
      allLeadership: false,
    });
    expect(await dutyLeaderToday(s.db, routing, new Date("2026-03-18T00:00:00Z"))).toMatchObject({
      date: "2026-03-17",
      leaders: [],
    });
    // Today's duty leader watches deadlines whatever their post.
    expect(await watchesDeadlines(s.db, await s.context("east.safety"), new Date("2026-03-18T01:00:00Z"))).toBe(true);
  });
});
