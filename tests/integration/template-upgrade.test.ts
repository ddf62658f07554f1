// The township admin's template upgrade on a real database: the newer template version with its
// release notes and changes, east-lake's conflicts with command-room-guideline@1.1.0 shown and
// decided, the upgrade published as version 2 on the new template (audited), a stale page or
// undecided changes refused, and only config admins let in. A version that adds a day off shows
// which open cases' due dates move before publishing, and publishing moves exactly those.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Deadline } from "#engine/case-state";
import { verifyAuditChain } from "#app/server/audit.server";
import { reportCase } from "#app/server/cases.server";
import { runConfigCli } from "#app/server/config-cli.server";
import { getTenantConfig } from "#app/server/config.server";
import { publishTemplate, publishTownshipConfig } from "#app/server/config-publish.server";
import {
  loadUpgradeScreen,
  previewUpgrade,
  publishUpgrade,
  upgradeRequestFromForm,
  upgradeWithDecisions,
  type Decision,
} from "#app/server/template-upgrade.server";
import { listTemplateVersions, templateLookupFromDir } from "#app/server/tenant-files.server";
import { transitionCase } from "#app/server/workflow.server";
import { seededDatabase, teardown, validDispute, type Seeded } from "./helpers";
import { issueMessage } from "#app/locales/issues/index";

const FROM = "command-room-guideline@1.0.0";
const TO = "command-room-guideline@1.1.0";
const ZH = "/posts/flexible/name/zh";
const EN = "/posts/flexible/name/en";

let s: Seeded;
beforeAll(async () => {
  s = await seededDatabase();
});
afterAll(() => teardown(s));

async function ctxOf(login: string, township: string) {
  const ctx = await s.contextOf(login, township);
  if (!ctx) throw new Error(`${login} is not a member of ${township}`);
  return ctx;
}

const tenantId = async (code: string) =>
  (await s.db.tenant.findUniqueOrThrow({ where: { code }, select: { id: true } })).id;
const versionsOf = async (code: string) =>
  s.db.configVersion.findMany({
    where: { tenantId: await tenantId(code) },
    orderBy: { version: "asc" },
    select: { version: true, extendsRef: true, source: true, document: true },
  });

describe("published template versions", () => {
  it("are listed per template in semver order, with the release notes the version carries", async () => {
    const all = await listTemplateVersions(s.db);
    expect(all.filter((v) => v.templateId === "command-room-guideline").map((v) => v.version)).toEqual([
      "1.0.0",
      "1.1.0",
    ]);
    const next = (await listTemplateVersions(s.db, "command-room-guideline")).at(-1)!;
    expect(next.ref).toBe(TO);
    expect(next.notes?.zh).toContain("新增“生态环境”事件类别");
    expect(next.notes?.en).toContain("Environment category");
  });
});

describe("east-lake upgrades to command-room-guideline@1.1.0", () => {
  it("the screen shows the version east-lake is on and what 1.1.0 changes, in words", async () => {
    const screen = await loadUpgradeScreen(s.db, await ctxOf("east.admin", "east-lake"));
    expect(screen.configVersion).toBe(1);
    expect(screen.current).toMatchObject({
      ref: FROM,
      templateId: "command-room-guideline",
      version: "1.0.0",
      name: { zh: "乡镇综合信息指挥室建设指南模板" },
    });
    expect(screen.newer.map((v) => v.ref)).toEqual([TO]);
    const [next] = screen.newer;
    expect(next!.notes?.zh).toContain("反馈审核时限由 5 个工作日缩短为 3 个工作日");
    const lines = next!.changes.map((c) => c.message.zh);
    expect(lines).toContain("新增类别“生态环境”");
    expect(lines).toContain("时限规则“review”的办理时限：5 个工作日 → 3 个工作日");
    expect(lines).toContain("岗位“机动岗位”的名称（中文）：“机动岗位” → “综合机动岗”");
    expect(next!.changes.map((c) => c.message.en)).toContain('Added category "Environment"');
    // The version number and release notes are the template's identity, no change for a township.
    expect(next!.changes.map((c) => c.path)).not.toContain("/version");
    expect(next!.changes.map((c) => c.path)).not.toContain("/releaseNotes");
  });

  it("a preview shows each conflict with the old, the township's and the new value, and writes nothing", async () => {
    const before = await s.db.configVersion.count();
    const preview = await previewUpgrade(
      s.db,
      await ctxOf("east.admin", "east-lake"),
      {
        to: TO,
        baseVersion: 1,
        decisions: {},
      },
      new Date(),
    );
    expect(preview).toMatchObject({
      from: FROM,
      to: TO,
      baseVersion: 1,
      ready: false,
      changes: null,
      issues: [],
      impact: null,
    });
    // One conflict per name the township and the template both changed (in the stored source's key order).
    expect(preview.conflicts.map((c) => [c.path, c.code, c.decided]).sort()).toEqual([
      [EN, "upgrade.both-changed", false],
      [ZH, "upgrade.both-changed", false],
    ]);
    const at = (path: string) => preview.conflicts.find((c) => c.path === path);
    expect(at(ZH)).toMatchObject({
      where: { zh: "岗位“应急机动岗”的名称（中文）", en: 'Post "Emergency standby post" › name (Chinese)' },
      base: '"机动岗位"',
      ours: '"应急机动岗"',
      theirs: '"综合机动岗"',
      decision: null,
      error: null,
    });
    expect(at(EN)!.message.en).toBe(`This township overrides ${EN}, and the new template changed it differently`);
    expect(await s.db.configVersion.count()).toBe(before);
  });

  it("a custom value that is not JSON is a bilingual error on its conflict; the other decision still applies", async () => {
    const decisions: Record<string, Decision> = {
      [ZH]: { choice: "custom", text: "应急岗" },
      [EN]: { choice: "theirs" },
    };
    const preview = await previewUpgrade(
      s.db,
      await ctxOf("east.admin", "east-lake"),
      {
        to: TO,
        baseVersion: 1,
        decisions,
      },
      new Date(),
    );
    const zh = preview.conflicts.find((c) => c.path === ZH);
    const en = preview.conflicts.find((c) => c.path === EN);
    expect(zh).toMatchObject({ decided: false, decision: { choice: "custom", text: "应急岗" } });
    expect(zh!.error?.zh).toContain("不是有效的 JSON");
    expect(zh!.error?.en).toContain("Not valid JSON");
    expect(en).toMatchObject({ decided: true, decision: { choice: "theirs" }, error: null });
    expect(preview.ready).toBe(false);
  });

  it("with every conflict decided, the preview lists how east-lake's config changes", async () => {
    const decisions: Record<string, Decision> = {
      [ZH]: { choice: "ours" },
      [EN]: { choice: "custom", text: '"Emergency and general-duty post"' },
    };
    const preview = await previewUpgrade(
      s.db,
      await ctxOf("east.admin", "east-lake"),
      {
        to: TO,
        baseVersion: 1,
        decisions,
      },
      new Date(),
    );
    expect(preview.issues).toEqual([]);
    expect(preview.ready).toBe(true);
    expect(preview.conflicts.every((c) => c.decided)).toBe(true);
    const changes = preview.changes!;
    expect(changes.map((c) => c.message.zh)).toEqual(
      expect.arrayContaining([
        "新增类别“生态环境”",
        "新增表单“生态环境问题上报”",
        "时限规则“review”的办理时限：5 个工作日 → 3 个工作日",
      ]),
    );
    expect(changes.find((c) => c.path === EN)?.message.en).toBe(
      'Post "Emergency standby post" › name (English): "Emergency standby post" → "Emergency and general-duty post"',
    );
    // Kept: the township's Chinese name does not change.
    expect(changes.map((c) => c.path)).not.toContain(ZH);
    // The shorter review time limit is a rule: no running case moves, the screen says so.
    expect(preview.impact).toEqual({ casesWithDeadlines: 0, calendarsChanged: false, policiesChanged: true, rows: [] });
  });

  it("publishes the decided upgrade as version 2 extending 1.1.0, audited, and the township runs it", async () => {
    const ctx = await ctxOf("east.admin", "east-lake");
    const decisions: Record<string, Decision> = {
      [ZH]: { choice: "ours" },
      [EN]: { choice: "custom", text: '"Emergency and general-duty post"' },
    };
    const preview = await previewUpgrade(s.db, ctx, { to: TO, baseVersion: 1, decisions }, new Date());
    const result = await publishUpgrade(
      s.db,
      ctx,
      {
        to: TO,
        baseVersion: 1,
        decisions,
        previewed: preview.fingerprint,
      },
      new Date(),
    );
    expect(result).toEqual({ ok: true, version: 2, status: "published", from: FROM, to: TO });

    const [v1, v2] = await versionsOf("east-lake");
    expect(v2).toMatchObject({ version: 2, extendsRef: TO });
    const source = v2!.source as { extends: string; org: unknown; posts: unknown };
    expect(source.extends).toBe(TO);
    expect(source.posts).toEqual([
      { id: "flexible", name: { zh: "应急机动岗", en: "Emergency and general-duty post" } },
    ]);
    expect(source.org).toEqual((v1!.source as { org: unknown }).org);
    expect(v1!.extendsRef).toBe(FROM);

    const id = await tenantId("east-lake");
    const upgraded = await s.db.auditEvent.findFirstOrThrow({ where: { tenantId: id, type: "config.upgraded" } });
    expect(upgraded).toMatchObject({ actorId: ctx.user.id });
    expect(upgraded.data).toEqual({
      version: 2,
      from: FROM,
      to: TO,
      decisions: { [ZH]: "ours", [EN]: { value: "Emergency and general-duty post" } },
    });
    expect(await s.db.auditEvent.count({ where: { tenantId: id, type: "config.published" } })).toBe(1);
    expect((await verifyAuditChain(s.db, id)).ok).toBe(true);

    const running = await getTenantConfig(s.db, id);
    expect(running?.version).toBe(2);
    expect(running?.compiled.categories.get("eco-environment")?.intakeForm).toBe("intake-environment");

    const screen = await loadUpgradeScreen(s.db, ctx);
    expect(screen).toMatchObject({ configVersion: 2, current: { ref: TO }, newer: [] });
  });

  it("a page opened before that version refuses to preview or publish again", async () => {
    const ctx = await ctxOf("east.admin", "east-lake");
    const stale = await publishUpgrade(
      s.db,
      ctx,
      { to: TO, baseVersion: 1, decisions: {}, previewed: "[]" },
      new Date(),
    );
    expect(stale.ok).toBe(false);
    if (stale.ok) return;
    expect(stale.preview.issues.map((i) => i.code)).toEqual(["publish.stale"]);
    expect(issueMessage(stale.preview.issues[0]!).en).toContain("reopen this page");
    expect(await s.db.configVersion.count({ where: { tenantId: await tenantId("east-lake") } })).toBe(2);
  });
});

describe("west-hill: no conflicts, but the page must be current and previewed", () => {
  it("refuses to publish what was not previewed with these decisions", async () => {
    const west = await westAdmin();
    const preview = await previewUpgrade(s.db, west, { to: TO, baseVersion: 1, decisions: {} }, new Date());
    expect(preview.conflicts).toEqual([]);
    expect(preview.ready).toBe(true);
    const result = await publishUpgrade(
      s.db,
      west,
      {
        to: TO,
        baseVersion: 1,
        decisions: { [ZH]: { choice: "ours" } },
        previewed: preview.fingerprint,
      },
      new Date(),
    );
    expect(result).toMatchObject({ ok: false, changedSincePreview: true });
    expect(await s.db.configVersion.count({ where: { tenantId: await tenantId("west-hill") } })).toBe(1);
  });

  it("refuses a stale page when another version was published after it was opened", async () => {
    const west = await westAdmin();
    const preview = await previewUpgrade(s.db, west, { to: TO, baseVersion: 1, decisions: {} }, new Date());
    // Meanwhile another admin publishes a change to west-hill on the old template.
    const [v1] = await versionsOf("west-hill");
    const edited = structuredClone(v1!.source) as { categories: Array<{ id: string; name: { zh: string } }> };
    edited.categories[0]!.name.zh = "市场投诉举报";
    expect(await publishTownshipConfig(s.db, edited, { by: "someone", baseVersion: 1, now: new Date() })).toMatchObject(
      {
        ok: true,
        version: 2,
      },
    );

    const result = await publishUpgrade(
      s.db,
      west,
      {
        to: TO,
        baseVersion: 1,
        decisions: {},
        previewed: preview.fingerprint,
      },
      new Date(),
    );
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.preview.issues.map((i) => i.code)).toEqual(["publish.stale"]);
    const versions = await versionsOf("west-hill");
    expect(versions.map((v) => [v.version, v.extendsRef])).toEqual([
      [1, FROM],
      [2, FROM],
    ]);
  });
});

/** A West Hill admin: the demo has none, so east.admin's user gets a membership there. */
async function westAdmin() {
  const user = await s.db.user.findUniqueOrThrow({ where: { login: "east.admin" } });
  const tenant = await tenantId("west-hill");
  if (!(await s.db.membership.findFirst({ where: { userId: user.id, tenantId: tenant } }))) {
    await s.db.membership.create({
      data: { tenantId: tenant, userId: user.id, posts: ["township-admin"], unitId: "command-room" },
    });
  }
  return ctxOf("east.admin", "west-hill");
}

describe("decisions applied in rounds", () => {
  it("a reference the new template removes is raised once the decision before it is taken, then decided in turn", () => {
    const lookup = templateLookupFromDir("tenants/templates");
    const base = lookup(FROM) as {
      forms: Record<string, unknown>;
      categories: Array<{ id: string; intakeForm: string }>;
    };
    const target = structuredClone(base);
    Object.assign(target, { version: "9.0.0" });
    delete target.forms["intake-service"];
    target.categories.find((c) => c.id === "public-service")!.intakeForm = "intake-dispute";
    const source = {
      kind: "township",
      id: "some-town",
      version: "1.0.0",
      extends: FROM,
      name: { zh: "某镇" },
      forms: { "intake-service": { uiSchema: { summary: { "ui:widget": "textarea" } } } },
      categories: [
        {
          id: "market",
          name: { zh: "市场" },
          platform: "platform-economy",
          defaultGrade: "general",
          intakeForm: "intake-service",
          workflow: "case-loop",
          deadlinePolicy: "standard",
        },
      ],
    };
    const input = { source, base, target, lookup };

    const first = upgradeWithDecisions(input, { "/forms/intake-service": { choice: "theirs" } });
    expect(first.conflicts.map((c) => [c.path, c.code])).toEqual([
      ["/forms/intake-service", "upgrade.removed-by-template"],
      ["/categories/market/intakeForm", "upgrade.reference-removed"],
    ]);
    expect(first.result.ok).toBe(false);

    const both = upgradeWithDecisions(input, {
      "/forms/intake-service": { choice: "theirs" },
      "/categories/market/intakeForm": { choice: "custom", text: '"intake-dispute"' },
    });
    expect(both.result.ok).toBe(true);
    if (!both.result.ok) return;
    expect(both.result.source.forms).toBeUndefined();
    expect(both.result.source.categories).toEqual([{ ...source.categories[0], intakeForm: "intake-dispute" }]);
  });
});

describe("the CLI shares the upgrade", () => {
  it("finds the same conflicts for east-lake's file as the screen does", async () => {
    const out: string[] = [];
    const code = await runConfigCli(["upgrade", "tenants/townships/east-lake.json", "--to", TO, "--locale", "en"], {
      out: (t) => out.push(t),
      err: (t) => out.push(t),
    });
    expect(code).toBe(1);
    const text = out.join("\n");
    expect(text).toContain("2 conflicts to decide");
    expect(text).toContain(`${ZH} [upgrade.both-changed]`);
    expect(text).toContain(`${EN} [upgrade.both-changed]`);
  });
});

describe("who may upgrade", () => {
  it.each(["east.routing", "east.director", "east.grid1"])(
    "%s (no right to manage the config) gets 403 everywhere",
    async (login) => {
      const ctx = await ctxOf(login, "east-lake");
      const request = { to: TO, baseVersion: 2, decisions: {} };
      await expect(loadUpgradeScreen(s.db, ctx)).rejects.toMatchObject({ status: 403 });
      await expect(previewUpgrade(s.db, ctx, request, new Date())).rejects.toMatchObject({ status: 403 });
      await expect(publishUpgrade(s.db, ctx, { ...request, previewed: "[]" }, new Date())).rejects.toMatchObject({
        status: 403,
      });
    },
  );
});

describe("the posted form", () => {
  it("carries the target, the version the page was opened on and one decision per conflict", () => {
    const form = new FormData();
    form.set("to", TO);
    form.set("baseVersion", "3");
    form.set(`choice:${ZH}`, "custom");
    form.set(`value:${ZH}`, '"应急机动岗"');
    form.set(`choice:${EN}`, "theirs");
    form.set("choice:/posts/flexible", "delete-everything");
    form.set("choice:no-slash", "ours");
    expect(upgradeRequestFromForm(form)).toEqual({
      to: TO,
      baseVersion: 3,
      decisions: { [ZH]: { choice: "custom", text: '"应急机动岗"' }, [EN]: { choice: "theirs" } },
    });
    const malformed = new FormData();
    malformed.set("to", "not a ref");
    malformed.set("baseVersion", "1");
    expect(upgradeRequestFromForm(malformed)).toMatchObject({ code: "upgrade.malformed" });
  });
});

describe("a version whose calendar adds a day off: the open cases whose due dates move (issue 6)", () => {
  const NEXT = "command-room-guideline@1.9.0";
  const local = (text: string) => new Date(text.replace(" ", "T") + ":00+08:00");
  const endOf = (date: string) => new Date(`${date}T23:59:59.999+08:00`).toISOString();
  // Monday 2 March 2026: a handling deadline set today is due at the end of Monday 9 March; 1.9.0
  // declares Wednesday 4 March a day off.
  const T0 = local("2026-03-02 09:00");
  const NOW = local("2026-03-02 15:00");
  let caseId = "";
  const handleDue = async () =>
    ((await s.db.case.findUniqueOrThrow({ where: { id: caseId } })).deadlines as Deadline[]).find(
      (d) => d.kind === "handle",
    )?.dueAt;

  beforeAll(async () => {
    const next = structuredClone(templateLookupFromDir("tenants/templates")(TO)) as {
      version: string;
      calendars: Record<string, { holidays?: string[] }>;
    };
    next.version = "1.9.0";
    next.calendars["cn-mainland"]!.holidays = ["2026-03-04"];
    expect(
      await publishTemplate(s.db, next, { by: "standards office", notes: "3月4日放假", now: new Date() }),
    ).toMatchObject({
      ok: true,
      status: "published",
    });

    const grid = await ctxOf("west.grid1", "west-hill");
    const routing = await ctxOf("west.routing", "west-hill");
    const reported = await reportCase(
      grid,
      { categoryId: "dispute", data: { ...validDispute, summary: "西山乡纠纷（将顺延）" } },
      T0,
    );
    if (!reported.ok) throw new Error(JSON.stringify(reported));
    caseId = reported.caseId;
    for (const [transitionId, input] of [
      ["triage", { gradeId: "general" }],
      ["dispatch", { leadUnitId: "platform-safety" }],
    ] as const) {
      const { version } = await s.db.case.findUniqueOrThrow({ where: { id: caseId }, select: { version: true } });
      const fired = await transitionCase(s.db, routing, caseId, { transitionId, input, expectedVersion: version }, T0);
      if (!fired.ok) throw new Error(JSON.stringify(fired));
    }
    expect(await handleDue()).toBe(endOf("2026-03-09"));
  });

  it("the ready preview lists the case with its current and new due, and says changed rules apply to new cases only", async () => {
    const west = await westAdmin();
    const { configVersion } = await loadUpgradeScreen(s.db, west);
    const preview = await previewUpgrade(s.db, west, { to: NEXT, baseVersion: configVersion, decisions: {} }, NOW);
    expect(preview.ready).toBe(true);
    const { number } = await s.db.case.findUniqueOrThrow({ where: { id: caseId }, select: { number: true } });
    expect(preview.impact).toEqual({
      casesWithDeadlines: 1,
      calendarsChanged: true,
      // 1.9.0 keeps 1.1.0's shorter review time limit: a rule, for cases reported after publishing.
      policiesChanged: true,
      // A township admin reads no case: the number only.
      rows: [
        {
          caseId,
          number,
          title: null,
          deadlineKind: "handle",
          paused: false,
          fromDueAt: endOf("2026-03-09"),
          toDueAt: endOf("2026-03-10"),
          workingDays: 1,
        },
      ],
    });
    expect(await handleDue()).toBe(endOf("2026-03-09"));
  });

  it("publishing moves exactly the previewed due and reports one re-timed case", async () => {
    const west = await westAdmin();
    const { configVersion } = await loadUpgradeScreen(s.db, west);
    const preview = await previewUpgrade(s.db, west, { to: NEXT, baseVersion: configVersion, decisions: {} }, NOW);
    const result = await publishUpgrade(
      s.db,
      west,
      { to: NEXT, baseVersion: configVersion, decisions: {}, previewed: preview.fingerprint },
      NOW,
    );
    expect(result).toEqual({
      ok: true,
      version: configVersion + 1,
      status: "published",
      from: FROM,
      to: NEXT,
      retimedCases: 1,
    });
    expect(await handleDue()).toBe(preview.impact!.rows[0]!.toDueAt);
    const retimed = await s.db.auditEvent.findFirstOrThrow({ where: { type: "case.deadlines-retimed", caseId } });
    expect(retimed.actorId).toBe(west.user.id);
    expect((await verifyAuditChain(s.db, west.tenant.id)).ok).toBe(true);
  });
});
