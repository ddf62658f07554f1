// A user's notifications (the worker writes them from outbox jobs): per township, unread first.
import type { Db } from "./db.server";
import { isUuid } from "./params.server";
import type { TenantContext } from "./tenancy.server";

export async function listNotifications(ctx: TenantContext, take = 100) {
  return ctx.db.transaction(async (tx) => {
    const where = { tenantId: ctx.tenant.id, userId: ctx.user.id };
    // Unread first, then newest; two queries because NULLS FIRST on readAt alone would mix the read ones by read time.
    const unread = await tx.notification.findMany({
      where: { ...where, readAt: null },
      orderBy: { createdAt: "desc" },
      take,
    });
    const read =
      unread.length < take
        ? await tx.notification.findMany({
            where: { ...where, readAt: { not: null } },
            orderBy: { createdAt: "desc" },
            take: take - unread.length,
          })
        : [];
    return { unread: unread.length, rows: [...unread, ...read] };
  });
}

/** Marks the user's own notifications in this township read: the ids given, or all of them. */
export async function markNotificationsRead(
  ctx: TenantContext,
  ids: readonly string[] | "all",
  now: Date,
): Promise<number> {
  const valid = ids === "all" ? "all" : ids.filter(isUuid);
  if (valid !== "all" && !valid.length) return 0;
  const { count } = await ctx.db.transaction((tx) =>
    tx.notification.updateMany({
      where: {
        tenantId: ctx.tenant.id,
        userId: ctx.user.id,
        readAt: null,
        ...(valid === "all" ? {} : { id: { in: valid } }),
      },
      data: { readAt: now },
    }),
  );
  return count;
}

/** Unread counts per township the user belongs to, for the global inbox. */
export async function unreadByTownship(db: Db, userId: string) {
  const memberships = await db.membership.findMany({
    // Counties that work cases have an inbox too (ADR 039).
    where: {
      userId,
      active: true,
      OR: [{ tenant: { kind: "township" } }, { tenant: { kind: "county", configVersions: { some: {} } } }],
    },
    select: { tenant: { select: { id: true, code: true, name: true, nameEn: true } } },
    orderBy: { tenant: { code: "asc" } },
  });
  const counts = await db.notification.groupBy({
    by: ["tenantId"],
    where: { userId, readAt: null },
    _count: { _all: true },
  });
  const byTenant = new Map(counts.map((c) => [c.tenantId, c._count._all]));
  return memberships.map((m) => ({
    code: m.tenant.code,
    name: m.tenant.name,
    nameEn: m.tenant.nameEn,
    unread: byTenant.get(m.tenant.id) ?? 0,
  }));
}
