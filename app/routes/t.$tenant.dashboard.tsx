import { json, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BarChart, DonutChart } from "#app/components/charts";
import { BigFigure, TrendPanel, useLiveRefresh } from "#app/components/dashboard";
import { useTownship, useWhen } from "#app/components/township";
import { useT } from "#app/i18n";
import { townshipDashboard } from "#app/server/dashboard.server";
import { requireTenantContext } from "#app/server/tenancy.server";
import styles from "#app/styles/dashboard.css";

export const links: LinksFunction = () => [{ rel: "stylesheet", href: styles }];

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  const now = ctx.now;
  return json({ figures: await townshipDashboard(ctx, now), at: now.toISOString() });
}

export default function TownshipDashboard() {
  const { figures: f, at } = useLoaderData<typeof loader>();
  const { labels } = useTownship();
  const t = useT();
  const when = useWhen();
  useLiveRefresh();
  const states = Object.assign({}, ...Object.values(labels.states)) as Record<string, { name: string }>;
  const rate = f.onTime.rate === null ? "—" : `${Math.round(f.onTime.rate * 1000) / 10}%`;
  return (
    <section className="dashboard" data-testid="dashboard">
      <h1>{t("dashboardTitle", { name: labels.township })}</h1>
      <p className="updated" aria-live="polite">
        {t("updatedAt", { at: when(at) })}
      </p>
      <div className="big-figures">
        <BigFigure label={t("figureTotal")} value={f.total} testId="figure-total" />
        <BigFigure label={t("figureOpen")} value={f.open} testId="figure-open" />
        <BigFigure
          label={t("figureOverdue")}
          value={f.overdue}
          tone={f.overdue ? "alert" : "ok"}
          testId="figure-overdue"
        />
        <BigFigure
          label={t("figureOpenSheets")}
          value={f.openSheets}
          tone={f.openSheets ? "warn" : "ok"}
          testId="figure-sheets"
        />
        <BigFigure label={t("figureOnTime", { n: f.onTime.closed })} value={rate} tone="ok" testId="figure-on-time" />
      </div>
      <div className="panels">
        <div className="panel">
          <h2>{t("byPlatform")}</h2>
          <BarChart
            title={t("byPlatform")}
            valueLabel={t("caseCount")}
            testId="chart-platform"
            data={f.byPlatform.map((r) => ({ label: labels.units[r.key] ?? r.key, value: r.count }))}
          />
        </div>
        <div className="panel">
          <h2>{t("byGrade")}</h2>
          <DonutChart
            title={t("byGrade")}
            valueLabel={t("caseCount")}
            testId="chart-grade"
            data={f.byGrade.map((r) => ({ label: labels.grades[r.key] ?? r.key, value: r.count }))}
          />
        </div>
        <div className="panel">
          <h2>{t("byStatus")}</h2>
          <BarChart
            title={t("byStatus")}
            valueLabel={t("caseCount")}
            testId="chart-status"
            data={f.byState.map((r) => ({ label: states[r.key]?.name ?? r.key, value: r.count }))}
          />
        </div>
        <TrendPanel trend={f.trend} />
      </div>
    </section>
  );
}
