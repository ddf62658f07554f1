// 全县复盘: the county's townships side by side for a period (counts, rates and grid colours only;
// no case content leaves a township). Any member of the county centre may read it.
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { BarChart } from "#app/components/bar-chart";
import { FIGURE_KEYS, figureLabel, formatFigure } from "#app/components/score-levels";
import { useLocale, useT } from "#app/i18n";
import { requireCountyContext } from "#app/server/county.server";
import { getPrisma } from "#app/server/db.server";
import { countyReportFor } from "#app/server/scoring.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireCountyContext(request, params.county);
  const report = await countyReportFor(getPrisma(), ctx.county.id, params.period ?? "");
  return json({
    period: report.period.key,
    figures: report.figures,
    townships: report.townships.map((t) => ({ ...t, ...report.names[t.tenantId]! })),
  });
}

export default function CountyReview() {
  const { period, figures, townships } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const nameOf = (r: { name: string; nameEn: string | null }) => (locale === "en" ? (r.nameEn ?? r.name) : r.name);
  return (
    <div className="card" data-testid="county-review">
      <h1>{t("countyReviewTitle", { period })}</h1>
      <table data-testid="county-review-figures">
        <thead>
          <tr>
            <th>{t("countyReviewTownship")}</th>
            {FIGURE_KEYS.map((k) => (
              <th key={k}>{t(figureLabel(k))}</th>
            ))}
            <th>{t("countyReviewGrids")}</th>
          </tr>
        </thead>
        <tbody>
          {townships.map((r) => (
            <tr key={r.tenantId} data-township={r.code}>
              <td>{nameOf(r)}</td>
              {FIGURE_KEYS.map((k) => (
                <td key={k}>{formatFigure(k, r.figures[k])}</td>
              ))}
              <td>
                {Object.entries(r.levels.grid ?? {})
                  .map(([level, n]) => `${level} ${n}`)
                  .join(" / ")}
              </td>
            </tr>
          ))}
          <tr>
            <td>
              <strong>{t("reviewAll")}</strong>
            </td>
            {FIGURE_KEYS.map((k) => (
              <td key={k}>{formatFigure(k, figures[k])}</td>
            ))}
            <td />
          </tr>
        </tbody>
      </table>
      <BarChart
        title={t("countyOnTimeChart")}
        rows={townships.map((r) => ({ label: nameOf(r), value: Math.round((r.figures.onTimeRate ?? 0) * 1000) / 10 }))}
        format={(v) => `${v}%`}
      />
    </div>
  );
}
