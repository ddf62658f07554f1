// The permission explainer: for every member of the township, whether they can see this case and
// by which config rule, asked of the same ability their own requests get. For those who manage the
// township's members.
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useTownship } from "#app/components/township";
import { useT } from "#app/i18n";
import { getPrisma } from "#app/server/db.server";
import { requireAbility } from "#app/server/guards.server";
import { requireIds } from "#app/server/params.server";
import { explainCaseAccess } from "#app/server/permissions.server";
import { effectivePosts, notFound, requireTenantContext } from "#app/server/tenancy.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  requireAbility(ctx, "manage", "Membership");
  const { caseId } = requireIds(params, "caseId");
  const db = getPrisma();
  // Admins manage access without reading the case itself: only its facts and number are loaded.
  const { found, members } = await ctx.db.transaction(async (tx) => ({
    found: await tx.case.findFirst({
      where: { id: caseId, tenantId: ctx.tenant.id },
      select: {
        number: true,
        tenantId: true,
        orgUnitId: true,
        platformId: true,
        categoryId: true,
        reporterId: true,
        leadUnitId: true,
        assistUnitIds: true,
      },
    }),
    members: await tx.membership.findMany({
      where: { tenantId: ctx.tenant.id, active: true },
      include: { user: { select: { displayName: true, login: true } } },
      orderBy: { createdAt: "asc" },
    }),
  }));
  if (!found) notFound();
  const rules = ctx.compiled.config.permissions ?? [];
  // Each member's posts as their own requests get them (AB岗 backups acting today included).
  const now = ctx.now;
  const posts = await Promise.all(members.map((m) => effectivePosts(db, ctx.tenant.id, m, now)));
  return json({
    caseNumber: found.number,
    rows: members.map((m, i) => {
      const why = explainCaseAccess(
        ctx.compiled,
        { userId: m.userId, tenantId: m.tenantId, unitId: m.unitId, posts: posts[i]! },
        "read",
        found,
      );
      return {
        name: m.user.displayName,
        login: m.user.login,
        posts: m.posts,
        unitId: m.unitId,
        allowed: why.allowed,
        rules: [...new Set([...why.allowedBy, ...why.deniedBy])]
          .sort((a, b) => a - b)
          .map((i) => ({
            index: i,
            posts: rules[i]!.posts,
            scope: rules[i]!.scope ?? "township",
            categories: rules[i]!.categories ?? null,
            inverted: !!rules[i]!.inverted,
            decides: i === why.decidedBy,
          })),
      };
    }),
  });
}

export default function WhoCanSee() {
  const { caseNumber, rows } = useLoaderData<typeof loader>();
  const { labels } = useTownship();
  const t = useT();
  return (
    <div className="card">
      <h1>
        {t("whoCanSee")}: {caseNumber}
      </h1>
      <table data-testid="access-table">
        <thead>
          <tr>
            <th>{t("member")}</th>
            <th>{t("posts")}</th>
            <th>{t("unit")}</th>
            <th />
            <th>{t("byRule")}</th>
          </tr>
        </thead>
        <tbody>
          {rows.map((r) => (
            <tr key={r.login} data-login={r.login}>
              <td>{r.name}</td>
              <td>{r.posts.map((p) => labels.posts[p] ?? p).join("、")}</td>
              <td>{labels.units[r.unitId] ?? r.unitId}</td>
              <td className={r.allowed ? "" : "error"}>{r.allowed ? t("allowed") : t("denied")}</td>
              <td>
                {r.rules.length
                  ? r.rules.map((rule) => (
                      <div key={rule.index} data-rule={rule.index} data-decides={rule.decides ? "1" : undefined}>
                        <code>/permissions/{rule.index}</code> {rule.inverted ? "✗" : "✓"}{" "}
                        {rule.posts.map((p) => (p === "*" ? "*" : (labels.posts[p] ?? p))).join("、")} · {t("scope")}:{" "}
                        {rule.scope}
                        {rule.categories
                          ? ` · ${t("category")}: ${rule.categories.map((c) => labels.categories[c] ?? c).join("、")}`
                          : null}
                        {rule.decides ? <strong> · {t("decidingRule")}</strong> : null}
                      </div>
                    ))
                  : t("noRule")}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
