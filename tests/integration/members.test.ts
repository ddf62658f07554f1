// Township admins manage people: invite with a one-time password, AB岗 backups who step in while
// the primary is away, deactivation that ends sessions, and the duty rota.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { inviteMember, listMembers, saveRota, updateMember } from "../../app/server/members.server.ts";
import { checkCredentials } from "../../app/server/session.server.ts";
import { seededDatabase, teardown, type Seeded } from "./helpers.ts";

let s: Seeded;
beforeAll(async () => {
  s = await seededDatabase();
  process.env.DATABASE_URL = s.database.url; // checkCredentials reads the default client
});
afterAll(() => teardown(s));

const admin = async () => (await s.contextOf("east.admin", "east-lake"))!;

describe("people", () => {
  it("invites a new person with a one-time password that logs in", async () => {
    const r = await inviteMember(s.db, await admin(), "east.newgrid", "新网格员", { posts: ["grid-worker"], backupPosts: [], unitId: "grid-qiaotou-2" });
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.oneTimePassword).toMatch(/^[\w-]{12}$/);
    const user = await s.db.user.findUniqueOrThrow({ where: { login: "east.newgrid" } });
    expect(await checkCredentials("east.newgrid", r.oneTimePassword!)).toBe(user.id);
    const ctx = await s.contextOf("east.newgrid", "east-lake");
    expect(ctx?.membership).toEqual({ posts: ["grid-worker"], unitId: "grid-qiaotou-2" });
  });

  it("refuses unknown posts, units and a backup of one's own post, in both languages", async () => {
    const r = await inviteMember(s.db, await admin(), "east.bad", "错误", { posts: ["ghost"], backupPosts: ["ghost"], unitId: "nowhere" });
    expect(r).toMatchObject({ ok: false });
    if (r.ok) return;
    expect(r.issues.map((i) => i.path).sort()).toEqual(["/backupPosts/0", "/backupPosts/0", "/posts/0", "/unitId"].sort());
    expect(r.issues.every((i) => i.message.zh && i.message.en)).toBe(true);
    expect(await s.db.user.findUnique({ where: { login: "east.bad" } })).toBeNull();
  });

  it("a backup (B岗) acts in the post only while every primary holder is away", async () => {
    const a = await admin();
    const members = await listMembers(s.db, a);
    const grid3 = members.find((m) => m.user.login === "east.grid3")!;
    const routing = members.find((m) => m.user.login === "east.routing")!;
    await updateMember(s.db, a, grid3.id, { posts: grid3.posts, backupPosts: ["routing"], unitId: grid3.unitId });
    expect((await s.contextOf("east.grid3", "east-lake"))!.membership.posts).toEqual(["grid-worker"]);
    await updateMember(s.db, a, routing.id, { posts: routing.posts, backupPosts: [], unitId: routing.unitId, awayUntil: new Date(Date.now() + 86400_000) });
    const acting = (await s.contextOf("east.grid3", "east-lake"))!;
    expect(acting.membership.posts).toEqual(["grid-worker", "routing"]);
    expect(acting.ability.can("export", "Case")).toBe(true);
    await updateMember(s.db, a, routing.id, { posts: routing.posts, backupPosts: [], unitId: routing.unitId, awayUntil: null });
    expect((await s.contextOf("east.grid3", "east-lake"))!.membership.posts).toEqual(["grid-worker"]);
  });

  it("deactivating a member removes their access and ends their sessions", async () => {
    const a = await admin();
    const m = (await listMembers(s.db, a)).find((x) => x.user.login === "east.newgrid")!;
    await s.db.session.create({ data: { id: "test-session-newgrid", userId: m.userId, expiresAt: new Date(Date.now() + 3600_000) } });
    expect(await updateMember(s.db, a, m.id, { posts: m.posts, backupPosts: [], unitId: m.unitId, active: false })).toEqual({ ok: true });
    expect(await s.contextOf("east.newgrid", "east-lake")).toBeNull();
    expect(await s.db.session.count({ where: { userId: m.userId } })).toBe(0);
    const self = (await listMembers(s.db, a)).find((x) => x.user.login === "east.admin")!;
    expect(await updateMember(s.db, a, self.id, { posts: self.posts, backupPosts: [], unitId: self.unitId, active: false })).toMatchObject({ ok: false });
  });

  it("saves a duty rota of eligible holders, refuses others and stale edits, and audits it", async () => {
    const a = await admin();
    const members = await listMembers(s.db, a);
    const director = members.find((m) => m.user.login === "east.director")!;
    const grid1 = members.find((m) => m.user.login === "east.grid1")!;
    const refused = await saveRota(s.db, a, { rotation: { start: "2026-01-01", holders: [grid1.userId] } }, 0);
    expect(refused).toMatchObject({ ok: false, issues: [{ path: "/rotation/holders/0", code: "rota.not-eligible" }] });
    // The director backs up the duty post (executive-deputy) in the demo data once we say so.
    await updateMember(s.db, a, director.id, { posts: director.posts, backupPosts: ["executive-deputy"], unitId: director.unitId });
    expect(await saveRota(s.db, a, { rotation: { start: "2026-01-01", holders: [director.userId] } }, 0)).toEqual({ ok: true, version: 1 });
    expect(await saveRota(s.db, a, { rotation: { start: "2026-01-01", holders: [director.userId] } }, 0)).toMatchObject({ ok: false, issues: [{ code: "version.stale" }] });
    const types = (await s.db.auditEvent.findMany({ where: { tenantId: a.tenant.id }, select: { type: true } })).map((e) => e.type);
    expect(types).toContain("rota.saved");
    expect(types).toContain("member.invited");
  });

  it("only those who manage members get a context that allows it", async () => {
    expect((await s.contextOf("east.routing", "east-lake"))!.ability.can("manage", "Membership")).toBe(false);
    expect((await admin()).ability.can("manage", "Membership")).toBe(true);
  });
});
