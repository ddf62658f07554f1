// Reporting, listing and reading cases on a real PostgreSQL, with the seeded demo townships.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "#app/server/audit.server";
import { getCase, listCases, reportCase } from "#app/server/cases.server";
import { runOutboxJob } from "#app/server/jobs.server";
import { maskCaseData } from "#app/server/masking.server";
import { seededDatabase, teardown, validDispute, type Seeded } from "./helpers";
import { issueMessage } from "#app/locales/issues/index";

let s: Seeded;
beforeAll(async () => {
  s = await seededDatabase();
});
afterAll(() => teardown(s));

async function ctx(login: string, township: string) {
  const c = await s.contextOf(login, township);
  if (!c) throw new Error(`${login} is not a member of ${township}`);
  return c;
}

describe("reporting a case", () => {
  it("saves a valid case with its config version, an audit entry and a notification job", async () => {
    const grid1 = await ctx("east.grid1", "east-lake");
    const result = await reportCase(grid1, { categoryId: "dispute", data: validDispute }, new Date());
    expect(result.ok).toBe(true);
    if (!result.ok) return;
    expect(result.number).toMatch(/^\d{4}-000001$/);

    const saved = await s.db.case.findUniqueOrThrow({ where: { id: result.caseId }, include: { auditEvents: true } });
    expect(saved).toMatchObject({
      tenantId: grid1.tenant.id,
      configVersion: 1,
      categoryId: "dispute",
      gradeId: "general",
      state: "reported",
      orgUnitId: "grid-qiaotou-1",
      title: "邻里噪音纠纷",
      platformId: "platform-safety",
    });
    expect(saved.auditEvents.map((e) => e.type)).toEqual(["case.reported"]);

    const jobs = await s.db.outboxJob.findMany({ where: { tenantId: grid1.tenant.id, kind: "notify" } });
    expect(jobs).toHaveLength(1);
    // Running the job twice (a redelivery) notifies the routing post once.
    expect(await runOutboxJob(s.db, jobs[0]!.id)).toBe("done");
    expect(await runOutboxJob(s.db, jobs[0]!.id)).toBe("skipped");
    const routing = await s.db.user.findUniqueOrThrow({ where: { login: "east.routing" } });
    const notes = await s.db.notification.findMany({ where: { caseId: result.caseId } });
    expect(notes.map((n) => n.userId)).toEqual([routing.id]);
  });

  it("refuses invalid input with per-field messages in Chinese and English, and saves nothing", async () => {
    const grid1 = await ctx("east.grid1", "east-lake");
    const before = await s.db.case.count();
    const result = await reportCase(
      grid1,
      {
        categoryId: "dispute",
        data: { summary: "ab", parties: 1, partyPhone: "123" },
      },
      new Date(),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.refusal.kind).toBe("invalid-input");
    const byPath = Object.fromEntries(result.refusal.issues.map((i) => [i.path, issueMessage(i)]));
    expect(Object.keys(byPath).sort()).toEqual([
      "/data/location",
      "/data/parties",
      "/data/partyPhone",
      "/data/summary",
    ]);
    expect(byPath["/data/location"]).toEqual({ zh: "此项为必填项", en: "This field is required" });
    expect(byPath["/data/summary"]!.zh).toMatch(/[\u4e00-\u9fff]/);
    expect(byPath["/data/summary"]!.en).toMatch(/characters/);
    expect(await s.db.case.count()).toBe(before);
    expect(await s.db.outboxJob.count({ where: { payload: { path: ["title"], equals: "ab" } } })).toBe(0);
  });

  it("refuses a category of another township", async () => {
    const grid1 = await ctx("east.grid1", "east-lake");
    const result = await reportCase(
      grid1,
      { categoryId: "market-complaint", data: { summary: "市场短斤缺两" } },
      new Date(),
    );
    expect(result).toMatchObject({ ok: false, refusal: { kind: "invalid-input", issues: [{ path: "/categoryId" }] } });
  });
});

describe("who sees a case", () => {
  let caseId: string;
  beforeAll(async () => {
    const result = await reportCase(
      await ctx("east.grid1", "east-lake"),
      {
        categoryId: "safety-hazard",
        data: { summary: "楼道堆放杂物", hazardType: "消防", location: "桥头村8号" },
      },
      new Date(),
    );
    if (!result.ok) throw new Error("setup failed");
    caseId = result.caseId;
  });

  it.each([
    ["east.grid1", "east-lake", true, "the reporter, in their own grid"],
    ["east.routing", "east-lake", true, "command-room routing, whole township"],
    ["both.analyst", "east-lake", true, "an analyst of both townships, in the case's township"],
    ["east.grid3", "east-lake", false, "a grid worker of another village"],
  ])("%s in %s sees it: %s (%s)", async (login, township, visible) => {
    const c = await ctx(login, township);
    expect(Boolean(await getCase(c, caseId))).toBe(visible);
    const { rows, total } = await listCases(c);
    expect(rows.some((r) => r.id === caseId)).toBe(visible);
    expect(total).toBe(rows.length);
  });

  it.each([["west.routing"], ["west.grid1"], ["both.analyst"]])(
    "%s, working in the other township, can neither list nor open it",
    async (login) => {
      const c = await ctx(login, "west-hill");
      expect(await getCase(c, caseId)).toBeNull();
      const { rows, total } = await listCases(c);
      expect(rows.some((r) => r.id === caseId)).toBe(false);
      expect(total).toBe(0);
    },
  );

  it("a user who is not a member of a township gets no context for it", async () => {
    expect(await s.contextOf("west.routing", "east-lake")).toBeNull();
    expect(await s.contextOf("east.grid1", "no-such-town")).toBeNull();
  });

  it("malformed ids are refused without a query error", async () => {
    expect(await getCase(await ctx("east.routing", "east-lake"), "1 OR 1=1")).toBeNull();
  });
});

describe("confidential fields", () => {
  it("masks phone and ID numbers for grid workers and shows them to command-room staff", async () => {
    const result = await reportCase(
      await ctx("east.grid1", "east-lake"),
      {
        categoryId: "dispute",
        data: validDispute,
      },
      new Date(),
    );
    if (!result.ok) throw new Error("setup failed");
    const row = await s.db.case.findUniqueOrThrow({ where: { id: result.caseId } });
    const facts = {
      tenantId: row.tenantId,
      orgUnitId: row.orgUnitId,
      platformId: row.platformId,
      categoryId: row.categoryId,
      reporterId: row.reporterId,
    };
    const grid = await ctx("east.grid1", "east-lake");
    const masked = maskCaseData(
      grid.compiled,
      grid.ability,
      facts,
      "intake-dispute",
      row.data as Record<string, unknown>,
    );
    expect(masked.data.partyPhone).toBe("138******11");
    expect(masked.data.partyIdNumber).not.toContain("19800101");
    const routing = await ctx("east.routing", "east-lake");
    expect(
      maskCaseData(routing.compiled, routing.ability, facts, "intake-dispute", row.data as Record<string, unknown>).data
        .partyPhone,
    ).toBe("13800001111");
  });
});

describe("audit trail", () => {
  it("is hash-chained per tenant and verifies", async () => {
    const tenant = await s.db.tenant.findUniqueOrThrow({ where: { code: "east-lake" } });
    const check = await verifyAuditChain(s.db, tenant.id);
    expect(check).toMatchObject({ ok: true });
    expect(check.count).toBeGreaterThanOrEqual(3);
  });

  it("refuses updates and deletes at the database", async () => {
    await expect(s.db.$executeRawUnsafe(`UPDATE "AuditEvent" SET type = 'x'`)).rejects.toThrow(/append-only/);
    await expect(s.db.$executeRawUnsafe(`DELETE FROM "AuditEvent"`)).rejects.toThrow(/append-only/);
  });
});

describe("audit verify command", () => {
  it("prints every tenant's chain as ok and exits 0", async () => {
    const { execFileSync } = await import("node:child_process");
    const out = execFileSync(process.execPath, ["--import", "tsx", "scripts/audit-verify.ts", "east-lake"], {
      env: { ...process.env, DATABASE_URL: s.database.url },
      encoding: "utf8",
    });
    expect(out).toMatch(/^east-lake: ok, \d+ entries/m);
  });
});
