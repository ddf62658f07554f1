// The standards body on a real database: its registry shows which township runs which version of
// its templates; publishing from the browser path checks JSON, config validity, version order,
// release notes and template ownership before writing, and audits the publication.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { verifyAuditChain } from "#app/server/audit.server";
import { hashPassword } from "#app/server/password.server";
import {
  checkRelease,
  latestDocument,
  loadRegistry,
  loadStandardsContext,
  publishRelease,
  TEMPLATE_PUBLISHER_POST,
  type StandardsContext,
} from "#app/server/standards.server";
import { isJsonObject } from "#engine/config/id-paths";
import { compareVersions, nextMinorVersion } from "#engine/config/versions";
import { HttpSession, startAppOn, type AppProcess } from "#tests/setup/app-process";
import { seededDatabase, teardown, type Seeded } from "./helpers";
import { issueMessage } from "#app/locales/issues/index";

const BODY = "demo-standards";
const TEMPLATE = "command-room-guideline";
let s: Seeded;
beforeAll(async () => {
  s = await seededDatabase();
});
afterAll(() => teardown(s));

async function contextOf(login: string, body = BODY): Promise<StandardsContext> {
  const ctx = await loadStandardsContext(s.db, await s.sessionUser(login), body, new Date());
  if (!ctx) throw new Error(`${login} is not a member of ${body}`);
  return ctx;
}

/** A body with one member, for ownership and read-only tests. */
async function addBody(code: string, login: string, posts: string[]) {
  const tenant = await s.db.tenant.create({ data: { code, kind: "standards", name: `${code} 标准机构` } });
  const user = await s.db.user.create({ data: { login, displayName: login, passwordHash: "x" } });
  await s.db.membership.create({ data: { tenantId: tenant.id, userId: user.id, posts, unitId: "secretariat" } });
  return tenant;
}

/** The newest published guideline with a category renamed, under the next version. */
async function nextGuideline(editor: StandardsContext) {
  const latest = await latestDocument(s.db, editor.tenant.id, TEMPLATE);
  if (!latest || !isJsonObject(latest.document)) throw new Error("no guideline");
  const doc = structuredClone(latest.document) as Record<string, unknown> & {
    categories: Array<{ id: string; name: { zh: string; en?: string } }>;
  };
  delete doc.releaseNotes;
  const category = doc.categories[0]!;
  category.name = { zh: `${category.name.zh}（修订）`, en: "Revised" };
  return {
    doc: { ...doc, version: nextMinorVersion(latest.version) },
    previous: latest.version,
    category: category.id,
  };
}

describe("registry", () => {
  it("shows the body's templates with the demo townships on the guideline version they extend", async () => {
    const editor = await contextOf("std.editor");
    expect(editor.canPublish).toBe(true);
    const { templates, readiness } = await loadRegistry(s.db, editor.tenant.id);
    expect(templates.map((t) => t.templateId).sort()).toEqual(["command-room-guideline", "zhoushan-141"]);
    const guideline = templates.find((t) => t.templateId === TEMPLATE)!;
    const v1 = guideline.versions.find((v) => v.version === "1.0.0")!;
    expect(v1.direct.map((t) => t.code)).toEqual(["east-lake", "west-hill"]);
    expect(v1.direct[0]!.county).toBe("示范县社会治理中心");
    expect(guideline.townships).toBe(2);
    // Newest first, and whoever is not on the newest counts as behind.
    const versions = guideline.versions.map((v) => v.version);
    expect(versions).toEqual([...versions].sort((a, b) => compareVersions(b, a)));
    expect(guideline.behind).toBe(2);
    // A dry run of each behind township's upgrade: East Lake renamed a post the template renames too.
    const newest = guideline.versions[0]!.ref;
    expect(readiness["east-lake"]).toEqual({ to: newest, conflicts: 2, invalid: false });
    expect(readiness["west-hill"]).toEqual({ to: newest, conflicts: 0, invalid: false });
  });
});

describe("publishing a version", () => {
  it("checks before writing: bad JSON, missing notes, an old version number", async () => {
    const editor = await contextOf("std.editor");
    const bad = await checkRelease(s.db, editor, '{ "kind": "template",', { zh: "", en: "" });
    expect(bad.issues.map((i) => i.code)).toEqual(["release.bad-json"]);
    expect(issueMessage(bad.issues[0]!).en).toMatch(/^Not valid JSON/);

    const { doc } = await nextGuideline(editor);
    const noNotes = await checkRelease(s.db, editor, JSON.stringify(doc), { zh: "", en: "" });
    expect(noNotes.issues.map((i) => i.code)).toEqual(["release.notes-required"]);

    const old = await checkRelease(s.db, editor, JSON.stringify({ ...doc, version: "0.9.0" }), { zh: "回退", en: "" });
    expect(old.issues.map((i) => i.code)).toEqual(["release.version-not-newer"]);

    const invalid = await checkRelease(s.db, editor, JSON.stringify({ ...doc, grades: [{ id: "Bad Id" }] }), {
      zh: "坏",
      en: "",
    });
    expect(invalid.issues.some((i) => i.path.startsWith("/grades"))).toBe(true);
    expect(await s.db.templateVersion.count({ where: { templateId: TEMPLATE, version: doc.version } })).toBe(0);
  });

  it("shows what changed since the previous version and how many townships could upgrade, then publishes with notes and an audit entry", async () => {
    const editor = await contextOf("std.editor");
    const { doc, previous, category } = await nextGuideline(editor);
    const check = await checkRelease(s.db, editor, JSON.stringify(doc), { zh: "修订类别名称", en: "Category renamed" });
    expect(check.issues).toEqual([]);
    expect(check.previous).toBe(`${TEMPLATE}@${previous}`);
    expect(check.changes.some((c) => c.zh.includes(category) || c.zh.includes("（修订）"))).toBe(true);
    expect(check.upgradable).toBe(2);
    // Before publishing: how each township behind would fare upgrading to the draft.
    expect(check.upgrades.map((u) => [u.code, u.from, u.to, u.conflicts, u.invalid])).toEqual([
      ["east-lake", "command-room-guideline@1.0.0", `${TEMPLATE}@${doc.version}`, 2, false],
      ["west-hill", "command-room-guideline@1.0.0", `${TEMPLATE}@${doc.version}`, 0, false],
    ]);

    const result = await publishRelease(s.db, editor, JSON.stringify(doc, null, 2), {
      zh: "修订类别名称",
      en: "Category renamed",
    });
    expect(result).toEqual({ ok: true, ref: `${TEMPLATE}@${doc.version}`, status: "published" });
    const row = await s.db.templateVersion.findUniqueOrThrow({
      where: { templateId_version: { templateId: TEMPLATE, version: doc.version } },
    });
    expect([row.notes, row.notesEn, row.publishedBy, row.publisherId]).toEqual([
      "修订类别名称",
      "Category renamed",
      "std.editor",
      editor.tenant.id,
    ]);

    const guideline = (await loadRegistry(s.db, editor.tenant.id)).templates.find((t) => t.templateId === TEMPLATE)!;
    expect(guideline.versions[0]).toMatchObject({
      version: doc.version,
      latest: true,
      notes: { zh: "修订类别名称", en: "Category renamed" },
      direct: [],
    });
    expect(guideline.behind).toBe(2);

    const audit = await s.db.auditEvent.findMany({ where: { tenantId: editor.tenant.id, type: "template.published" } });
    expect(audit.map((a) => (a.data as { ref: string }).ref)).toContain(`${TEMPLATE}@${doc.version}`);
    expect((await verifyAuditChain(s.db, editor.tenant.id)).ok).toBe(true);

    // The same content again changes nothing; different content under that version is refused.
    expect(await publishRelease(s.db, editor, JSON.stringify(doc), { zh: "再发一次", en: "" })).toMatchObject({
      ok: true,
      status: "unchanged",
    });
    const changed = await publishRelease(s.db, editor, JSON.stringify({ ...doc, name: { zh: "改名" } }), {
      zh: "改名",
      en: "",
    });
    expect(changed.ok).toBe(false);
    expect(!changed.ok && changed.issues.map((i) => i.code)).toEqual(["publish.version-exists"]);
  });

  it("keeps a template to the body that started it; another body may start its own", async () => {
    const other = await addBody("other-standards", "other.editor", [TEMPLATE_PUBLISHER_POST]);
    const ctx = await contextOf("other.editor", "other-standards");
    expect(await latestDocument(s.db, other.id, TEMPLATE)).toBeUndefined();
    const editor = await contextOf("std.editor");
    const { doc } = await nextGuideline(editor);
    const taken = await publishRelease(s.db, ctx, JSON.stringify({ ...doc, version: "99.0.0" }), {
      zh: "抢发",
      en: "",
    });
    expect(!taken.ok && taken.issues.map((i) => i.code)).toEqual(["publish.not-owner"]);

    const own = await publishRelease(s.db, ctx, JSON.stringify({ ...doc, id: "other-guideline", version: "1.0.0" }), {
      zh: "",
      en: "",
    });
    expect(own).toMatchObject({ ok: true, ref: "other-guideline@1.0.0" });
    expect((await loadRegistry(s.db, other.id)).templates.map((t) => t.templateId)).toEqual(["other-guideline"]);
    expect((await loadRegistry(s.db, editor.tenant.id)).templates.map((t) => t.templateId)).not.toContain(
      "other-guideline",
    );
  });

  it("lets a member without the publisher post read the registry but not publish", async () => {
    const body = await s.db.tenant.findUniqueOrThrow({ where: { code: BODY } });
    const reader = await s.db.user.create({
      data: { login: "std.reader", displayName: "reader", passwordHash: await hashPassword("gridwork-demo") },
    });
    await s.db.membership.create({ data: { tenantId: body.id, userId: reader.id, posts: [], unitId: "secretariat" } });
    const ctx = await contextOf("std.reader");
    expect(ctx.canPublish).toBe(false);
    expect((await loadRegistry(s.db, body.id)).templates.length).toBeGreaterThan(0);
    const refused = await publishRelease(s.db, ctx, "{}", { zh: "", en: "" }).catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(Response);
    expect((refused as Response).status).toBe(403);
  });
});

describe("over HTTP", () => {
  let app: AppProcess;
  beforeAll(async () => {
    app = await startAppOn(s.database);
  });
  afterAll(() => app?.stop());

  it("shows the body only to its members, and the publish page only to publishers", async () => {
    const editor = new HttpSession(app.url);
    await editor.login("std.editor");
    const home = await editor.request("/t");
    expect(await home.text()).toContain(`href="/s/${BODY}"`);
    const registry = await editor.request(`/s/${BODY}`);
    expect(registry.status).toBe(200);
    expect(await registry.text()).toContain("command-room-guideline");
    expect((await editor.request(`/s/${BODY}/publish?from=${TEMPLATE}`)).status).toBe(200);

    const reader = new HttpSession(app.url);
    await reader.login("std.reader");
    expect((await reader.request(`/s/${BODY}`)).status).toBe(200);
    expect((await reader.request(`/s/${BODY}/publish`)).status).toBe(403);
    const post = await reader.post(`/s/${BODY}/publish`, {
      intent: "publish",
      document: "{}",
      notesZh: "",
      notesEn: "",
    });
    expect(post.status).toBe(403);

    const outsider = new HttpSession(app.url);
    await outsider.login("east.admin");
    expect((await outsider.request(`/s/${BODY}`)).status).toBe(404);
    expect((await outsider.request(`/s/${BODY}/publish`)).status).toBe(404);

    const county = new HttpSession(app.url);
    await county.login("county.admin");
    expect((await county.request(`/s/${BODY}`)).status).toBe(404);
    // A standards body is not a township or a county.
    expect((await editor.request(`/t/${BODY}`)).status).toBe(404);
    expect((await editor.request(`/c/${BODY}`)).status).toBe(404);
  });
});
