import { json, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { CaseFigures, CountPanel, DashboardHeading, TrendPanel, useLiveRefresh } from "#app/components/dashboard";
import { useLocale, useT } from "#app/i18n";
import { requireCountyContext } from "#app/server/county.server";
import { countyDashboard } from "#app/server/dashboard.server";
import { getPrisma } from "#app/server/db.server";
import styles from "#app/styles/dashboard.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

// Every county member sees its townships' aggregate counts; no case content leaves a township.
export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireCountyContext(request, params.county);
  const now = ctx.now;
  return json({
    county: ctx.county,
    figures: await countyDashboard(getPrisma(), ctx.county.id, now),
    at: now.toISOString(),
  });
}

export default function CountyDashboard() {
  const { county, figures: f, at } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  useLiveRefresh();
  const name = (x: { name: string; nameEn: string | null }) => (locale === "en" ? (x.nameEn ?? x.name) : x.name);
  return (
    <section className="dashboard" data-testid="dashboard">
      <DashboardHeading name={name(county)} at={at} />
      <CaseFigures figures={f.totals} />
      <div className="panels">
        <CountPanel
          title={t("openByTownship")}
          testId="chart-townships"
          data={f.townships.map((r) => ({ label: name(r), value: r.open }))}
        />
        <CountPanel
          title={t("overdueByTownship")}
          testId="chart-overdue"
          data={f.townships.map((r) => ({ label: name(r), value: r.overdue }))}
        />
        <TrendPanel trend={f.trend} />
        <div className="panel panel-wide">
          <table className="county" data-testid="county-figures">
            <thead>
              <tr>
                <th scope="col">{t("township")}</th>
                <th scope="col">{t("figureTotal")}</th>
                <th scope="col">{t("figureOpen")}</th>
                <th scope="col">{t("figureOverdue")}</th>
                <th scope="col">{t("figureOpenSheets")}</th>
              </tr>
            </thead>
            <tbody>
              {f.townships.map((r) => (
                <tr key={r.code}>
                  <th scope="row">{name(r)}</th>
                  <td>{r.total}</td>
                  <td>{r.open}</td>
                  <td>{r.overdue}</td>
                  <td>{r.openSheets}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      </div>
    </section>
  );
}
