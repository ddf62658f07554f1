// Who the user is in a county (the county social-governance centre): a Membership in the county
// Tenant. County posts are not part of any township config; the one that onboards townships is
// "county-admin" (docs/decisions/014-county-onboarding-and-config-editor.md). A non-member gets the same
// 404 as a county that does not exist, like requireTenantContext.
import type { Db } from "./db.server";
import { listMyMemberships, loadMember } from "./memberships.server";
import type { SessionUser } from "./session.server";
import { requireContext } from "./tenancy.server";

export const COUNTY_ADMIN_POST = "county-admin";

export type CountyContext = {
  user: SessionUser;
  county: { id: string; code: string; name: string; nameEn: string | null };
  membership: { posts: string[]; unitId: string };
  /** The request's one reading of the clock. */
  now: Date;
};

export const requireCountyContext = (request: Request, countyCode: string | undefined) =>
  requireContext(request, countyCode, loadCountyContext);

/** The user's context in a county, or null when they are not an active member of it. */
export async function loadCountyContext(
  db: Db,
  user: SessionUser,
  countyCode: string,
  now: Date,
): Promise<CountyContext | null> {
  const member = await loadMember(db, user, countyCode, "county");
  return member ? { user, county: member.tenant, membership: member.membership, now } : null;
}

/** Throws a 403 unless the user is a county admin (onboarding townships). */
export function requireCountyAdmin(ctx: CountyContext) {
  if (!ctx.membership.posts.includes(COUNTY_ADMIN_POST)) throw new Response("Forbidden", { status: 403 });
}

export const listMyCounties = (userId: string) => listMyMemberships(userId, "county");

export type CountyTownship = {
  code: string;
  name: string;
  nameEn: string | null;
  configVersion: number | null;
  extendsRef: string | null;
  openCases: number;
  createdAt: Date;
};

/**
 * The county's townships with their current config version and open case counts. Counts only:
 * no case content leaves the township, so they come from the owner connection with an explicit
 * parent filter rather than through a township's row-level-security scope.
 */
export async function listCountyTownships(db: Db, countyId: string): Promise<CountyTownship[]> {
  const townships = await db.tenant.findMany({
    where: { parentId: countyId, kind: "township" },
    select: {
      id: true,
      code: true,
      name: true,
      nameEn: true,
      createdAt: true,
      configVersions: { orderBy: { version: "desc" }, take: 1, select: { version: true, extendsRef: true } },
    },
    orderBy: { code: "asc" },
  });
  const ids = townships.map((t) => t.id);
  const open = ids.length
    ? await db.case.groupBy({
        by: ["tenantId"],
        where: { tenantId: { in: ids }, closedAt: null },
        _count: { _all: true },
      })
    : [];
  const openBy = new Map(open.map((o) => [o.tenantId, o._count._all]));
  return townships.map((t) => ({
    code: t.code,
    name: t.name,
    nameEn: t.nameEn,
    configVersion: t.configVersions[0]?.version ?? null,
    extendsRef: t.configVersions[0]?.extendsRef ?? null,
    openCases: openBy.get(t.id) ?? 0,
    createdAt: t.createdAt,
  }));
}
