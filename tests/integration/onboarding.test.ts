// County onboarding and the township admin's config publishing on a real PostgreSQL: onboarding
// creates the township, its config v1, its first users and audit entries in one transaction or
// nothing at all; villages/grids files are checked row by row; a config edit publishes version 2
// while version 1 and the cases opened under it stay as they were.
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "#app/server/audit.server";
import { reportCase } from "#app/server/cases.server";
import { checkEdit, loadConfigAdmin, publishEdit } from "#app/server/config-admin.server";
import { getTenantConfig } from "#app/server/config.server";
import { listCountyTownships, loadCountyContext } from "#app/server/county.server";
import { importContext, listTemplateChoices, onboardTownship, previewOnboarding } from "#app/server/onboarding.server";
import { importOrgFile } from "#app/server/org-import.server";
import { verifyPassword } from "#app/server/password.server";
import { seedDemo } from "#app/server/seed.server";
import { loadTenantContext } from "#app/server/tenancy.server";
import { sectionValue } from "#engine/config/overrides";
import { formToDesigner } from "#engine/form-designer";
import type { OnboardingDraft } from "#engine/onboarding";
import { HttpSession, startAppOn, type AppProcess } from "#tests/setup/app-process";
import { seededDatabase, teardown, validDispute, type Seeded } from "./helpers";
import { issueMessage, withMessage } from "#app/locales/issues/index";

const TEMPLATE = "command-room-guideline@1.0.0";
let s: Seeded;
beforeAll(async () => {
  s = await seededDatabase();
});
afterAll(() => teardown(s));

async function countyCtx() {
  const ctx = await loadCountyContext(s.db, await s.sessionUser("county.admin"), "demo-county", new Date());
  if (!ctx) throw new Error("county.admin is not a member of demo-county");
  return ctx;
}

const townshipCtx = (login: string, code: string) => s.context(login, code);

function draft(code: string, patch: Partial<OnboardingDraft> = {}): OnboardingDraft {
  return {
    template: TEMPLATE,
    township: { code, name: { zh: "南湖镇", en: "South Lake Town" } },
    platforms: { keep: ["platform-party", "platform-economy", "platform-safety", "platform-service"], add: [] },
    units: [
      { kind: "village", id: "village-nanhu", name: "南湖村", name_en: "", parent: "", gridType: "" },
      {
        kind: "grid",
        id: "grid-nanhu-1",
        name: "南湖村第一网格",
        name_en: "",
        parent: "village-nanhu",
        gridType: "comprehensive",
      },
    ],
    admin: { login: `${code}.admin`, name: "郑洁（管理员）" },
    staff: [{ login: `${code}.grid1`, name: "林晓（网格员）", post: "grid-worker", unit: "grid-nanhu-1" }],
    ...patch,
  };
}

/** Everything onboarding could have written, to show that a refusal wrote none of it. */
async function snapshot() {
  const [tenants, users, memberships, versions, audit] = await Promise.all([
    s.db.tenant.count(),
    s.db.user.count(),
    s.db.membership.count(),
    s.db.configVersion.count(),
    s.db.auditEvent.count(),
  ]);
  return { tenants, users, memberships, versions, audit };
}

describe("the county's own people", () => {
  it("are seeded as members of the county tenant, and seeding again changes nothing", async () => {
    const county = await countyCtx();
    expect(county.county.code).toBe("demo-county");
    expect(county.membership).toEqual({ posts: ["county-admin"], unitId: "county-centre" });
    const again = await seedDemo(s.db, "tenants");
    expect(again.created).toBe(false);
    expect(again.logins.find((l) => l.login === "county.admin")).toMatchObject({ townships: ["demo-county"] });
    expect(await s.db.user.count({ where: { login: "county.admin" } })).toBe(1);
    // A county member is no member of its townships.
    expect(await loadTenantContext(s.db, county.user, "east-lake", new Date())).toBeNull();
  });
});

describe("onboarding a township", () => {
  it("offers the published templates with their platforms", async () => {
    const choices = await listTemplateChoices(s.db);
    const guideline = choices.find((c) => c.ref === TEMPLATE);
    expect(guideline?.facts.platforms.map((p) => p.id)).toEqual([
      "platform-party",
      "platform-economy",
      "platform-safety",
      "platform-service",
    ]);
    expect(guideline?.facts.adminPost).toBe("township-admin");
  });

  it("previews the resolved config without writing anything", async () => {
    const before = await snapshot();
    const preview = await previewOnboarding(s.db, draft("preview-only"), "zh-CN");
    if (!preview.ok) throw new Error(JSON.stringify(preview.issues));
    expect(preview.counts).toMatchObject({ villages: 1, grids: 1, categories: 3 });
    expect(preview.changes.map((c) => c.zh)).toEqual(["新增单位“南湖村”", "新增单位“南湖村第一网格”"]);
    expect(preview.form?.name).toBe("矛盾纠纷上报");
    expect(await snapshot()).toEqual(before);
  });

  it("creates the township, config v1, its first users and the audit entries together", async () => {
    const county = await countyCtx();
    const result = await onboardTownship(s.db, county, draft("south-lake"), new Date());
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.credentials.map((c) => [c.login, c.posts, c.unit])).toEqual([
      ["south-lake.admin", ["township-admin"], "command-room"],
      ["south-lake.grid1", ["grid-worker"], "grid-nanhu-1"],
    ]);

    const tenant = await s.db.tenant.findUniqueOrThrow({
      where: { code: "south-lake" },
      include: { configVersions: true },
    });
    expect(tenant).toMatchObject({
      kind: "township",
      name: "南湖镇",
      nameEn: "South Lake Town",
      parentId: county.county.id,
    });
    expect(tenant.configVersions).toHaveLength(1);
    expect(tenant.configVersions[0]).toMatchObject({ version: 1, extendsRef: TEMPLATE, publishedBy: "county.admin" });
    expect((tenant.configVersions[0]!.source as { org: unknown }).org).toEqual({
      units: [
        { id: "village-nanhu", kind: "village", name: { zh: "南湖村" }, parent: "command-room" },
        {
          id: "grid-nanhu-1",
          kind: "grid",
          name: { zh: "南湖村第一网格" },
          parent: "village-nanhu",
          gridType: "comprehensive",
        },
      ],
    });

    // Passwords are shown once and stored only as scrypt hashes.
    for (const c of result.credentials) {
      const user = await s.db.user.findUniqueOrThrow({ where: { login: c.login } });
      expect(user.passwordHash).toMatch(/^scrypt\$/);
      expect(user.passwordHash).not.toContain(c.password);
      expect(await verifyPassword(c.password, user.passwordHash)).toBe(true);
    }

    const audit = await s.db.auditEvent.findMany({ where: { tenantId: tenant.id }, orderBy: { seq: "asc" } });
    expect(audit.map((a) => [a.type, a.actorId])).toEqual([
      ["township.onboarded", county.user.id],
      ["config.published", county.user.id],
    ]);
    expect(await verifyAuditChain(s.db, tenant.id)).toEqual({ ok: true, count: 2 });
    const countyAudit = await s.db.auditEvent.findMany({ where: { tenantId: county.county.id } });
    expect(countyAudit.map((a) => a.type)).toEqual(["county.township-onboarded"]);

    // The new admin manages the config; the new grid worker files the first case.
    const admin = await townshipCtx("south-lake.admin", "south-lake");
    expect(admin.ability.can("manage", "Config")).toBe(true);
    const grid = await townshipCtx("south-lake.grid1", "south-lake");
    const reported = await reportCase(
      grid,
      {
        categoryId: "dispute",
        data: { ...validDispute, location: "南湖村3组" },
      },
      new Date(),
    );
    expect(reported.ok).toBe(true);

    const townships = await listCountyTownships(s.db, county.county.id);
    expect(townships.map((t) => [t.code, t.configVersion, t.extendsRef, t.openCases])).toEqual([
      ["east-lake", 1, TEMPLATE, 0],
      ["south-lake", 1, TEMPLATE, 1],
      ["west-hill", 1, TEMPLATE, 0],
    ]);
  });

  it.each<[string, () => unknown, string, string, "draft" | "config"]>([
    [
      "a draft of the wrong shape",
      () => ({ ...draft("bad-shape"), parentId: "another-county" }),
      "/parentId",
      "schema.additionalProperties",
      "draft",
    ],
    [
      "a dropped platform whose categories nobody takes over",
      () => draft("no-safety", { platforms: { keep: ["platform-party", "platform-service"], add: [] } }),
      "/platforms/remap/platform-safety",
      "onboarding.platform-categories",
      "draft",
    ],
    [
      "dropping every category with its platforms",
      () =>
        draft("no-categories", {
          platforms: { keep: ["platform-party"], add: [], remap: { "platform-safety": "", "platform-service": "" } },
        }),
      "/platforms/remap",
      "onboarding.no-categories",
      "draft",
    ],
    ["a code already taken", () => draft("east-lake"), "/township/code", "onboarding.code-taken", "draft"],
    [
      "a login already taken",
      () => draft("taken-login", { admin: { login: "east.grid1", name: "X" } }),
      "/admin/login",
      "onboarding.login-taken",
      "draft",
    ],
    [
      "a grid worker placed in a village",
      () =>
        draft("wrong-unit", {
          staff: [{ login: "wrong-unit.g", name: "X", post: "grid-worker", unit: "village-nanhu" }],
        }),
      "/staff/0/unit",
      "onboarding.unit-kind",
      "draft",
    ],
    [
      "a bad villages/grids row",
      () => draft("bad-row", { units: [{ kind: "grid", id: "g", name: "G", name_en: "", parent: "", gridType: "" }] }),
      "/units/0/parent",
      "import.parent-required",
      "draft",
    ],
  ])("refuses %s with bilingual issues and creates nothing", async (_name, make, path, code, where) => {
    const before = await snapshot();
    const result = await onboardTownship(s.db, await countyCtx(), make(), new Date());
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.issues.map((i) => [i.path, i.code, i.where])).toContainEqual([path, code, where]);
    for (const i of result.issues) expect(issueMessage(i).zh && issueMessage(i).en).toBeTruthy();
    expect(await snapshot()).toEqual(before);
  });

  it("onboards from every shipped template: one that names no admin post, with the post the county picks, and its platform dropped", async () => {
    const county = await countyCtx();
    const result = await onboardTownship(
      s.db,
      county,
      draft("zhoushan-town", {
        template: "zhoushan-141@1.0.0",
        platforms: {
          keep: ["platform-party", "platform-economy", "platform-safety"],
          add: [],
          remap: { "platform-service": "platform-safety" },
        },
        admin: { login: "zhoushan-town.admin", name: "管理员", post: "director" },
        staff: [],
      }),
      new Date(),
    );
    if (!result.ok) throw new Error(JSON.stringify(result.issues));
    expect(result.credentials.map((c) => [c.login, c.posts])).toEqual([["zhoushan-town.admin", ["director"]]]);
    // The admin may manage the new township's config and people: the grants came with onboarding.
    const admin = await townshipCtx("zhoushan-town.admin", "zhoushan-town");
    expect(admin.ability.can("manage", "Config")).toBe(true);
    expect(admin.ability.can("manage", "Membership")).toBe(true);
    expect([...admin.compiled.categories.values()].map((c) => c.platform)).not.toContain("platform-service");
  });

  it("lets only one of two simultaneous onboardings of the same code through, and the other leaves nothing behind", async () => {
    const county = await countyCtx();
    const a = draft("twin-town", { admin: { login: "twin.a.admin", name: "A" }, staff: [] });
    const b = draft("twin-town", { admin: { login: "twin.b.admin", name: "B" }, staff: [] });
    const results = await Promise.all([
      onboardTownship(s.db, county, a, new Date()),
      onboardTownship(s.db, county, b, new Date()),
    ]);
    expect(results.filter((r) => r.ok)).toHaveLength(1);
    const logins = (await s.db.user.findMany({ where: { login: { startsWith: "twin." } } })).map((u) => u.login);
    expect(logins).toHaveLength(1);
    expect(await s.db.tenant.count({ where: { code: "twin-town" } })).toBe(1);
  });
});

describe("importing villages and grids", () => {
  const header = ["kind", "id", "name", "name_en", "parent", "gridType"];
  const good = [
    ["village", "village-a", "甲村", "Village A", "", ""],
    ["grid", "grid-a-1", "甲村第一网格", "", "village-a", "comprehensive"],
  ];
  const bad = [
    ["village", "village-b", "乙村", "", "", ""],
    ["grid", "grid-b-1", "乙村第一网格", "", "village-nowhere", ""],
    ["town", "Bad Id", "", "", "", ""],
  ];

  async function context() {
    const ctx = await importContext(s.db, TEMPLATE, { keep: ["platform-safety"], add: [] });
    if (!ctx) throw new Error("template not published");
    return ctx;
  }

  async function xlsx(rows: string[][]) {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("村社网格");
    for (const row of rows) sheet.addRow(row);
    return new Uint8Array(await book.xlsx.writeBuffer());
  }
  const csv = (rows: string[][]) => new TextEncoder().encode("\uFEFF" + rows.map((r) => r.join(",")).join("\r\n"));

  it.each([
    ["CSV", "org.csv", () => Promise.resolve(csv([header, ...good]))],
    ["XLSX", "org.xlsx", () => xlsx([header, ...good])],
  ])("reads a good %s file into units", async (_kind, name, bytes) => {
    const { known, defaultParent } = await context();
    const result = await importOrgFile(name, await bytes(), known, defaultParent);
    expect(result.issues).toEqual([]);
    expect(result.units).toEqual([
      { id: "village-a", kind: "village", name: { zh: "甲村", en: "Village A" }, parent: "command-room" },
      { id: "grid-a-1", kind: "grid", name: { zh: "甲村第一网格" }, parent: "village-a", gridType: "comprehensive" },
    ]);
  });

  it.each([
    ["CSV", "org.csv", () => Promise.resolve(csv([header, ...bad]))],
    ["XLSX", "org.xlsx", () => xlsx([header, ...bad])],
  ])("reports every bad row of a %s file by its row number, in Chinese and English", async (_kind, name, bytes) => {
    const { known, defaultParent } = await context();
    const result = await importOrgFile(name, await bytes(), known, defaultParent);
    expect(result.units.map((u) => u.id)).toEqual(["village-b"]);
    expect(result.issues.map((i) => [i.row, i.column, i.code])).toEqual([
      [3, "parent", "import.parent-missing"],
      [4, "kind", "import.kind-unknown"],
      [4, "id", "import.id-invalid"],
      [4, "name", "import.name-missing"],
    ]);
    expect(result.issues[0]!.message).toEqual({
      zh: "第 3 行：上级“village-nowhere”不存在",
      en: 'Row 3: parent "village-nowhere" does not exist',
    });
  });

  it("refuses a file of another type, and a row naming a platform the township dropped", async () => {
    const { known, defaultParent } = await context();
    expect((await importOrgFile("org.pdf", new Uint8Array([1, 2, 3]), known, defaultParent)).issues[0]!.code).toBe(
      "import.file-type",
    );
    expect(
      (await importOrgFile("org.xlsx", new TextEncoder().encode("not a zip"), known, defaultParent)).issues[0]!.code,
    ).toBe("import.unreadable");
    const dropped = await importOrgFile(
      "org.csv",
      csv([header, ["village", "v", "村", "", "platform-party", ""]]),
      known,
      defaultParent,
    );
    expect(dropped.issues.map((i) => i.code)).toEqual(["import.parent-missing"]);
  });
});

describe("the township admin publishes a config edit", () => {
  it("publishes version 2, keeps version 1, and cases keep the version they were opened under", async () => {
    const grid = await townshipCtx("east.grid1", "east-lake");
    const before = await reportCase(grid, { categoryId: "dispute", data: validDispute }, new Date());
    if (!before.ok) throw new Error("report failed");

    const admin = await townshipCtx("east.admin", "east-lake");
    const state = await loadConfigAdmin(s.db, admin);
    expect(state.latest.version).toBe(1);
    const categories = structuredClone(sectionValue(state.latest.document, "categories")) as Array<{
      id: string;
      name: { zh: string };
    }>;
    categories.find((c) => c.id === "dispute")!.name.zh = "邻里纠纷";
    const policies = structuredClone(sectionValue(state.latest.document, "deadlinePolicies")) as Record<
      string,
      { handle: { amount: number } }
    >;
    policies.standard!.handle.amount = 3;
    const edit = { kind: "sections" as const, sections: { categories, deadlinePolicies: policies } };

    // Validating writes nothing and lists the changes as the diff reads them.
    const checked = checkEdit(state, admin, edit);
    if (!checked.ok) throw new Error(JSON.stringify(checked.issues));
    expect(checked.changes.map((c) => c.zh)).toEqual([
      "类别“矛盾纠纷”的名称（中文）：“矛盾纠纷” → “邻里纠纷”",
      "时限规则“standard”的办理时限：5 个工作日 → 3 个工作日",
    ]);
    expect(await s.db.configVersion.count({ where: { tenantId: admin.tenant.id } })).toBe(1);

    const published = await publishEdit(s.db, admin, edit, 1, new Date());
    expect(published).toEqual({ ok: true, version: 2, status: "published" });

    const versions = await s.db.configVersion.findMany({
      where: { tenantId: admin.tenant.id },
      orderBy: { version: "asc" },
    });
    expect(versions.map((v) => [v.version, v.publishedBy])).toEqual([
      [1, "seed"],
      [2, "east.admin"],
    ]);
    expect((versions[1]!.source as { categories: unknown }).categories).toEqual([
      { id: "dispute", name: { zh: "邻里纠纷" } },
      // East Lake's own category (tasks from the county), as it was written.
      expect.objectContaining({ id: "county-task" }),
    ]);
    const v1 = await getTenantConfig(s.db, admin.tenant.id, 1);
    const v2 = await getTenantConfig(s.db, admin.tenant.id);
    expect(v1?.compiled.categories.get("dispute")?.name.zh).toBe("矛盾纠纷");
    expect(v2?.compiled.categories.get("dispute")?.name.zh).toBe("邻里纠纷");
    expect(v2?.compiled.policies.get("standard")?.handle).toEqual({ amount: 3, unit: "working-days" });

    const old = await s.db.case.findUniqueOrThrow({ where: { id: before.caseId } });
    expect(old.configVersion).toBe(1);
    const after = await reportCase(
      await townshipCtx("east.grid1", "east-lake"),
      {
        categoryId: "dispute",
        data: validDispute,
      },
      new Date(),
    );
    if (!after.ok) throw new Error("report failed");
    expect((await s.db.case.findUniqueOrThrow({ where: { id: after.caseId } })).configVersion).toBe(2);

    const audit = await s.db.auditEvent.findFirstOrThrow({
      where: { tenantId: admin.tenant.id, type: "config.published" },
      orderBy: { seq: "desc" },
    });
    expect(audit).toMatchObject({
      actorId: admin.user.id,
      data: { version: 2, extendsRef: TEMPLATE, publishedBy: "east.admin" },
    });

    // An edit based on version 1 is refused now that version 2 exists; nothing is written.
    const stale = await publishEdit(s.db, await townshipCtx("east.admin", "east-lake"), edit, 1, new Date());
    expect(stale.ok).toBe(false);
    if (!stale.ok) expect(stale.issues[0]!.code).toBe("publish.stale");
    expect(await s.db.configVersion.count({ where: { tenantId: admin.tenant.id } })).toBe(2);
  });

  it("refuses an invalid edit with the CLI's issues, by id path, and publishes nothing", async () => {
    const admin = await townshipCtx("east.admin", "east-lake");
    const state = await loadConfigAdmin(s.db, admin);
    const categories = structuredClone(sectionValue(state.latest.document, "categories")) as Array<{
      id: string;
      defaultGrade: string;
    }>;
    categories.find((c) => c.id === "safety-hazard")!.defaultGrade = "urgent";
    const result = await publishEdit(
      s.db,
      admin,
      { kind: "sections", sections: { categories } },
      state.latest.version,
      new Date(),
    );
    expect(result.ok).toBe(false);
    if (!result.ok) {
      expect(result.issues.map(withMessage)).toContainEqual({
        path: "/categories/safety-hazard/defaultGrade",
        code: "reference.missing",
        params: { what: "grade", ref: "urgent" },
        message: { zh: "事件等级“urgent”不存在", en: 'Grade "urgent" does not exist' },
        where: "config",
      });
    }
    expect(await s.db.configVersion.count({ where: { tenantId: admin.tenant.id } })).toBe(state.latest.version);
  });

  it("publishes a designed form: a new required field is enforced on new cases", async () => {
    const admin = await townshipCtx("east.admin", "east-lake");
    const state = await loadConfigAdmin(s.db, admin);
    const model = formToDesigner(state.latest.document.forms!["intake-dispute"] as never);
    model.fields.push({ key: "witness", type: "text", title: { zh: "目击者", en: "Witness" }, required: true });
    const published = await publishEdit(
      s.db,
      admin,
      { kind: "form", formId: "intake-dispute", model },
      state.latest.version,
      new Date(),
    );
    expect(published).toMatchObject({ ok: true, status: "published" });
    const source = (
      await s.db.configVersion.findFirstOrThrow({ where: { tenantId: admin.tenant.id }, orderBy: { version: "desc" } })
    ).source as { forms: Record<string, unknown> };
    // Only what changed is written over the template's form; its lists as list edits (ADR 006).
    expect(source.forms["intake-dispute"]).toEqual({
      schema: {
        required: { $append: ["witness"] },
        properties: { witness: { type: "string", title: "目击者" } },
      },
      uiSchema: { "ui:order": { $append: ["witness"] } },
      i18n: { en: { schema: { properties: { witness: { title: "Witness" } } } } },
    });
    const grid = await townshipCtx("east.grid1", "east-lake");
    const refused = await reportCase(grid, { categoryId: "dispute", data: validDispute }, new Date());
    expect(refused.ok).toBe(false);
    const accepted = await reportCase(
      grid,
      { categoryId: "dispute", data: { ...validDispute, witness: "王某" } },
      new Date(),
    );
    expect(accepted.ok).toBe(true);
  });

  it("publishes nothing when nothing changed", async () => {
    const admin = await townshipCtx("east.admin", "east-lake");
    const state = await loadConfigAdmin(s.db, admin);
    const result = await publishEdit(
      s.db,
      admin,
      { kind: "sections", sections: { grades: sectionValue(state.latest.document, "grades") } },
      state.latest.version,
      new Date(),
    );
    expect(result).toEqual({ ok: true, version: state.latest.version, status: "unchanged" });
  });
});

describe("over HTTP: who reaches the county and admin screens", () => {
  let app: AppProcess;
  beforeAll(async () => {
    app = await startAppOn(s.database);
  });
  afterAll(() => app?.stop());

  it.each([
    ["county.admin", "/c/demo-county", 200],
    ["county.admin", "/c/demo-county/onboard", 200],
    ["east.grid1", "/c/demo-county", 404],
    ["east.grid1", "/c/demo-county/onboard", 404],
    ["county.admin", "/t/east-lake/admin", 404],
    ["east.admin", "/t/east-lake/admin", 200],
    ["east.admin", "/t/east-lake/admin/config", 200],
    ["east.admin", "/t/east-lake/admin/forms/intake-dispute", 200],
    ["east.admin", "/t/west-hill/admin/config", 404],
    ["east.routing", "/t/east-lake/admin/config", 403],
    ["east.director", "/t/east-lake/admin/forms/intake-dispute", 403],
  ])("%s GET %s → %i", async (login, path, status) => {
    const http = new HttpSession(app.url);
    await http.login(login);
    expect((await http.request(path)).status).toBe(status);
  });

  it("refuses a config publish or an onboarding from users without the right", async () => {
    const routing = new HttpSession(app.url);
    await routing.login("east.routing");
    const edit = JSON.stringify({ kind: "sections", sections: { categories: [] } });
    expect(
      (await routing.post("/t/east-lake/admin/config", { intent: "publish", edit, baseVersion: "1" })).status,
    ).toBe(403);
    const grid = new HttpSession(app.url);
    await grid.login("east.grid1");
    expect(
      (await grid.post("/c/demo-county/onboard", { intent: "publish", draft: JSON.stringify(draft("sneaky")) })).status,
    ).toBe(404);
    expect((await grid.post("/c/demo-county/import-org", { template: TEMPLATE })).status).toBe(404);
    expect(await s.db.tenant.count({ where: { code: "sneaky" } })).toBe(0);
  });

  it("onboards over HTTP, returning the one-time passwords once", async () => {
    const county = new HttpSession(app.url);
    await county.login("county.admin");
    const res = await county.post("/c/demo-county/onboard?_data=routes%2Fc.%24county.onboard", {
      intent: "publish",
      draft: JSON.stringify(draft("north-lake")),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      result: { ok: boolean; credentials: Array<{ login: string; password: string }> };
    };
    expect(body.result.ok).toBe(true);
    const admin = body.result.credentials.find((c) => c.login === "north-lake.admin")!;
    const session = new HttpSession(app.url);
    await session.login(admin.login, admin.password);
    // A one-time password opens only the page that replaces it.
    expect((await session.request("/t/north-lake/admin")).headers.get("Location")).toBe(
      "/password?redirectTo=%2Ft%2Fnorth-lake%2Fadmin",
    );
    const changed = await session.post("/password", {
      current: admin.password,
      next: "北湖镇管理员2026",
      confirm: "北湖镇管理员2026",
      redirectTo: "/t/north-lake/admin",
    });
    expect(changed.status).toBe(302);
    expect((await session.request("/t/north-lake/admin")).status).toBe(200);
  });
});
