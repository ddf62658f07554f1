import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { buildAbility, type RawRule } from "../../engine/permissions";
import { useT } from "../i18n";
import { labelsFor } from "../server/labels.server";
import { getLocale } from "../server/locale.server";
import { requireTenantContext } from "../server/tenancy.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  const labels = labelsFor(ctx.compiled, await getLocale(request));
  return json({
    tenant: { code: ctx.tenant.code },
    labels,
    me: { posts: ctx.membership.posts.map((p) => labels.posts[p] ?? p), unit: labels.units[ctx.membership.unitId] ?? ctx.membership.unitId },
    // The client gets the rules to hide what the user cannot do; the server decides.
    rules: ctx.rules,
  });
}

export default function TownshipLayout() {
  const { tenant, labels, me, rules } = useLoaderData<typeof loader>();
  const t = useT();
  const ability = useMemo(() => buildAbility(rules as unknown as RawRule[]), [rules]);
  return (
    <>
      <div className="actions">
        <h2 style={{ margin: 0 }} data-testid="township-name">{labels.township}</h2>
        <NavLink to={`/t/${tenant.code}`} end>{t("cases")}</NavLink>
        <NavLink to={`/t/${tenant.code}/report`} className="button">{t("reportCase")}</NavLink>
        {ability.can("read", "Audit") ? <NavLink to={`/t/${tenant.code}/audit`}>{t("auditLog")}</NavLink> : null}
        <span className="field-description">
          {t("posts")}: {me.posts.join("、")} · {t("unit")}: {me.unit}
        </span>
      </div>
      <Outlet />
    </>
  );
}
