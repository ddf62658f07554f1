// 月度复盘: a period's figures (reported, closed, on-time rate, overdue, sheets, talks, revisits,
// satisfaction) overall, per platform and per village; rankings with grid colours; bar charts as
// server-rendered SVG; print CSS; and an audited XLSX export with the exporter's watermark.
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { BarChart } from "#app/components/bar-chart";
import { FIGURE_KEYS, figureLabel, formatFigure, GROUPS, LEVEL_CSS } from "#app/components/score-levels";
import { LevelCell } from "#app/components/level-badge";
import type { MessageKey } from "#app/i18n";
import { useT } from "#app/i18n";
import { getPrisma } from "#app/server/db.server";
import { requireAbility } from "#app/server/guards.server";
import { getLocale } from "#app/server/locale.server";
import { scoreView } from "#app/server/score-views.server";
import { requireTenantContext } from "#app/server/tenancy.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  requireAbility(ctx, "read", "Report");
  const { period, figures, rankings, byPlatform, byVillage } = await scoreView(
    getPrisma(),
    ctx,
    params.period ?? "",
    await getLocale(request),
  );
  return json({ tenant: ctx.tenant.code, period: period.key, figures, rankings, byPlatform, byVillage });
}

const PRINT_CSS = `.bar-chart{margin:0.5rem 0 1rem}.bar-chart figcaption{font-weight:600;margin-bottom:0.3rem}.review-figures td,.review-figures th{text-align:right}.review-figures td:first-child,.review-figures th:first-child{text-align:left}
@media print{@page{size:A4 landscape;margin:12mm}.review section{break-inside:avoid}.review table{font-size:10pt}}`;

export default function MonthlyReview() {
  const { tenant, period, figures, rankings, byPlatform, byVillage } = useLoaderData<typeof loader>();
  const t = useT();
  const rows = [{ id: "all", name: t("reviewAll"), figures }, ...byPlatform, ...byVillage];
  return (
    <div className="card review" data-testid="monthly-review">
      <div className="actions">
        <h1 style={{ margin: 0 }}>{t("reviewTitle", { period })}</h1>
        <span className="no-print actions">
          <Link to={`/t/${tenant}/scores?period=${period}`}>{t("scoresNav")}</Link>
          <button type="button" onClick={() => window.print()}>
            {t("reviewPrint")}
          </button>
          <Form method="post" action={`/t/${tenant}/reports/${period}/export`} reloadDocument>
            <button type="submit" data-testid="export-review">
              {t("exportXlsx")}
            </button>
          </Form>
        </span>
      </div>
      <section>
        <h2>{t("reviewFigures")}</h2>
        <table className="review-figures" data-testid="review-figures">
          <thead>
            <tr>
              <th>{t("scoresTarget")}</th>
              {FIGURE_KEYS.map((k) => (
                <th key={k}>{t(figureLabel(k))}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.id} data-row={r.id}>
                <td>{r.name}</td>
                {FIGURE_KEYS.map((k) => (
                  <td key={k}>{formatFigure(k, r.figures[k])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section data-testid="review-charts">
        <BarChart
          testId="chart-on-time"
          title={t("reviewOnTimeChart")}
          rows={byPlatform.map((p) => ({ label: p.name, value: Math.round((p.figures.onTimeRate ?? 0) * 1000) / 10 }))}
          format={(v) => `${v}%`}
        />
        <BarChart
          testId="chart-villages"
          title={t("reviewScoreChart")}
          rows={(rankings.village ?? []).map((r) => ({ label: r.name, value: r.score }))}
        />
        <BarChart
          testId="chart-grids"
          title={t("reviewGridChart")}
          rows={(rankings.grid ?? []).map((r) => ({ label: r.name, value: r.score }))}
        />
      </section>
      <section>
        <h2>{t("reviewRankings")}</h2>
        {GROUPS.filter((g) => g !== "user").map((group) => {
          const list = rankings[group];
          if (!list) return null;
          return (
            <div key={group} data-testid={`review-ranking-${group}`}>
              <h3>{t(`group.${group}` as MessageKey)}</h3>
              <table>
                <thead>
                  <tr>
                    <th>{t("scoresRank")}</th>
                    <th>{t("scoresTarget")}</th>
                    <th>{t("scoresScore")}</th>
                    <th>{t("scoresDeductions")}</th>
                    {group === "grid" ? <th>{t("scoresLevel")}</th> : null}
                  </tr>
                </thead>
                <tbody>
                  {list.map((r) => (
                    <tr key={r.id}>
                      <td>{r.rank}</td>
                      <td>{r.name}</td>
                      <td>{r.score}</td>
                      <td>{r.deductions}</td>
                      {group === "grid" ? <LevelCell level={r.level} levelName={r.levelName} /> : null}
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          );
        })}
      </section>
      <style>{LEVEL_CSS + PRINT_CSS}</style>
    </div>
  );
}
