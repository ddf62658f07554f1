// The printable supervision sheet (督办单). Anyone who may read the case may open and print it;
// the app's header and menus are left off the paper by the print stylesheet.
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTownship, useWhen } from "#app/components/township";
import { useT } from "#app/i18n";
import { getPrisma } from "#app/server/db.server";
import { getLocale } from "#app/server/locale.server";
import { requireIds } from "#app/server/params.server";
import { getSheetForPrint } from "#app/server/supervision.server";
import { notFound, requireTenantContext } from "#app/server/tenancy.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { sheetId } = requireIds(params, "sheetId");
  const ctx = await requireTenantContext(request, params.tenant);
  const sheet = await getSheetForPrint(getPrisma(), ctx, sheetId, await getLocale(request));
  if (!sheet) notFound();
  return json({ sheet });
}

export default function SupervisionSheet() {
  const { sheet } = useLoaderData<typeof loader>();
  const { tenant, labels } = useTownship();
  const t = useT();
  const when = useWhen();
  const unit = (id: string) => labels.units[id] ?? id;
  return (
    <>
      <p className="actions no-print">
        <Link to={`/t/${tenant.code}/cases/${sheet.case.id}`}>← {sheet.case.number}</Link>
        <button type="button" className="primary" onClick={() => window.print()} data-testid="print">
          {t("print")}
        </button>
      </p>
      <article className="sheet" data-testid="sheet">
        <h1 className="sheet-title">
          {labels.township}
          {t("sheetTitle")}
        </h1>
        <p className="sheet-number">
          {t("sheetNumber")}：<span data-testid="sheet-number">{sheet.number}</span>
          {sheet.urgency === "urgent" ? <strong className="error"> 【{t("urgent")}】</strong> : null}
        </p>
        <table className="sheet-table">
          <tbody>
            <tr>
              <th>{t("township")}</th>
              <td colSpan={3}>{labels.township}</td>
            </tr>
            <tr>
              <th>{t("matter")}</th>
              <td colSpan={3} data-testid="sheet-matter">
                {sheet.case.number} {sheet.case.title}（
                {labels.categories[sheet.case.categoryId] ?? sheet.case.categoryId}）
              </td>
            </tr>
            <tr>
              <th>{t("responsible")}</th>
              <td colSpan={3} data-testid="sheet-responsible">
                {[...sheet.toUnitIds.map(unit), ...sheet.toUsers].join("、") || "—"}
              </td>
            </tr>
            <tr>
              <th>{t("assignedAt")}</th>
              <td>{when(sheet.assignedAt)}</td>
              <th>{t("dueDeadline")}</th>
              <td>{when(sheet.dueAt)}</td>
            </tr>
            <tr>
              <th>{t("overdueWorkingDays")}</th>
              <td data-testid="sheet-overdue">{sheet.overdueWorkingDays ?? "—"}</td>
              <th>{t("respondBy")}</th>
              <td>{when(sheet.respondBy)}</td>
            </tr>
            <tr>
              <th>{t("requirements")}</th>
              <td colSpan={3}>
                {sheet.label ? (
                  <p>
                    <strong data-testid="sheet-label">{sheet.label}</strong>（
                    {t(sheet.trigger === "manual" ? "trigger.manual" : "trigger.ladder")}）
                  </p>
                ) : null}
                <p>{t("requirementText")}</p>
              </td>
            </tr>
            <tr>
              <th>{t("issuedAt")}</th>
              <td>{when(sheet.issuedAt)}</td>
              <th>{t("status")}</th>
              <td>
                {t(sheet.status === "open" ? "sheetStatus.open" : "sheetStatus.closed")}
                {sheet.closedAt ? ` ${when(sheet.closedAt)}` : ""}
              </td>
            </tr>
            <tr>
              <th>{t("copyTo")}</th>
              <td colSpan={3}>{sheet.copyPosts.map((p) => labels.posts[p] ?? p).join("、") || "—"}</td>
            </tr>
          </tbody>
        </table>
        <div className="signatures">
          <div>
            {t("issuer")}：<span className="sign-line" /> {t("signDate")}：<span className="sign-line short" />
          </div>
          <div>
            {t("receiver")}：<span className="sign-line" /> {t("signDate")}：<span className="sign-line short" />
          </div>
        </div>
      </article>
    </>
  );
}
