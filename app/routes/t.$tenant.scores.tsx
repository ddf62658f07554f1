// 考评排名: rankings of a period per group (platform, village, grid, person; at a county its
// townships and departments), with the three colours of every rated group, and
// every ledger line explained by its rule, fact and case, with its appeal (申诉) or a link to file
// one where the user may. Leadership may recompute the period.
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { GROUPS, LEVEL_CSS } from "#app/components/score-levels";
import { StateBadge, useTownship, useWhen } from "#app/components/township";
import { LevelCell } from "#app/components/level-badge";
import type { MessageKey } from "#app/i18n";
import { useT } from "#app/i18n";
import { getPrisma } from "#app/server/db.server";
import { requireForm } from "#app/server/form-input.server";
import { requireAbility } from "#app/server/guards.server";
import { getLocale } from "#app/server/locale.server";
import { appealMarks, canSeeLine, currentPeriodKey, explainedLines, scoreView } from "#app/server/score-views.server";
import { canRecompute, recomputePeriod, requirePeriod } from "#app/server/scoring.server";
import { requireTenantContext } from "#app/server/tenancy.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  // Report readers see the rankings and every line; everyone else sees the lines naming them or
  // their unit ("my scores"), which is where they find a deduction to appeal.
  const full = ctx.ability.can("read", "Report");
  const locale = await getLocale(request);
  const periodKey =
    new URL(request.url).searchParams.get("period") || currentPeriodKey(ctx.compiled.defaults.timeZone, ctx.now);
  const db = getPrisma();
  const { period, rankings, nameOf, ledger } = await scoreView(db, ctx, periodKey, locale);
  const all = await explainedLines(db, ctx, ledger, locale, nameOf);
  const lines = full ? all : all.filter((l) => canSeeLine(ctx, l));
  const appeals = await appealMarks(db, ctx, period.key, lines);
  return json({
    tenant: ctx.tenant.code,
    period: period.key,
    full,
    rankings: full ? rankings : {},
    lines,
    appeals,
    canRecompute: full && canRecompute(ctx),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  requireAbility(ctx, "read", "Report");
  const form = await requireForm(request);
  const period = requirePeriod(ctx.compiled.defaults.timeZone, String(form.get("period") ?? ""));
  const result = await recomputePeriod(getPrisma(), ctx, period.key, ctx.now);
  return redirect(
    `/t/${ctx.tenant.code}/scores?period=${period.key}&recomputed=${result.corrections}&lines=${result.lines}`,
  );
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;

/** The appeal standing against a line (number and state, to its case), or the link to file one. */
function AppealCell({
  tenant,
  line,
  mark,
  labels,
}: {
  tenant: string;
  line: LoaderData["lines"][number];
  mark: LoaderData["appeals"][string] | undefined;
  labels: ReturnType<typeof useTownship>["labels"];
}) {
  const t = useT();
  if (mark?.appeal) {
    const a = mark.appeal;
    return (
      <span data-testid="line-appeal">
        <Link to={`/t/${tenant}/cases/${a.caseId}`} aria-label={t("appealCaseLabel", { number: a.number })}>
          {a.number}
        </Link>{" "}
        <StateBadge labels={labels} workflowId={a.workflowId} state={a.state} />
      </span>
    );
  }
  if (!mark?.mayAppeal) return null;
  return (
    <Link
      to={`/t/${tenant}/appeals/new?entry=${encodeURIComponent(line.key)}`}
      className="no-print"
      data-testid="appeal-link"
      aria-label={t("appealLinkLabel", { rule: line.ruleName, points: line.points })}
    >
      {t("appealLink")}
    </Link>
  );
}

export default function Scores() {
  const { tenant, period, full, rankings, lines, appeals, canRecompute } = useLoaderData<typeof loader>();
  const { labels } = useTownship();
  const [search] = useSearchParams();
  // Appeals are a config option: no column where the township has none.
  const appealsOn = Object.keys(appeals).length > 0;
  const t = useT();
  const when = useWhen();
  const recomputed = search.get("recomputed");
  return (
    <div className="card" data-testid="scores">
      <div className="actions no-print">
        <h1 style={{ margin: 0 }}>{t(full ? "scoresTitle" : "myScoresTitle", { period })}</h1>
        <Form method="get" className="actions">
          <label>
            {t("scoresPeriod")}{" "}
            <input name="period" defaultValue={period} pattern="\d{4}(-(0[1-9]|1[0-2])|-Q[1-4])?" size={8} />
          </label>
          <button type="submit">{t("scoresShow")}</button>
        </Form>
        {full ? (
          <Link to={`/t/${tenant}/reports/${period}`} data-testid="review-link">
            {t("scoresReview")}
          </Link>
        ) : null}
      </div>
      {recomputed !== null ? (
        <p className="notice" role="status">
          {t("scoresRecomputed", { lines: search.get("lines") ?? "0", n: recomputed })}
        </p>
      ) : null}
      {full ? null : (
        <p className="field-description" data-testid="my-scores-note">
          {t("myScoresNote")}
        </p>
      )}
      {GROUPS.map((group) => {
        const list = rankings[group as keyof typeof rankings];
        if (!list) return null;
        // 三色: a level column for every group the config rates (grids, or a county's townships and departments).
        const rated = list.some((r) => r.level);
        return (
          <section key={group} data-testid={`ranking-${group}`}>
            <h2>{t(`group.${group}` as MessageKey)}</h2>
            <table>
              <thead>
                <tr>
                  <th>{t("scoresRank")}</th>
                  <th>{t("scoresTarget")}</th>
                  <th>{t("scoresScore")}</th>
                  <th>{t("scoresAdditions")}</th>
                  <th>{t("scoresDeductions")}</th>
                  {rated ? <th>{t("scoresLevel")}</th> : null}
                </tr>
              </thead>
              <tbody>
                {list.map((r) => (
                  <tr key={r.id} data-target={r.id}>
                    <td>{r.rank}</td>
                    <td>
                      <a href={`#lines-${r.id}`}>{r.name}</a>
                    </td>
                    <td>{r.score}</td>
                    <td>{r.additions ? `+${r.additions}` : "0"}</td>
                    <td>{r.deductions}</td>
                    {rated ? <LevelCell level={r.level} levelName={r.levelName} /> : null}
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        );
      })}
      <h2>{t("scoresLines")}</h2>
      {lines.length === 0 ? (
        <p>{t("scoresNone")}</p>
      ) : (
        <table data-testid="score-lines">
          <thead>
            <tr>
              <th>{t("time")}</th>
              <th>{t("scoresTarget")}</th>
              <th>{t("scoresRule")}</th>
              <th>{t("scoresFact")}</th>
              <th>{t("scoresPoints")}</th>
              <th>{t("scoresCase")}</th>
              {appealsOn ? <th>{t("appealColumn")}</th> : null}
            </tr>
          </thead>
          <tbody>
            {lines.map((l) => (
              <tr key={l.key} id={`lines-${l.targetId}`} title={l.key}>
                <td>{when(l.at)}</td>
                <td>{l.target}</td>
                <td>
                  <code title={l.rule}>{l.ruleName}</code>
                  {l.reverses ? (
                    <span className="badge" title={l.reverses}>
                      {t("scoresReversal")}
                    </span>
                  ) : null}
                </td>
                <td>{l.fact}</td>
                <td className={l.points < 0 ? "alert-text" : undefined}>{l.points > 0 ? `+${l.points}` : l.points}</td>
                <td>{l.caseId ? <Link to={`/t/${tenant}/cases/${l.caseId}`}>{l.caseNumber ?? "→"}</Link> : "—"}</td>
                {appealsOn ? (
                  <td>
                    <AppealCell tenant={tenant} line={l} mark={appeals[l.key]} labels={labels} />
                  </td>
                ) : null}
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {canRecompute ? (
        <Form
          method="post"
          className="no-print"
          onSubmit={(e) => {
            if (!window.confirm(t("scoresRecomputeConfirm", { period }))) e.preventDefault();
          }}
        >
          <input type="hidden" name="period" value={period} />
          <button type="submit" data-testid="recompute">
            {t("scoresRecompute")}
          </button>
        </Form>
      ) : null}
      <style>{LEVEL_CSS}</style>
    </div>
  );
}
