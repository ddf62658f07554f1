import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useLocale, useT } from "#app/i18n";
import { COUNTY_ADMIN_POST, requireCountyContext } from "#app/server/county.server";
import { getPrisma } from "#app/server/db.server";
import { currentPeriodKey } from "#app/server/score-views.server";
import { countyTimeZone } from "#app/server/config.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireCountyContext(request, params.county);
  return json({
    county: ctx.county,
    isAdmin: ctx.membership.posts.includes(COUNTY_ADMIN_POST),
    month: currentPeriodKey(await countyTimeZone(getPrisma(), ctx.county.id), ctx.now),
    hasWorkbench: (await getPrisma().configVersion.count({ where: { tenantId: ctx.county.id } })) > 0,
  });
}

export default function CountyLayout() {
  const { county, isAdmin, month, hasWorkbench } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <div className="actions">
        <h2 style={{ margin: 0 }} data-testid="county-name">
          {locale === "en" ? (county.nameEn ?? county.name) : county.name}
        </h2>
        <NavLink to={`/c/${county.code}`} end>
          {t("countyTownships")}
        </NavLink>
        <NavLink to={`/c/${county.code}/dashboard`}>{t("dashboard")}</NavLink>
        {hasWorkbench ? (
          <NavLink to={`/t/${county.code}/work`} data-testid="nav-county-workbench">
            {t("countyWorkbench")}
          </NavLink>
        ) : null}
        <NavLink to={`/c/${county.code}/reports/${month}`}>{t("monthlyReview")}</NavLink>
        {isAdmin ? <NavLink to={`/c/${county.code}/password-reset`}>{t("resetPassword")}</NavLink> : null}
        {isAdmin ? (
          <a href={`/c/${county.code}/audit-checkpoints`} download data-testid="audit-checkpoints">
            {t("chain.download")}
          </a>
        ) : null}
        {isAdmin ? (
          <NavLink to={`/c/${county.code}/onboard`} className="button">
            {t("onboardTownship")}
          </NavLink>
        ) : null}
      </div>
      <Outlet />
    </>
  );
}
