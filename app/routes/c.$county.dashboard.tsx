import { json, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BarChart } from "#app/components/charts";
import { BigFigure, TrendPanel, useLiveRefresh } from "#app/components/dashboard";
import { useWhen } from "#app/components/township";
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
  const when = useWhen();
  useLiveRefresh();
  const name = (x: { name: string; nameEn: string | null }) => (locale === "en" ? (x.nameEn ?? x.name) : x.name);
  return (
    <section className="dashboard" data-testid="dashboard">
      <h1>{t("dashboardTitle", { name: name(county) })}</h1>
      <p className="updated" aria-live="polite">
        {t("updatedAt", { at: when(at) })}
      </p>
      <div className="big-figures">
        <BigFigure label={t("figureTotal")} value={f.totals.total} testId="figure-total" />
        <BigFigure label={t("figureOpen")} value={f.totals.open} testId="figure-open" />
        <BigFigure
          label={t("figureOverdue")}
          value={f.totals.overdue}
          tone={f.totals.overdue ? "alert" : "ok"}
          testId="figure-overdue"
        />
        <BigFigure
          label={t("figureOpenSheets")}
          value={f.totals.openSheets}
          tone={f.totals.openSheets ? "warn" : "ok"}
          testId="figure-sheets"
        />
      </div>
      <div className="panels">
        <div className="panel">
          <h2>{t("openByTownship")}</h2>
          <BarChart
            title={t("openByTownship")}
            valueLabel={t("caseCount")}
            testId="chart-townships"
            data={f.townships.map((r) => ({ label: name(r), value: r.open }))}
          />
        </div>
        <div className="panel">
          <h2>{t("overdueByTownship")}</h2>
          <BarChart
            title={t("overdueByTownship")}
            valueLabel={t("caseCount")}
            testId="chart-overdue"
            data={f.townships.map((r) => ({ label: name(r), value: r.overdue }))}
          />
        </div>
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
