// A user's active membership in a tenant of one kind (county centre, standards body) looked up by
// the tenant's code. Township members go through tenancy.server.ts, which adds config and rules.
import type { TenantKind } from "#app/generated/prisma/client";
import { getPrisma, type Db } from "./db.server";
import type { SessionUser } from "./session.server";

export type Member = {
  tenant: { id: string; code: string; name: string; nameEn: string | null };
  membership: { posts: string[]; unitId: string };
};

export async function loadMember(db: Db, user: SessionUser, code: string, kind: TenantKind): Promise<Member | null> {
  const m = await db.membership.findFirst({
    where: { userId: user.id, active: true, tenant: { code, kind } },
    select: { posts: true, unitId: true, tenant: { select: { id: true, code: true, name: true, nameEn: true } } },
  });
  return m ? { tenant: m.tenant, membership: { posts: m.posts, unitId: m.unitId } } : null;
}

export async function listMyMemberships(userId: string, kind: TenantKind) {
  return getPrisma().membership.findMany({
    where: { userId, active: true, tenant: { kind } },
    select: { posts: true, tenant: { select: { code: true, name: true, nameEn: true } } },
    orderBy: { tenant: { code: "asc" } },
  });
}
