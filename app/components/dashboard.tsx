// Pieces of the big-screen dashboards (大屏): live refresh and the large figures.
import { useRevalidator } from "@remix-run/react";
import { useEffect } from "react";

export const REFRESH_MS = 30_000;

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

export function BigFigure({ label, value, tone, testId }: { label: string; value: string | number; tone?: "warn" | "alert" | "ok"; testId?: string }) {
  return (
    <div className={`big-figure${tone ? ` big-figure-${tone}` : ""}`} data-testid={testId}>
      <div className="big-figure-value">{value}</div>
      <div className="big-figure-label">{label}</div>
    </div>
  );
}
