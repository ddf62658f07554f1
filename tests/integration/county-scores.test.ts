// Issue 15 item 4: the county assesses its departments and townships with its own scoring rules.
// East Lake escalates a case, the centre dispatches it to 县自然资源局, which reports back three days
// late after a county supervision sheet: the county's ledger charges the department and East Lake
// (the township it came from), and the county's ranking shows both in three colours. East Lake's
// people cannot open the county's scores, and East Lake's own ledger has none of the county's lines.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { reportCase } from "#app/server/cases.server";
import { runOutboxJob } from "#app/server/jobs.server";
import { scoreView } from "#app/server/score-views.server";
import { HttpSession, startAppOn, type AppProcess } from "#tests/setup/app-process";
import { seededDatabase, teardown, type Seeded } from "./helpers";

let s: Seeded;
let app: AppProcess;
let countyCaseId = "";
// Shanghai local times in March 2026; the county's handling deadline runs to Mon 16 March.
const at = (text: string) => new Date(`2026-03-${text}:00+08:00`);

async function drainOutbox() {
  for (let i = 0; i < 5; i++) {
    const pending = await s.db.outboxJob.findMany({ where: { status: "pending" }, orderBy: { createdAt: "asc" } });
    if (!pending.length) return;
    for (const job of pending) await runOutboxJob(s.db, job.id);
  }
}

async function fire(login: string, tenant: string, caseId: string, transitionId: string, when: Date, input?: unknown) {
  await s.fire(caseId, login, transitionId, input, when, tenant);
  await drainOutbox();
}

beforeAll(async () => {
  s = await seededDatabase();
  const r = await reportCase(
    await s.context("east.grid1"),
    { categoryId: "safety-hazard", data: { summary: "山体滑坡隐患", hazardType: "其他", location: "山下村后山" } },
    at("02T09:00"),
  );
  if (!r.ok) throw new Error("report failed");
  await fire("east.routing", "east-lake", r.caseId, "triage", at("02T09:30"), { gradeId: "major" });
  await fire("east.director", "east-lake", r.caseId, "escalate", at("02T10:00"), { reason: "需县自然资源局地灾鉴定" });
  countyCaseId = (await s.db.case.findUniqueOrThrow({ where: { sourceCaseId: r.caseId } })).id;
  await fire("county.dispatch", "demo-county", countyCaseId, "dispatch", at("02T11:00"), {
    leadUnitId: "dept-land",
    assistUnitIds: ["township-east-lake"],
  });
  await fire("dept.land", "demo-county", countyCaseId, "accept", at("02T14:00"));
  await fire("county.supervision", "demo-county", countyCaseId, "supervise", at("17T09:00"));
  await fire("dept.land", "demo-county", countyCaseId, "report-back", at("19T10:00"), {
    result: "已完成地灾鉴定并治理",
  });
  await fire("county.dispatch", "demo-county", countyCaseId, "approve", at("20T10:00"), { result: "已治理" });
  app = await startAppOn(s.database);
}, 120_000);
afterAll(async () => {
  await app?.stop();
  await teardown(s);
});

describe("the county's assessment of departments and townships", () => {
  it("the late case is charged to the lead department and to the township it came from, by the county's rules", async () => {
    const county = await s.db.tenant.findUniqueOrThrow({ where: { code: "demo-county" } });
    const lines = await s.db.scoreEntry.findMany({ where: { tenantId: county.id }, orderBy: { eventSeq: "asc" } });
    expect(lines.map((l) => `${l.rule} ${l.targetId} ${l.points}`)).toEqual([
      "dept-sheet dept-land -2",
      "township-sheet township-east-lake -1",
      "dept-late dept-land -3",
      "township-late township-east-lake -1.5",
    ]);
    expect(lines.every((l) => l.caseId === countyCaseId)).toBe(true);
  });

  it("the county's ranking lists townships and departments apart, with their colours and names", async () => {
    const view = await scoreView(s.db, await s.context("county.director", "demo-county"), "2026-03", "zh-CN");
    const rows = (group: "township" | "department") =>
      (view.rankings[group] ?? []).map((r) => `${r.rank} ${r.name} ${r.score} ${r.levelName}`);
    expect(rows("township")).toEqual(["1 西山乡（属地） 1000 绿色", "2 东湖镇（属地） 997.5 黄色"]);
    expect(rows("department").at(-1)).toBe("5 县自然资源局 995 黄色");
    expect(rows("department")).toContain("1 县公安局 1000 绿色");
  });

  it("the county director sees it on the scores screen", async () => {
    const http = await HttpSession.as(app.url, "county.director");
    const res = await http.request("/t/demo-county/scores?period=2026-03");
    expect(res.status).toBe(200);
    const html = await res.text();
    for (const text of [
      "乡镇（属地）",
      "县直部门",
      "县自然资源局",
      "995",
      "东湖镇（属地）",
      "997.5",
      "部门超期办结（每日）",
    ])
      expect(html).toContain(text);
  });

  it("a township's people cannot read the county's scores, and their own ledger has none of its lines", async () => {
    for (const login of ["east.director", "east.routing", "west.director"]) {
      const http = await HttpSession.as(app.url, login);
      expect((await http.request("/t/demo-county/scores?period=2026-03")).status).toBe(404);
      expect((await http.request("/t/demo-county/reports/2026-03")).status).toBe(404);
    }
    const east = await s.db.tenant.findUniqueOrThrow({ where: { code: "east-lake" } });
    const own = await s.db.scoreEntry.findMany({ where: { tenantId: east.id } });
    expect(own.some((l) => l.rule.startsWith("dept-") || l.rule.startsWith("township-"))).toBe(false);
    const page = await (await HttpSession.as(app.url, "east.director")).request("/t/east-lake/scores?period=2026-03");
    expect(page.status).toBe(200);
    expect(await page.text()).not.toContain("县自然资源局");
  });
});
