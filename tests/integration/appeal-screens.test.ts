// The people's side of appeals (申诉) on real PostgreSQL, through the route modules themselves
// with a real session: the scores page offers the appeal on the user's own deductions and shows an
// appeal once filed; the appeal page explains the line, renders the configured form, refuses in
// the user's language, and files the appeal as a case; a withdrawn appeal frees the line again;
// an upheld one leaves a reversal that cannot itself be appealed.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loader as appealLoader, action as appealAction } from "#app/routes/t.$tenant.appeals.new";
import { loader as caseLoader } from "#app/routes/t.$tenant.cases.$caseId";
import { loader as scoresLoader } from "#app/routes/t.$tenant.scores";
import { reportCase } from "#app/server/cases.server";
import { getPrisma } from "#app/server/db.server";
import { runOutboxJob } from "#app/server/jobs.server";
import { localeCookie } from "#app/server/locale.server";
import { currentPeriodKey } from "#app/server/score-views.server";
import { startSession } from "#app/server/session.server";
import { seededDatabase, teardown, validDispute, type Seeded } from "./helpers";

const ZONE = "Asia/Shanghai";

let s: Seeded;
let tenantId = "";
const BASE = "http://gridwork.test";
/** Shanghai local "MM-DD HH:mm" in March 2026 → instant. */
const at = (local: string) => new Date(`2026-${local.replace(" ", "T")}:00+08:00`);
const keys = { ours: "", theirs: "", bonus: "" };
let appealId = "";

beforeAll(async () => {
  s = await seededDatabase();
  // The routes read the database and sessions through the app's own client.
  process.env.DATABASE_URL = s.database.url;
  process.env.GRIDWORK_EMBEDDED_DB = s.database.kind === "pglite" ? "1" : "0";
  process.env.SESSION_SECRET ??= "appeal-screens-test-secret";
  tenantId = (await s.db.tenant.findUniqueOrThrow({ where: { code: "east-lake" } })).id;
  const user = await s.db.user.create({ data: { login: "east.inspector", passwordHash: "x", displayName: "督查员" } });
  await s.db.membership.create({ data: { tenantId, userId: user.id, posts: ["inspection"], unitId: "command-room" } });
});
afterAll(async () => {
  await getPrisma().$disconnect();
  await teardown(s);
});

async function runJobs() {
  for (const job of await s.db.outboxJob.findMany({ where: { status: "pending" }, orderBy: { createdAt: "asc" } }))
    await runOutboxJob(s.db, job.id);
}

/** A returned case: its lead unit is deducted by the "returned" rule. */
async function returnedBy(unitId: string, login: string, day: number) {
  const when = (h: number) => at(`03-0${day} ${String(9 + h).padStart(2, "0")}:00`);
  const r = await reportCase(await s.context("east.grid1"), { categoryId: "dispute", data: validDispute }, when(0));
  if (!r.ok) throw new Error(JSON.stringify(r));
  await s.fire(r.caseId, "east.routing", "triage", { gradeId: "general" }, when(1));
  await s.fire(r.caseId, "east.routing", "dispatch", { leadUnitId: unitId }, when(2));
  await s.fire(r.caseId, login, "return", { reason: "不属本单位职责" }, when(3));
  return r.caseId;
}

const cookies = new Map<string, string>();
/** The Cookie header of a fresh session for `login` (and the English switch). */
async function cookieOf(login: string, locale: "zh-CN" | "en" = "zh-CN") {
  const id = `${login}:${locale}`;
  if (!cookies.has(id)) {
    const user = await s.db.user.findUniqueOrThrow({ where: { login } });
    const session = (await startSession(new Request(`${BASE}/login`), user.id)).split(";")[0]!;
    cookies.set(id, locale === "en" ? `${session}; ${(await localeCookie.serialize("en")).split(";")[0]}` : session);
  }
  return cookies.get(id)!;
}

type Fn = (args: { request: Request; params: Record<string, string>; context: object }) => Promise<Response>;
/** A route function's response; a thrown Response (404, 403, redirect) is returned as well. */
async function call(fn: Fn, request: Request, params: Record<string, string> = {}): Promise<Response> {
  try {
    return await fn({ request, params: { tenant: "east-lake", ...params }, context: {} });
  } catch (e) {
    if (e instanceof Response) return e;
    throw e;
  }
}

async function page(login: string, path: string, locale?: "en") {
  return call(appealLoader as Fn, new Request(BASE + path, { headers: { Cookie: await cookieOf(login, locale) } }));
}
async function file(login: string, key: string, payload: unknown, locale?: "en") {
  const request = new Request(`${BASE}/t/east-lake/appeals/new?entry=${encodeURIComponent(key)}`, {
    method: "POST",
    headers: { Cookie: await cookieOf(login, locale), "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams({ payload: JSON.stringify(payload) }),
  });
  return call(appealAction as Fn, request);
}
const newAppeal = (key: string) => `/t/east-lake/appeals/new?entry=${encodeURIComponent(key)}`;

type Mark = { appeal: { caseId: string; number: string; state: string } | null; mayAppeal: boolean };
async function marks(login: string, period: string) {
  const res = await call(
    scoresLoader as Fn,
    new Request(`${BASE}/t/east-lake/scores?period=${period}`, { headers: { Cookie: await cookieOf(login) } }),
  );
  expect(res.status).toBe(200);
  return ((await res.json()) as { appeals: Record<string, Mark> }).appeals;
}

describe("appeals in the browser's routes", () => {
  it("arranges a deduction for the command room and one for the safety platform", async () => {
    await returnedBy("command-room", "east.director", 2);
    await returnedBy("platform-safety", "east.safety", 3);
    await runJobs();
    const lines = await s.db.scoreEntry.findMany({ where: { tenantId, origin: "rule" } });
    keys.ours = lines.find((l) => l.rule === "returned" && l.targetId === "command-room")!.dedupeKey;
    keys.theirs = lines.find((l) => l.rule === "returned" && l.targetId === "platform-safety")!.dedupeKey;
    keys.bonus = lines.find((l) => l.points > 0)!.dedupeKey;
    expect(Object.values(keys).every(Boolean)).toBe(true);
  });

  it("the scores page offers the appeal only on the user's own deductions", async () => {
    const m = await marks("east.director", "2026-03");
    expect(m[keys.ours]).toEqual({ appeal: null, mayAppeal: true });
    expect(m[keys.theirs]).toEqual({ appeal: null, mayAppeal: false });
    expect(m[keys.bonus]).toEqual({ appeal: null, mayAppeal: false });
  });

  it("someone who may not read reports sees only the lines naming them or their unit, with the appeal link, and no rankings", async () => {
    const safety = await s.context("east.safety");
    expect(safety.ability.can("read", "Report")).toBe(false);
    const res = await call(
      scoresLoader as Fn,
      new Request(`${BASE}/t/east-lake/scores?period=2026-03`, { headers: { Cookie: await cookieOf("east.safety") } }),
    );
    expect(res.status).toBe(200);
    const data = (await res.json()) as {
      full: boolean;
      rankings: object;
      lines: Array<{ key: string; targetId: string }>;
      appeals: Record<string, Mark>;
      canRecompute: boolean;
    };
    expect([data.full, data.rankings, data.canRecompute]).toEqual([false, {}, false]);
    expect(data.lines.map((l) => l.key)).toContain(keys.theirs);
    expect(data.lines.every((l) => l.targetId === "platform-safety" || l.targetId === safety.user.id)).toBe(true);
    expect(data.lines.map((l) => l.key)).not.toContain(keys.ours);
    expect(data.appeals[keys.theirs]).toEqual({ appeal: null, mayAppeal: true });
  });

  it("the appeal page explains the line and renders the configured form with the entry fixed", async () => {
    const res = await page("east.director", newAppeal(keys.ours));
    expect(res.status).toBe(200);
    const data = (await res.json()) as {
      line: { ruleName: string; points: number; target: string; caseNumber: string; fact: string };
      period: string;
      refusal: unknown[];
      form: {
        name: string;
        field: string;
        schema: { required: string[] };
        uiSchema: Record<string, Record<string, string>>;
      };
    };
    expect(data.line).toMatchObject({ ruleName: "签收前退回", points: -1, target: "综合信息指挥室", fact: "退回" });
    expect(data.line.caseNumber).toMatch(/^\S+$/);
    expect(data.period).toBe("2026-03");
    expect(data.refusal).toEqual([]);
    expect(data.form.name).toBe("考评申诉");
    expect(data.form.schema.required).toContain("reason");
    expect(data.form.uiSchema[data.form.field]!["ui:widget"]).toBe("hidden");
    expect(data.form.uiSchema.reason!["ui:widget"]).toBe("textarea");
  });

  it("shows a line only to whom it names or who reads reports; refuses in the user's language", async () => {
    expect((await page("east.grid1", newAppeal(keys.ours))).status).toBe(404);
    expect((await page("east.safety", newAppeal(keys.ours))).status).toBe(404);
    expect((await page("west.routing", newAppeal(keys.ours))).status).toBe(404);
    expect((await page("east.director", newAppeal("score:nothing-here"))).status).toBe(404);
    expect((await page("east.director", "/t/east-lake/appeals/new")).status).toBe(404);

    // The safety platform's lead reads no reports but may appeal the line naming the platform.
    const own = await page("east.safety", newAppeal(keys.theirs));
    expect(own.status).toBe(200);
    expect(((await own.json()) as { form: unknown }).form).not.toBeNull();

    const zh = await page("east.director", newAppeal(keys.theirs));
    expect(zh.status).toBe(403);
    expect(await zh.json()).toMatchObject({ refusal: [{ message: "只能对本人或本单位的扣分申诉" }], form: null });
    const en = await page("east.director", newAppeal(keys.theirs), "en");
    expect(await en.json()).toMatchObject({
      refusal: [{ message: "You may appeal only deductions from you or your unit" }],
    });
    const bonus = await page("east.director", newAppeal(keys.bonus));
    expect(await bonus.json()).toMatchObject({ refusal: [{ message: "只能对扣分申诉" }], form: null });
  });

  it("files the appeal: the form's errors first, then a case on the appeal workflow", async () => {
    const empty = await file("east.director", keys.ours, {});
    expect(empty.status).toBe(422);
    expect(await empty.json()).toMatchObject({ issues: [{ path: "/data/reason", message: "此项为必填项" }] });
    const short = await file("east.director", keys.ours, { reason: "冤" }, "en");
    expect(short.status).toBe(422);
    expect(((await short.json()) as { issues: Array<{ path: string; message: string }> }).issues[0]).toMatchObject({
      path: "/data/reason",
      message: "must NOT be shorter than 4 characters",
    });
    // Another line's key in the form does not redirect the appeal: the page's entry is the one filed.
    expect((await file("east.safety", keys.ours, { reason: "与本平台无关" })).status).toBe(404);

    const filed = await file("east.director", keys.ours, {
      reason: "本单位未签收，退回属正常流转",
      scoreKey: keys.theirs,
    });
    expect(filed.status).toBe(302);
    const location = filed.headers.get("Location")!;
    const [, id, number] = /^\/t\/east-lake\/cases\/([0-9a-f-]{36})\?appealed=(.+)$/.exec(location) ?? [];
    expect(id).toBeTruthy();
    appealId = id!;
    const row = await s.db.case.findUniqueOrThrow({ where: { id: appealId } });
    expect(row).toMatchObject({
      workflowId: "score-appeal",
      state: "submitted",
      number: decodeURIComponent(number!),
      data: { scoreKey: keys.ours, reason: "本单位未签收，退回属正常流转" },
    });

    const again = await file("east.director", keys.ours, { reason: "再申诉一次看看" });
    expect(again.status).toBe(422);
    expect(await again.json()).toMatchObject({ issues: [{ message: "该扣分已申诉过" }] });
  });

  it("the filed appeal shows beside the line, on the appeal page, and its grounds on the case page", async () => {
    const m = await marks("east.director", "2026-03");
    expect(m[keys.ours]).toMatchObject({ appeal: { caseId: appealId, state: "submitted" }, mayAppeal: false });
    const res = await page("east.director", newAppeal(keys.ours));
    expect(await res.json()).toMatchObject({
      appeal: { caseId: appealId, state: "submitted" },
      refusal: [{ message: "该扣分已申诉过" }],
      form: null,
    });

    const screen = await call(
      caseLoader as Fn,
      new Request(`${BASE}/t/east-lake/cases/${appealId}`, { headers: { Cookie: await cookieOf("east.director") } }),
      { caseId: appealId },
    );
    const fields = ((await screen.json()) as { fields: Array<{ key: string; title: string; value: unknown }> }).fields;
    expect(fields.find((f) => f.key === "reason")).toMatchObject({
      title: "申诉理由",
      value: "本单位未签收，退回属正常流转",
    });
    // The disputed line in words, not its ledger key.
    const disputed = fields.find((f) => f.key === "scoreKey")!;
    expect(disputed.value).toMatch(/^签收前退回 -1 · 综合信息指挥室 · \S+$/);
  });

  it("a withdrawn appeal frees the line for a new one", async () => {
    await s.fire(appealId, "east.director", "withdraw", undefined, new Date());
    expect((await marks("east.director", "2026-03"))[keys.ours]).toEqual({ appeal: null, mayAppeal: true });
    const filed = await file("east.director", keys.ours, { reason: "补充材料后重新申诉" });
    expect(filed.status).toBe(302);
    appealId = /cases\/([0-9a-f-]{36})/.exec(filed.headers.get("Location")!)![1]!;
  });

  it("upheld: the line shows the decision, and the reversal cannot be appealed", async () => {
    const decided = new Date();
    await s.fire(appealId, "east.inspector", "uphold", { reason: "经核实，退回符合规定" }, decided);
    await runJobs();
    const reversal = await s.db.scoreEntry.findUniqueOrThrow({ where: { dedupeKey: `${keys.ours}:reversed` } });
    expect(reversal).toMatchObject({ points: 1, targetId: "command-room", caseId: appealId });

    expect((await marks("east.director", "2026-03"))[keys.ours]).toMatchObject({
      appeal: { caseId: appealId, state: "upheld" },
      mayAppeal: false,
    });
    expect((await marks("east.director", currentPeriodKey(ZONE, decided)))[reversal.dedupeKey]).toEqual({
      appeal: null,
      mayAppeal: false,
    });
    expect(await (await page("east.director", newAppeal(reversal.dedupeKey))).json()).toMatchObject({
      refusal: [{ message: "只能对扣分申诉" }],
      form: null,
    });
  });
});
