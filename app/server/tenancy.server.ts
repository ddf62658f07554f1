// Who the user is in one tenant: membership, posts, unit, compiled config and CASL rules.
// Every tenant route starts here; a non-member gets the same 404 as a township that doesn't exist.
import type { CompiledConfig } from "#engine/config/index";
import { rulesFor, type Actor, type RawRule } from "#engine/permissions";
import { getTenantConfig } from "./config.server";
import { appClock } from "./clock.server";
import { cached, tableCache } from "./context-cache.server";
import { getPrisma, tenantDb, type Db, type TenantDb } from "./db.server";
import { buildCaseAbility, type CaseAbility } from "./permissions.server";
import { requireUser, type SessionUser } from "./session.server";

export type TenantContext = {
  user: SessionUser;
  /** This user's way into this tenant's rows: every transaction under row-level security. */
  db: TenantDb;
  tenant: { id: string; code: string; name: string; nameEn: string | null; mode: string };
  membership: { posts: string[]; unitId: string };
  compiled: CompiledConfig;
  configVersion: number;
  actor: Actor;
  /** The engine's rules, for the browser's hints. */
  rules: RawRule[];
  /** Guards, masking and every case query ask this one ability. */
  ability: CaseAbility;
  /** The request's one reading of the clock; everything below takes its time from here. */
  now: Date;
};

export function notFound(): never {
  throw new Response("Not found", { status: 404 });
}

/**
 * The logged-in user's context in the tenant a route names, loaded by `load`; a non-member gets
 * the same 404 as a tenant that does not exist.
 */
export async function requireContext<T>(
  request: Request,
  code: string | undefined,
  load: (db: Db, user: SessionUser, code: string, now: Date) => Promise<T | null>,
): Promise<T> {
  const user = await requireUser(request);
  const ctx = code ? await load(getPrisma(), user, code, appClock.now()) : null;
  if (!ctx) notFound();
  return ctx;
}

export const requireTenantContext = (request: Request, tenantCode: string | undefined) =>
  requireContext(request, tenantCode, loadTenantContext);

/** The user's context in a township, or null when they are not an active member of it. */
type MembershipRow = {
  posts: string[];
  backupPosts: string[];
  unitId: string;
  tenant: TenantContext["tenant"] & { kind: string };
};
const memberships = tableCache<MembershipRow>(["Membership", "Tenant"]);
const backupHolders = tableCache<{ posts: string[]; awayUntil: Date | null }[]>(["Membership"]);

export async function loadTenantContext(
  db: Db,
  user: SessionUser,
  tenantCode: string,
  now: Date,
): Promise<TenantContext | null> {
  const membership = await cached(memberships, `${user.id}\n${tenantCode}`, () =>
    db.membership.findFirst({
      // A county with a config of its own works its cases on the same screens (ADR 039).
      where: { userId: user.id, active: true, tenant: { code: tenantCode, kind: { in: ["township", "county"] } } },
      select: {
        posts: true,
        backupPosts: true,
        unitId: true,
        tenant: { select: { id: true, code: true, name: true, nameEn: true, mode: true, kind: true } },
      },
    }),
  );
  if (!membership) return null;
  const posts = await effectivePosts(db, membership.tenant.id, membership, now);
  const config = await getTenantConfig(db, membership.tenant.id);
  if (!config && membership.tenant.kind === "county") return null;
  if (!config) throw new Response("Township has no published config", { status: 503 });
  const actor: Actor = { userId: user.id, tenantId: membership.tenant.id, unitId: membership.unitId, posts };
  const rules = rulesFor(config.compiled, actor);
  return {
    user,
    db: tenantDb(db, { tenantId: membership.tenant.id, userId: user.id }),
    tenant: {
      id: membership.tenant.id,
      code: membership.tenant.code,
      name: membership.tenant.name,
      nameEn: membership.tenant.nameEn,
      mode: membership.tenant.mode,
    },
    membership: { posts, unitId: membership.unitId },
    compiled: config.compiled,
    configVersion: config.version,
    actor,
    rules,
    ability: buildCaseAbility(rules),
    now,
  };
}

/**
 * A member's posts now: their own, plus each post they back up (AB岗) whose primary holders are all
 * away. Permissions and workflow actions follow these.
 */
export async function effectivePosts(
  db: Db,
  tenantId: string,
  m: { posts: string[]; backupPosts: string[] },
  now: Date,
): Promise<string[]> {
  if (!m.backupPosts.length) return m.posts;
  const primaries = await cached(backupHolders, `${tenantId}\n${m.backupPosts.join("\n")}`, () =>
    db.membership.findMany({
      where: { tenantId, active: true, posts: { hasSome: m.backupPosts } },
      select: { posts: true, awayUntil: true },
    }),
  );
  const acting = m.backupPosts.filter((post) => {
    const holders = primaries.filter((p) => p.posts.includes(post));
    return holders.length > 0 && holders.every((h) => h.awayUntil !== null && h.awayUntil > now);
  });
  return [...new Set([...m.posts, ...acting])];
}

export async function listMyTownships(userId: string) {
  return getPrisma().membership.findMany({
    where: { userId, active: true, tenant: { kind: "township" } },
    select: { posts: true, unitId: true, tenant: { select: { code: true, name: true, nameEn: true } } },
    orderBy: { tenant: { code: "asc" } },
  });
}

/** The user's counties that work cases (they have a config), for the chooser and the inbox. */
export async function listMyCountyWorkbenches(userId: string) {
  return getPrisma().membership.findMany({
    where: { userId, active: true, tenant: { kind: "county", configVersions: { some: {} } } },
    select: { posts: true, tenant: { select: { id: true, code: true, name: true, nameEn: true } } },
    orderBy: { tenant: { code: "asc" } },
  });
}
