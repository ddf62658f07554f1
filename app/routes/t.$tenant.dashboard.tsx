import { json, type LinksFunction, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import {
  BigFigure,
  CaseFigures,
  CountPanel,
  DashboardHeading,
  TrendPanel,
  useLiveRefresh,
} from "#app/components/dashboard";
import { useTownship } from "#app/components/township";
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
  useLiveRefresh();
  const states = Object.assign({}, ...Object.values(labels.states)) as Record<string, { name: string }>;
  const rate = f.onTime.rate === null ? "—" : `${Math.round(f.onTime.rate * 1000) / 10}%`;
  return (
    <section className="dashboard" data-testid="dashboard">
      <DashboardHeading name={labels.township} at={at} />
      <CaseFigures figures={f}>
        <BigFigure label={t("figureOnTime", { n: f.onTime.closed })} value={rate} tone="ok" testId="figure-on-time" />
      </CaseFigures>
      <div className="panels">
        <CountPanel
          title={t("byPlatform")}
          testId="chart-platform"
          data={f.byPlatform.map((r) => ({ label: labels.units[r.key] ?? r.key, value: r.count }))}
        />
        <CountPanel
          title={t("byGrade")}
          testId="chart-grade"
          donut
          data={f.byGrade.map((r) => ({ label: labels.grades[r.key] ?? r.key, value: r.count }))}
        />
        <CountPanel
          title={t("byStatus")}
          testId="chart-status"
          data={f.byState.map((r) => ({ label: states[r.key]?.name ?? r.key, value: r.count }))}
        />
        <TrendPanel trend={f.trend} />
      </div>
    </section>
  );
}
