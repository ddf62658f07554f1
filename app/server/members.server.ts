// Township admins manage their people: invite, posts and backups (AB岗), unit, away, deactivate,
// and the duty rota. Everything is checked against the township's config and audited.
import { type Issue, textIssue } from "#engine/issues";
import { validateDutyRota, type DutyRotaData } from "#engine/rota";
import { appendAudit } from "./audit.server";
import { changing } from "./context-cache.server";
import { afterStaffingChange } from "./stuck.server";
import { withTenant, type Db } from "./db.server";
import { generatePassword, hashPassword } from "./password.server";
import type { CountyContext } from "./county.server";
import type { TenantContext } from "./tenancy.server";

export type MemberInput = {
  posts: string[];
  backupPosts: string[];
  unitId: string;
  awayUntil?: Date | null;
  active?: boolean;
};

function checkMemberInput(ctx: TenantContext, input: MemberInput): Issue[] {
  const out: Issue[] = [];
  if (!ctx.compiled.org.byId.has(input.unitId))
    out.push(
      textIssue("/unitId", "reference.missing", `单位“${input.unitId}”不存在`, `Unit "${input.unitId}" does not exist`),
    );
  if (!input.posts.length)
    out.push(textIssue("/posts", "posts.empty", "请至少选择一个岗位", "Choose at least one post"));
  for (const [field, list] of [
    ["posts", input.posts],
    ["backupPosts", input.backupPosts],
  ] as const) {
    list.forEach((p, i) => {
      if (!ctx.compiled.posts.has(p))
        out.push(textIssue(`/${field}/${i}`, "reference.missing", `岗位“${p}”不存在`, `Post "${p}" does not exist`));
    });
  }
  input.backupPosts.forEach((p, i) => {
    if (input.posts.includes(p))
      out.push(
        textIssue(`/backupPosts/${i}`, "backup.own-post", "不能兼任自己岗位的B岗", "Cannot back up one's own post"),
      );
  });
  return out;
}

export async function listMembers(ctx: TenantContext) {
  return ctx.db.transaction((tx) =>
    tx.membership.findMany({
      where: { tenantId: ctx.tenant.id },
      include: { user: { select: { login: true, displayName: true } } },
      orderBy: [{ active: "desc" }, { createdAt: "asc" }],
    }),
  );
}

export type InviteResult = { ok: true; login: string; oneTimePassword: string | null } | { ok: false; issues: Issue[] };

/** Adds a person to the township; a new login gets a one-time password, shown once. */
export async function inviteMember(
  db: Db,
  ctx: TenantContext,
  login: string,
  displayName: string,
  input: MemberInput,
  now: Date,
): Promise<InviteResult> {
  const issues = checkMemberInput(ctx, input);
  if (!/^[a-z0-9][a-z0-9._-]{2,39}$/.test(login))
    issues.push(
      textIssue(
        "/login",
        "login.invalid",
        "账号须为3-40位小写字母、数字或 . _ -",
        "Login: 3–40 lowercase letters, digits or . _ -",
      ),
    );
  if (!displayName.trim()) issues.push(textIssue("/displayName", "name.empty", "请填写姓名", "Enter a name"));
  if (issues.length) return { ok: false, issues };
  const existing = await db.user.findUnique({ where: { login }, select: { id: true } });
  const oneTimePassword = existing ? null : generatePassword();
  const passwordHash = oneTimePassword ? await hashPassword(oneTimePassword) : null;
  const result = await changing(
    ctx.db.transaction(async (tx) => {
      const user =
        existing ??
        (await tx.user.create({
          data: { login, displayName: displayName.trim(), passwordHash: passwordHash!, mustChangePassword: true },
        }));
      if (
        await tx.membership.findUnique({ where: { tenantId_userId: { tenantId: ctx.tenant.id, userId: user.id } } })
      ) {
        return {
          ok: false as const,
          issues: [textIssue("/login", "member.exists", "此人已是本乡镇成员", "This person is already a member here")],
        };
      }
      await tx.membership.create({
        data: {
          tenantId: ctx.tenant.id,
          userId: user.id,
          posts: input.posts,
          backupPosts: input.backupPosts,
          unitId: input.unitId,
        },
      });
      await appendAudit(tx, {
        tenantId: ctx.tenant.id,
        actorId: ctx.user.id,
        type: "member.invited",
        data: { login, posts: input.posts, backupPosts: input.backupPosts, unitId: input.unitId },
        at: now,
      });
      return { ok: true as const, login, oneTimePassword };
    }),
    "Membership",
    "User",
  );
  return afterStaffingChange(ctx, now, result);
}

export type ResetResult = { ok: true; login: string; oneTimePassword: string } | { ok: false; issues: Issue[] };

/**
 * A new one-time password for a member who forgot theirs: shown once, to be replaced at the next
 * login; every session of theirs ends. Only for people who belong to this township alone, so that
 * no township admin can take over an account that acts elsewhere.
 */
export async function resetMemberPassword(
  db: Db,
  ctx: TenantContext,
  membershipId: string,
  now: Date,
): Promise<ResetResult> {
  const m = await ctx.db.transaction((tx) =>
    tx.membership.findFirst({
      where: { id: membershipId, tenantId: ctx.tenant.id },
      select: { userId: true, user: { select: { login: true } } },
    }),
  );
  if (!m) return { ok: false, issues: [textIssue("", "not-found", "找不到此成员", "No such member")] };
  if (m.userId === ctx.user.id) return selfReset();
  // Memberships elsewhere are outside this township's row-level scope: counted with the owner connection.
  if (await db.membership.count({ where: { userId: m.userId, tenantId: { not: ctx.tenant.id } } })) {
    return {
      ok: false,
      issues: [
        textIssue(
          "",
          "reset.elsewhere",
          "此人还在其他乡镇或机构任职，请联系县级管理员重置密码",
          "This person also works elsewhere; ask the county admin to reset the password",
        ),
      ],
    };
  }
  return issueOneTimePassword(
    db,
    { userId: m.userId, login: m.user.login },
    { tenantId: ctx.tenant.id, actorId: ctx.user.id },
    now,
  );
}

const selfReset = (): ResetResult => ({
  ok: false,
  issues: [
    textIssue(
      "",
      "reset.self",
      "请在“修改密码”中修改自己的密码",
      "Change your own password on the change-password page",
    ),
  ],
});

/** A new one-time password in place of the person's password; their sessions end; audited where it was given. */
async function issueOneTimePassword(
  db: Db,
  person: { userId: string; login: string },
  by: { tenantId: string; actorId: string },
  now: Date,
): Promise<ResetResult> {
  const oneTimePassword = generatePassword();
  const passwordHash = await hashPassword(oneTimePassword);
  await changing(
    withTenant(db, { tenantId: by.tenantId, userId: by.actorId }, async (tx) => {
      await tx.user.update({ where: { id: person.userId }, data: { passwordHash, mustChangePassword: true } });
      await tx.session.deleteMany({ where: { userId: person.userId } });
      await appendAudit(tx, {
        tenantId: by.tenantId,
        actorId: by.actorId,
        type: "member.password-reset",
        data: { login: person.login },
        at: now,
      });
    }),
    "User",
    "Session",
  );
  return { ok: true, login: person.login, oneTimePassword };
}

/**
 * The county admin resets the password of someone who works only in the county: its townships and
 * the county centre (people in several townships, whom no township admin may reset alone).
 */
export async function resetPasswordInCounty(
  db: Db,
  ctx: CountyContext,
  login: string,
  now: Date,
): Promise<ResetResult> {
  const user = await db.user.findUnique({
    where: { login: login.trim() },
    select: { id: true, login: true, memberships: { select: { tenant: { select: { id: true, parentId: true } } } } },
  });
  if (!user?.memberships.length)
    return {
      ok: false,
      issues: [textIssue("/login", "not-found", `找不到账号“${login}”`, `There is no login "${login}"`)],
    };
  if (user.id === ctx.user.id) return selfReset();
  const outside = user.memberships.some((m) => m.tenant.id !== ctx.county.id && m.tenant.parentId !== ctx.county.id);
  if (outside)
    return {
      ok: false,
      issues: [
        textIssue(
          "/login",
          "reset.outside-county",
          "此人在本县以外任职，不能由本县重置密码",
          "This person works outside this county; the county cannot reset the password",
        ),
      ],
    };
  return issueOneTimePassword(
    db,
    { userId: user.id, login: user.login },
    { tenantId: ctx.county.id, actorId: ctx.user.id },
    now,
  );
}

export async function updateMember(
  ctx: TenantContext,
  membershipId: string,
  input: MemberInput,
  now: Date,
): Promise<{ ok: true } | { ok: false; issues: Issue[] }> {
  const issues = checkMemberInput(ctx, input);
  if (issues.length) return { ok: false, issues };
  const result = await changing(
    ctx.db.transaction(async (tx) => {
      const m = await tx.membership.findFirst({ where: { id: membershipId, tenantId: ctx.tenant.id } });
      if (!m) return { ok: false as const, issues: [textIssue("", "not-found", "找不到此成员", "No such member")] };
      if (m.userId === ctx.user.id && input.active === false) {
        return {
          ok: false as const,
          issues: [textIssue("/active", "member.self", "不能停用自己", "You cannot deactivate yourself")],
        };
      }
      await tx.membership.update({
        where: { id: m.id },
        data: {
          posts: input.posts,
          backupPosts: input.backupPosts,
          unitId: input.unitId,
          awayUntil: input.awayUntil ?? null,
          ...(input.active === undefined ? {} : { active: input.active }),
        },
      });
      const type =
        input.active === false && m.active
          ? "member.deactivated"
          : input.active === true && !m.active
            ? "member.reactivated"
            : "member.updated";
      await appendAudit(tx, {
        tenantId: ctx.tenant.id,
        actorId: ctx.user.id,
        type,
        data: {
          membershipId: m.id,
          posts: input.posts,
          backupPosts: input.backupPosts,
          unitId: input.unitId,
          awayUntil: input.awayUntil?.toISOString() ?? null,
        },
        at: now,
      });
      if (input.active === false) {
        // A deactivated member's sessions end now (only sessions of users with no other active membership).
        const others = await tx.membership.count({ where: { userId: m.userId, active: true, id: { not: m.id } } });
        if (!others) await tx.session.deleteMany({ where: { userId: m.userId } });
      }
      return { ok: true as const };
    }),
    "Membership",
    "Session",
  );
  return afterStaffingChange(ctx, now, result);
}

export async function getRota(ctx: TenantContext) {
  return ctx.db.transaction((tx) => tx.dutyRota.findUnique({ where: { tenantId: ctx.tenant.id } }));
}

/** Saves the duty rota: its shape, and every holder must be an active member holding the rota post. */
export async function saveRota(
  ctx: TenantContext,
  raw: unknown,
  expectedVersion: number,
  now: Date,
): Promise<{ ok: true; version: number } | { ok: false; issues: Issue[] }> {
  const checked = validateDutyRota(raw);
  if (!checked.ok) return checked;
  const rota: DutyRotaData = checked.value;
  const rotaPost = ctx.compiled.config.dutyRota?.post;
  const members = await listMembers(ctx);
  const eligible = new Set(
    members
      .filter((m) => m.active && (!rotaPost || m.posts.includes(rotaPost) || m.backupPosts.includes(rotaPost)))
      .map((m) => m.userId),
  );
  const issues: Issue[] = [];
  const check = (holders: readonly string[], path: string) =>
    holders.forEach((h, i) => {
      if (!eligible.has(h))
        issues.push(
          textIssue(
            `${path}/${i}`,
            "rota.not-eligible",
            "值班人须为担任值班岗位的在岗成员",
            "A duty holder must be an active member holding the duty post",
          ),
        );
    });
  if (rota.rotation) check(rota.rotation.holders, "/rotation/holders");
  rota.weekly?.forEach((w, i) => check(w.holders, `/weekly/${i}/holders`));
  rota.dates?.forEach((d, i) => check(d.holders, `/dates/${i}/holders`));
  if (issues.length) return { ok: false, issues };
  const result = await changing(
    ctx.db.transaction(async (tx) => {
      const current = await tx.dutyRota.findUnique({ where: { tenantId: ctx.tenant.id } });
      if ((current?.version ?? 0) !== expectedVersion) {
        return {
          ok: false as const,
          issues: [
            textIssue(
              "",
              "version.stale",
              "值班表已被他人修改，请刷新后重试",
              "Someone else changed the rota; reload and try again",
            ),
          ],
        };
      }
      const version = expectedVersion + 1;
      await tx.dutyRota.upsert({
        where: { tenantId: ctx.tenant.id },
        create: { tenantId: ctx.tenant.id, data: rota as object, version, updatedBy: ctx.user.id },
        update: { data: rota as object, version, updatedBy: ctx.user.id },
      });
      await appendAudit(tx, {
        tenantId: ctx.tenant.id,
        actorId: ctx.user.id,
        type: "rota.saved",
        data: { version },
        at: now,
      });
      return { ok: true as const, version };
    }),
    "DutyRota",
  );
  return afterStaffingChange(ctx, now, result);
}
