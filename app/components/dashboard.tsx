// Pieces of the big-screen dashboards (大屏), the same on the township and county screens: live
// refresh, the heading, the large figures and the chart panels.
import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import type { ReactNode } from "react";
import { useT } from "#app/i18n";
import { BarChart, DonutChart, LineChart } from "./charts";
import { useWhen } from "./township";

const REFRESH_MS = 30_000;

/** Re-runs the page's loaders every `ms` while the browser tab is visible (a hidden screen costs nothing). */
export function useLiveRefresh(ms = REFRESH_MS) {
  const revalidator = useRevalidator();
  useEffect(() => {
    const tick = () => {
      if (document.visibilityState === "visible" && revalidator.state === "idle") revalidator.revalidate();
    };
    const timer = window.setInterval(tick, ms);
    return () => window.clearInterval(timer);
  }, [ms, revalidator]);
}

export function BigFigure({
  label,
  value,
  tone,
  testId,
}: {
  label: string;
  value: string | number;
  tone?: "warn" | "alert" | "ok";
  testId?: string;
}) {
  return (
    <div className={`big-figure${tone ? ` big-figure-${tone}` : ""}`} data-testid={testId}>
      <div className="big-figure-value">{value}</div>
      <div className="big-figure-label">{label}</div>
    </div>
  );
}

/** Reported vs closed per day over the last 30 days, the same on the township and county screens. */
export function TrendPanel({ trend }: { trend: Array<{ day: string; reported: number; closed: number }> }) {
  const t = useT();
  return (
    <div className="panel panel-wide">
      <h2>{t("trend30")}</h2>
      <LineChart
        title={t("trend30")}
        testId="chart-trend"
        width={1400}
        height={300}
        xLabels={trend.map((p) => p.day.slice(5))}
        series={[
          { name: t("seriesReported"), values: trend.map((p) => p.reported), colour: "#38bdf8" },
          { name: t("seriesClosed"), values: trend.map((p) => p.closed), colour: "#22c55e" },
        ]}
      />
    </div>
  );
}

/** The screen's title and when its figures were read (announced on each live refresh). */
export function DashboardHeading({ name, at }: { name: string; at: string }) {
  const t = useT();
  const when = useWhen();
  return (
    <>
      <h1>{t("dashboardTitle", { name })}</h1>
      <p className="updated" aria-live="polite">
        {t("updatedAt", { at: when(at) })}
      </p>
    </>
  );
}

/** Total, open, overdue and open supervision sheets as large figures; `children` adds more. */
export function CaseFigures({
  figures: f,
  children,
}: {
  figures: { total: number; open: number; overdue: number; openSheets: number };
  children?: ReactNode;
}) {
  const t = useT();
  return (
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
      {children}
    </div>
  );
}

/** A panel of case counts by something, as bars (or a donut). */
export function CountPanel({
  title,
  testId,
  data,
  donut = false,
}: {
  title: string;
  testId: string;
  data: Array<{ label: string; value: number }>;
  donut?: boolean;
}) {
  const t = useT();
  const Chart = donut ? DonutChart : BarChart;
  return (
    <div className="panel">
      <h2>{title}</h2>
      <Chart title={title} valueLabel={t("caseCount")} testId={testId} data={data} />
    </div>
  );
}
