import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useMemo } from "react";
import { buildAbility, type RawRule } from "#engine/permissions";
import { useT } from "#app/i18n";
import { getPrisma } from "#app/server/db.server";
import { watchesDeadlines } from "#app/server/due.server";
import { labelsFor } from "#app/server/labels.server";
import { getLocale } from "#app/server/locale.server";
import { requireTenantContext } from "#app/server/tenancy.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  const labels = labelsFor(ctx.compiled, await getLocale(request));
  return json({
    tenant: {
      code: ctx.tenant.code,
      mode: ctx.tenant.mode,
      timeZone: ctx.compiled.defaults.timeZone,
      county: ctx.compiled.config.kind === "county",
    },
    labels,
    me: {
      posts: ctx.membership.posts.map((p) => labels.posts[p] ?? p),
      unit: labels.units[ctx.membership.unitId] ?? ctx.membership.unitId,
    },
    // The due/supervision screens are in the menu of those who watch deadlines (read from the
    // config's posts, and today's duty leader); the pages themselves show each user only what they may read.
    screens: { watch: await watchesDeadlines(getPrisma(), ctx, ctx.now) },
    // The client gets the rules to hide what the user cannot do; the server decides.
    rules: ctx.rules,
  });
}

export default function TownshipLayout() {
  const { tenant, labels, me, screens, rules } = useLoaderData<typeof loader>();
  const t = useT();
  const ability = useMemo(() => buildAbility(rules as unknown as RawRule[]), [rules]);
  return (
    <>
      <div className="actions township-nav no-print">
        <h2 style={{ margin: 0 }} data-testid="township-name">
          {labels.township}
        </h2>
        <NavLink to={`/t/${tenant.code}/work`} data-testid="nav-work">
          {t("workbench")}
        </NavLink>
        <NavLink to={`/t/${tenant.code}`} end>
          {t("cases")}
        </NavLink>
        <NavLink to={`/t/${tenant.code}/dashboard`} data-testid="nav-dashboard">
          {t("dashboard")}
        </NavLink>
        {ability.can("create", "Case") ? (
          <NavLink to={`/t/${tenant.code}/report`} className="button">
            {t("reportCase")}
          </NavLink>
        ) : null}
        {screens.watch ? (
          <NavLink to={`/t/${tenant.code}/due`} data-testid="nav-due">
            {t("dueNav")}
          </NavLink>
        ) : null}
        {screens.watch ? (
          <NavLink to={`/t/${tenant.code}/supervision`} data-testid="nav-supervision">
            {t("supervisionNav")}
          </NavLink>
        ) : null}
        <NavLink to={`/t/${tenant.code}/inbox`} data-testid="nav-inbox">
          {t("inbox")}
        </NavLink>
        <NavLink to={`/t/${tenant.code}/scores`}>
          {t(ability.can("read", "Report") ? "scoresNav" : "myScoresNav")}
        </NavLink>
        {ability.can("read", "Audit") ? <NavLink to={`/t/${tenant.code}/audit`}>{t("auditLog")}</NavLink> : null}
        {ability.can("manage", "Membership") ? (
          <NavLink to={`/t/${tenant.code}/members`}>{t("members")}</NavLink>
        ) : null}
        {ability.can("manage", "Config") ? <NavLink to={`/t/${tenant.code}/admin`}>{t("admin")}</NavLink> : null}
        {tenant.county && (ability.can("read", "Report") || ability.can("manage", "Membership")) ? (
          <NavLink to={`/c/${tenant.code}`} data-testid="nav-county">
            {t("countyTownships")}
          </NavLink>
        ) : null}
        <span className="field-description">
          {t("posts")}: {me.posts.join("、")} · {t("unit")}: {me.unit}
        </span>
      </div>
      <Outlet />
    </>
  );
}
