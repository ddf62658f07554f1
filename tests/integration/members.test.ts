// Township admins manage people: invite with a one-time password, AB岗 backups who step in while
// the primary is away, deactivation that ends sessions, and the duty rota.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  getRota,
  inviteMember,
  listMembers,
  resetMemberPassword,
  saveRota,
  updateMember,
} from "#app/server/members.server";
import { checkCredentials } from "#app/server/session.server";
import { seededDatabase, teardown, type Seeded } from "./helpers";
import { issueMessage } from "#app/locales/issues/index";

let s: Seeded;
beforeAll(async () => {
  s = await seededDatabase();
  process.env.DATABASE_URL = s.database.url; // checkCredentials reads the default client
});
afterAll(() => teardown(s));

const admin = async () => (await s.contextOf("east.admin", "east-lake"))!;

describe("people", () => {
  it("invites a new person with a one-time password that logs in", async () => {
    const r = await inviteMember(
      s.db,
      await admin(),
      "east.newgrid",
      "新网格员",
      {
        posts: ["grid-worker"],
        backupPosts: [],
        unitId: "grid-qiaotou-2",
      },
      new Date(),
    );
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.oneTimePassword).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    const user = await s.db.user.findUniqueOrThrow({ where: { login: "east.newgrid" } });
    expect(await checkCredentials("east.newgrid", r.oneTimePassword!)).toBe(user.id);
    const ctx = await s.contextOf("east.newgrid", "east-lake");
    expect(ctx?.membership).toEqual({ posts: ["grid-worker"], unitId: "grid-qiaotou-2" });
  });

  it("resets a forgotten password: a new one-time password, the old one and every session gone, audited; never for oneself or someone who works elsewhere", async () => {
    const ctx = await admin();
    const members = await listMembers(ctx);
    const grid3 = members.find((m) => m.user.login === "east.grid3")!;
    await s.db.session.create({
      data: { id: "grid3-session", userId: grid3.userId, expiresAt: new Date(Date.now() + 3600_000) },
    });
    const r = await resetMemberPassword(s.db, ctx, grid3.id, new Date());
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.oneTimePassword).toMatch(/^[a-z2-9]{4}-[a-z2-9]{4}-[a-z2-9]{4}$/);
    expect(await checkCredentials("east.grid3", "gridwork-demo")).toBeNull();
    expect(await checkCredentials("east.grid3", r.oneTimePassword)).toBe(grid3.userId);
    const user = await s.db.user.findUniqueOrThrow({ where: { id: grid3.userId } });
    expect(user.mustChangePassword).toBe(true);
    expect(await s.db.session.count({ where: { userId: grid3.userId } })).toBe(0);
    const audit = await s.db.auditEvent.findFirstOrThrow({
      where: { tenantId: ctx.tenant.id, type: "member.password-reset" },
    });
    expect(audit.data).toEqual({ login: "east.grid3" });

    const self = members.find((m) => m.user.login === "east.admin")!;
    const refusedSelf = await resetMemberPassword(s.db, ctx, self.id, new Date());
    expect(!refusedSelf.ok && refusedSelf.issues.map((i) => i.code)).toEqual(["reset.self"]);
    // both.analyst also works in West Hill: East Lake's admin may not take the account over.
    const analyst = members.find((m) => m.user.login === "both.analyst")!;
    const refused = await resetMemberPassword(s.db, ctx, analyst.id, new Date());
    expect(!refused.ok && refused.issues.map((i) => issueMessage(i).en)).toEqual([
      "This person also works elsewhere; ask the county admin to reset the password",
    ]);
    expect(await checkCredentials("both.analyst", "gridwork-demo")).toBe(analyst.userId);
  });

  it("refuses unknown posts, units and a backup of one's own post, in both languages", async () => {
    const r = await inviteMember(
      s.db,
      await admin(),
      "east.bad",
      "错误",
      {
        posts: ["ghost"],
        backupPosts: ["ghost"],
        unitId: "nowhere",
      },
      new Date(),
    );
    expect(r).toMatchObject({ ok: false });
    if (r.ok) return;
    expect(r.issues.map((i) => i.path).sort()).toEqual(
      ["/backupPosts/0", "/backupPosts/0", "/posts/0", "/unitId"].sort(),
    );
    expect(r.issues.every((i) => issueMessage(i).zh && issueMessage(i).en)).toBe(true);
    expect(await s.db.user.findUnique({ where: { login: "east.bad" } })).toBeNull();
  });

  it("a backup (B岗) acts in the post only while every primary holder is away", async () => {
    const a = await admin();
    const members = await listMembers(a);
    const grid3 = members.find((m) => m.user.login === "east.grid3")!;
    const routing = members.find((m) => m.user.login === "east.routing")!;
    await updateMember(a, grid3.id, { posts: grid3.posts, backupPosts: ["routing"], unitId: grid3.unitId }, new Date());
    expect((await s.contextOf("east.grid3", "east-lake"))!.membership.posts).toEqual(["grid-worker"]);
    await updateMember(
      a,
      routing.id,
      {
        posts: routing.posts,
        backupPosts: [],
        unitId: routing.unitId,
        awayUntil: new Date(Date.now() + 86400_000),
      },
      new Date(),
    );
    const acting = (await s.contextOf("east.grid3", "east-lake"))!;
    expect(acting.membership.posts).toEqual(["grid-worker", "routing"]);
    expect(acting.ability.can("export", "Case")).toBe(true);
    await updateMember(
      a,
      routing.id,
      {
        posts: routing.posts,
        backupPosts: [],
        unitId: routing.unitId,
        awayUntil: null,
      },
      new Date(),
    );
    expect((await s.contextOf("east.grid3", "east-lake"))!.membership.posts).toEqual(["grid-worker"]);
  });

  it("deactivating a member removes their access and ends their sessions", async () => {
    const a = await admin();
    const m = (await listMembers(a)).find((x) => x.user.login === "east.newgrid")!;
    await s.db.session.create({
      data: { id: "test-session-newgrid", userId: m.userId, expiresAt: new Date(Date.now() + 3600_000) },
    });
    expect(
      await updateMember(a, m.id, { posts: m.posts, backupPosts: [], unitId: m.unitId, active: false }, new Date()),
    ).toEqual({
      ok: true,
    });
    expect(await s.contextOf("east.newgrid", "east-lake")).toBeNull();
    expect(await s.db.session.count({ where: { userId: m.userId } })).toBe(0);
    const self = (await listMembers(a)).find((x) => x.user.login === "east.admin")!;
    expect(
      await updateMember(
        a,
        self.id,
        { posts: self.posts, backupPosts: [], unitId: self.unitId, active: false },
        new Date(),
      ),
    ).toMatchObject({ ok: false });
  });

  it("saves a duty rota of eligible holders, refuses others and stale edits, and audits it", async () => {
    const a = await admin();
    const members = await listMembers(a);
    const director = members.find((m) => m.user.login === "east.director")!;
    const grid1 = members.find((m) => m.user.login === "east.grid1")!;
    // The demo seed's rota is version 1.
    const seeded = (await getRota(a))?.version ?? 0;
    const refused = await saveRota(
      a,
      { rotation: { start: "2026-01-01", holders: [grid1.userId] } },
      seeded,
      new Date(),
    );
    expect(refused).toMatchObject({ ok: false, issues: [{ path: "/rotation/holders/0", code: "rota.not-eligible" }] });
    // The director backs up the duty post (executive-deputy) in the demo data once we say so.
    await updateMember(
      a,
      director.id,
      { posts: director.posts, backupPosts: ["executive-deputy"], unitId: director.unitId },
      new Date(),
    );
    const rota = { rotation: { start: "2026-01-01", holders: [director.userId] } };
    expect(await saveRota(a, rota, seeded, new Date())).toEqual({ ok: true, version: seeded + 1 });
    expect(await saveRota(a, rota, seeded, new Date())).toMatchObject({
      ok: false,
      issues: [{ code: "version.stale" }],
    });
    const types = (await s.db.auditEvent.findMany({ where: { tenantId: a.tenant.id }, select: { type: true } })).map(
      (e) => e.type,
    );
    expect(types).toContain("rota.saved");
    expect(types).toContain("member.invited");
  });

  it("only those who manage members get a context that allows it", async () => {
    expect((await s.contextOf("east.routing", "east-lake"))!.ability.can("manage", "Membership")).toBe(false);
    expect((await admin()).ability.can("manage", "Membership")).toBe(true);
  });
});
