// Open supervision sheets (督办单) and talks (约谈) of the cases the user may read.
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { StateBadge, useTownship, useWhen } from "#app/components/township";
import { useT } from "#app/i18n";
import { listOpenSupervision } from "#app/server/supervision.server";
import { requireTenantContext } from "#app/server/tenancy.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  const { sheets, talks } = await listOpenSupervision(ctx);
  return json({ sheets, talks, now: ctx.now.toISOString() });
}

export default function SupervisionList() {
  const { sheets, talks, now } = useLoaderData<typeof loader>();
  const { tenant, labels } = useTownship();
  const t = useT();
  const when = useWhen();
  const unit = (id: string) => labels.units[id] ?? id;
  const late = (d: string | null) => d !== null && d < now;
  return (
    <>
      <div className="card">
        <h1>{t("supervisionTitle")}</h1>
        <h2>
          {t("supervisionSheets")} <small className="field-description">{t("total", { n: sheets.length })}</small>
        </h2>
        {sheets.length === 0 ? (
          <p>{t("noSupervision")}</p>
        ) : (
          <table data-testid="open-sheets">
            <thead>
              <tr>
                <th>{t("sheetNumber")}</th>
                <th>{t("matter")}</th>
                <th>{t("responsible")}</th>
                <th>{t("issuedAt")}</th>
                <th>{t("respondBy")}</th>
                <th />
              </tr>
            </thead>
            <tbody>
              {sheets.map((s) => (
                <tr key={s.id}>
                  <td>
                    {s.number}
                    {s.urgency === "urgent" ? <span className="due due-red"> {t("urgent")}</span> : null}
                  </td>
                  <td>
                    <Link to={`/t/${tenant.code}/cases/${s.case.id}`}>
                      {s.case.number} {s.case.title}
                    </Link>{" "}
                    <StateBadge labels={labels} workflowId={s.case.workflowId} state={s.case.state} />
                  </td>
                  <td>{s.toUnitIds.map(unit).join("、") || "—"}</td>
                  <td>{when(s.issuedAt)}</td>
                  <td className={late(s.respondBy) ? "error" : ""}>{when(s.respondBy)}</td>
                  <td>
                    <Link to={`/t/${tenant.code}/sheets/${s.id}`}>{t("printable")}</Link>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
      <div className="card">
        <h2>
          {t("talks")} <small className="field-description">{t("total", { n: talks.length })}</small>
        </h2>
        {talks.length === 0 ? (
          <p>{t("noSupervision")}</p>
        ) : (
          <table data-testid="open-talks">
            <thead>
              <tr>
                <th>{t("matter")}</th>
                <th>{t("principal")}</th>
                <th>{t("talkWith")}</th>
                <th>{t("scheduleBy")}</th>
                <th>{t("heldAt")}</th>
              </tr>
            </thead>
            <tbody>
              {talks.map((x) => (
                <tr key={x.id}>
                  <td>
                    <Link to={`/t/${tenant.code}/cases/${x.case.id}`}>
                      {x.case.number} {x.case.title}
                    </Link>
                  </td>
                  <td>{labels.posts[x.principalPost] ?? x.principalPost}</td>
                  <td>{x.withUnitIds.map(unit).join("、") || "—"}</td>
                  <td className={!x.heldAt && late(x.scheduleBy) ? "error" : ""}>{when(x.scheduleBy)}</td>
                  <td>{x.heldAt ? when(x.heldAt) : t("notHeld")}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}
