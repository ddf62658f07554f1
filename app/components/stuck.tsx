// Stuck cases (ADR 037): the list the command room sees on the workbench and the due list, and the
// warning township admins see on the people and rota pages.
import { Link } from "@remix-run/react";
import { pickText } from "#engine/i18n";
import { useLocale, useT } from "#app/i18n";
import { StateBadge, useTownship, useWhen } from "./township";

type StuckRow = { id: string; number: string; title: string; workflowId: string; state: string; stuckSince: string };

export function StuckCasesCard({ cases }: { cases: readonly StuckRow[] }) {
  const { tenant, labels } = useTownship();
  const t = useT();
  const when = useWhen();
  if (!cases.length) return null;
  return (
    <div className="card card-wartime" role="alert" data-testid="stuck-cases">
      <h2 style={{ marginTop: 0 }}>{t("stuckCases", { n: cases.length })}</h2>
      <p className="field-description">{t("stuckCasesHelp")}</p>
      <table>
        <tbody>
          {cases.map((c) => (
            <tr key={c.id}>
              <td>{c.number}</td>
              <td>
                <Link to={`/t/${tenant.code}/cases/${c.id}`}>{c.title}</Link>
              </td>
              <td>
                <StateBadge labels={labels} workflowId={c.workflowId} state={c.state} />
              </td>
              <td>{t("stuckSince", { at: when(c.stuckSince) })}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}

type Warning = {
  stuckCount: number;
  stuck: ReadonlyArray<{ id: string; number: string; title: string }>;
  posts: ReadonlyArray<{ post: string; name: { zh: string; en?: string }; cases: number }>;
};

export function StaffingWarningCard({ warning }: { warning: Warning }) {
  const { tenant } = useTownship();
  const t = useT();
  const locale = useLocale();
  if (!warning.stuckCount && !warning.posts.length) return null;
  return (
    <div className="alert" role="alert" data-testid="staffing-warning">
      <strong>{t("staffingWarning")}</strong>
      {warning.stuckCount ? (
        <>
          <p>{t("staffingStuckNow", { n: warning.stuckCount })}</p>
          <ul data-testid="staffing-stuck">
            {warning.stuck.map((c) => (
              <li key={c.id}>
                <Link to={`/t/${tenant.code}/cases/${c.id}`}>
                  {c.number} {c.title}
                </Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      {warning.posts.length ? (
        <>
          <p>{t("staffingCriticalPosts")}</p>
          <ul data-testid="staffing-posts">
            {warning.posts.map((p) => (
              <li key={p.post}>
                {t("staffingCriticalPost", {
                  post: pickText(p.name, locale),
                  n: p.cases,
                })}
              </li>
            ))}
          </ul>
        </>
      ) : null}
    </div>
  );
}
