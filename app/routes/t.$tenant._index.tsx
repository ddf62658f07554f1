import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { useT } from "#app/i18n";
import { listCases } from "#app/server/cases.server";
import { requireTenantContext } from "#app/server/tenancy.server";
import { StateBadge, useAbility, useTownship, useWhen } from "#app/components/township";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  const { rows, total } = await listCases(ctx);
  return json({ rows, total });
}

export default function CaseList() {
  const { rows, total } = useLoaderData<typeof loader>();
  const { tenant, labels } = useTownship();
  const t = useT();
  const when = useWhen();
  const [params] = useSearchParams();
  const ability = useAbility();
  const reported = params.get("reported");
  return (
    <div className="card">
      {reported ? (
        <p className="notice" role="status">
          {t("reported", { n: reported })}
        </p>
      ) : null}
      <div className="actions">
        <h1 style={{ margin: 0 }}>
          {t("cases")} <small className="field-description">{t("total", { n: total })}</small>
        </h1>
        {ability.can("export", "Case") ? (
          <Form
            method="post"
            action={`/t/${tenant.code}/export`}
            reloadDocument
            className="actions"
            style={{ margin: 0 }}
          >
            <button type="submit" name="format" value="xlsx" className="link-button" data-testid="export-xlsx">
              {t("exportXlsx")}
            </button>
            <button type="submit" name="format" value="csv" className="link-button" data-testid="export-csv">
              {t("exportCsv")}
            </button>
          </Form>
        ) : null}
      </div>
      {rows.length === 0 ? (
        <p>{t("noCases")}</p>
      ) : (
        <table data-testid="case-list">
          <thead>
            <tr>
              <th>{t("number")}</th>
              <th>{t("title")}</th>
              <th>{t("category")}</th>
              <th>{t("grade")}</th>
              <th>{t("status")}</th>
              <th>{t("orgUnit")}</th>
              <th>{t("reporter")}</th>
              <th>{t("reportedAt")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((c) => (
              <tr key={c.id}>
                <td>{c.number}</td>
                <td>
                  <Link to={`/t/${tenant.code}/cases/${c.id}`}>{c.title}</Link>
                </td>
                <td>{labels.categories[c.categoryId] ?? c.categoryId}</td>
                <td>{labels.grades[c.gradeId] ?? c.gradeId}</td>
                <td>
                  <StateBadge labels={labels} state={c.state} />
                </td>
                <td>{labels.units[c.orgUnitId] ?? c.orgUnitId}</td>
                <td>{c.reporter.displayName}</td>
                <td>{when(c.createdAt)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
