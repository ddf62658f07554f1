// Pieces of the big-screen dashboards (大屏): live refresh and the large figures.
import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";
import { useT } from "#app/i18n";
import { LineChart } from "./charts";

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
