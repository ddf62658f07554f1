// Which open cases' due dates publishing a config moves (docs/decisions/016): the count and the
// note on changed rules beside the publish button, and the table of cases. Shared by the config
// editor and the template upgrade screen, which both publish through publishTownshipConfig.
import { Link } from "@remix-run/react";
import { isMessageKey, useT } from "#app/i18n";
import type { DeadlineImpactView, ImpactRow } from "#app/server/config-admin.server";
import { useTownship, useWhen } from "./township";

function shiftText(t: ReturnType<typeof useT>, workingDays: number) {
  if (workingDays === 0) return t("impact.sameDay");
  const n = Math.abs(workingDays);
  return workingDays > 0 ? t("impact.later", { n }) : t("impact.earlier", { n });
}

/** The count of moved deadlines beside the publish button; the table itself is below. */
export function ImpactSummary({ impact, level = 2 }: { impact: DeadlineImpactView; level?: 2 | 3 }) {
  const t = useT();
  const cases = new Set(impact.rows.map((r) => r.caseId)).size;
  const Heading = level === 3 ? "h3" : "h2";
  return (
    <>
      <Heading>{t("impact.title")}</Heading>
      {impact.calendarsChanged ? (
        <p data-testid="impact-count">
          {impact.rows.length ? (
            <>
              {t("impact.count", { cases, deadlines: impact.rows.length, timed: impact.casesWithDeadlines })}{" "}
              <a href="#deadline-impact">{t("impact.seeTable")}</a>
            </>
          ) : (
            t("impact.none", { timed: impact.casesWithDeadlines })
          )}
        </p>
      ) : null}
      {impact.policiesChanged ? (
        <p className="field-description" data-testid="impact-policies-note">
          {t("impact.policiesNote")}
        </p>
      ) : null}
    </>
  );
}

/** The open cases whose due dates publishing moves; cases the admin may not read show their number only. */
export function ImpactTable({ impact }: { impact: DeadlineImpactView }) {
  const t = useT();
  const when = useWhen();
  const { tenant } = useTownship();
  const name = (row: ImpactRow) => {
    const key = `deadline.${row.deadlineKind}`;
    return isMessageKey(key) ? t(key) : row.deadlineKind;
  };
  return (
    <section
      className="card"
      id="deadline-impact"
      data-testid="deadline-impact"
      aria-labelledby="deadline-impact-title"
      style={{ gridColumn: "1 / -1" }}
    >
      <h2 id="deadline-impact-title">{t("impact.tableTitle")}</h2>
      <table>
        <thead>
          <tr>
            <th scope="col">{t("impact.case")}</th>
            <th scope="col">{t("impact.caseTitle")}</th>
            <th scope="col">{t("impact.deadline")}</th>
            <th scope="col">{t("impact.currentDue")}</th>
            <th scope="col">{t("impact.newDue")}</th>
            <th scope="col">{t("impact.shift")}</th>
          </tr>
        </thead>
        <tbody>
          {impact.rows.map((row) => (
            <tr key={`${row.caseId}/${row.deadlineKind}/${row.fromDueAt}`} data-case={row.number}>
              <td>
                {row.title === null ? (
                  row.number
                ) : (
                  <Link to={`/t/${tenant.code}/cases/${row.caseId}`}>{row.number}</Link>
                )}
              </td>
              <td>{row.title ?? <span className="field-description">{t("impact.hidden")}</span>}</td>
              <td>
                {name(row)}
                {row.paused ? <span className="field-description"> {t("impact.paused")}</span> : null}
              </td>
              <td>{when(row.fromDueAt)}</td>
              <td>{when(row.toDueAt)}</td>
              <td>{shiftText(t, row.workingDays)}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <p className="field-description">{t("impact.retimeNote")}</p>
    </section>
  );
}
