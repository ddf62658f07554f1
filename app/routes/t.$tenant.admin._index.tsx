import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigate, useSearchParams } from "@remix-run/react";
import { useState } from "react";
import { pickText } from "#engine/i18n";
import { useTownship, useWhen } from "#app/components/township";
import { useT } from "#app/i18n";
import { countOpenOnOlder } from "#app/server/case-migration.server";
import { loadConfigAdmin } from "#app/server/config-admin.server";
import { getPrisma } from "#app/server/db.server";
import { requireAbility } from "#app/server/guards.server";
import { getLocale } from "#app/server/locale.server";
import { requireTenantContext } from "#app/server/tenancy.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  requireAbility(ctx, "manage", "Config");
  const locale = await getLocale(request);
  const state = await loadConfigAdmin(getPrisma(), ctx);
  const doc = state.latest.document;
  const templateForms = new Set(Object.keys((state.template?.forms as Record<string, unknown> | undefined) ?? {}));
  return json({
    latest: {
      version: state.latest.version,
      extendsRef: state.latest.extendsRef,
      publishedAt: state.latest.publishedAt,
      publishedBy: state.latest.publishedBy,
    },
    history: state.history,
    openOnOlder: await countOpenOnOlder(ctx, state.latest.version),
    forms: Object.entries(doc.forms ?? {}).map(([id, f]) => ({
      id,
      name: pickText(f.name, locale),
      fromTemplate: templateForms.has(id),
      usedBy: (doc.categories ?? []).filter((c) => c.intakeForm === id).map((c) => pickText(c.name, locale)),
    })),
  });
}

export default function ConfigAdmin() {
  const { latest, history, forms, openOnOlder } = useLoaderData<typeof loader>();
  const { tenant } = useTownship();
  const t = useT();
  const navigate = useNavigate();
  const [params] = useSearchParams();
  const [newForm, setNewForm] = useState("");
  const when = useWhen();
  const published = params.get("published");
  return (
    <div className="admin-page">
      <div className="card" data-testid="config-admin">
        {published ? (
          <p className="notice" role="status">
            {params.get("unchanged") ? t("unchangedNotice") : t("publishedNotice", { n: published })}
            {params.get("retimed") ? t("impact.retimedNotice", { n: params.get("retimed") ?? "" }) : null}
          </p>
        ) : null}
        <h1>{t("admin")}</h1>
        <dl className="facts">
          <dt>{t("configVersion")}</dt>
          <dd data-testid="config-version">v{latest.version}</dd>
          <dt>{t("template")}</dt>
          <dd data-testid="config-template">{latest.extendsRef ?? "—"}</dd>
          <dt>{t("publishedAt")}</dt>
          <dd>{when(latest.publishedAt)}</dd>
          <dt>{t("publishedBy")}</dt>
          <dd>{latest.publishedBy ?? "—"}</dd>
        </dl>
        <p className="actions">
          <Link to={`/t/${tenant.code}/admin/config`} className="button">
            {t("editConfig")}
          </Link>
          <Link to={`/t/${tenant.code}/admin/upgrade`}>{t("upgrade.link")}</Link>
          <Link to={`/t/${tenant.code}/audit`}>{t("auditLog")}</Link>
        </p>
        {openOnOlder > 0 ? (
          <p className="notice" data-testid="migrate-link">
            <Link to={`/t/${tenant.code}/admin/migrate`}>{t("migrate.link", { n: openOnOlder })}</Link>
          </p>
        ) : null}
      </div>
      <div className="card">
        <h2>{t("forms")}</h2>
        <table data-testid="admin-forms">
          <thead>
            <tr>
              <th>{t("formId")}</th>
              <th>{t("formName")}</th>
              <th>{t("usedBy")}</th>
              <th />
            </tr>
          </thead>
          <tbody>
            {forms.map((f) => (
              <tr key={f.id}>
                <td>
                  <code>{f.id}</code>
                  {f.fromTemplate ? <small className="field-description"> {t("fromTemplate")}</small> : null}
                </td>
                <td>{f.name}</td>
                <td>{f.usedBy.join("、") || "—"}</td>
                <td>
                  <Link to={`/t/${tenant.code}/admin/forms/${f.id}`} aria-label={`${t("designForm")} ${f.name}`}>
                    {t("designForm")}
                  </Link>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <Form
          className="inline-fields"
          onSubmit={(e) => {
            e.preventDefault();
            if (/^[a-z0-9][a-z0-9-]*$/.test(newForm)) navigate(`/t/${tenant.code}/admin/forms/${newForm}`);
          }}
        >
          <label>
            {t("newFormId")}{" "}
            <input value={newForm} pattern="[a-z0-9][a-z0-9\-]*" onChange={(e) => setNewForm(e.target.value.trim())} />
          </label>
          <button type="submit">{t("newForm")}</button>
        </Form>
      </div>
      <div className="card">
        <h2>{t("versionHistory")}</h2>
        <table data-testid="config-history">
          <thead>
            <tr>
              <th>{t("configVersion")}</th>
              <th>{t("template")}</th>
              <th>{t("publishedAt")}</th>
              <th>{t("publishedBy")}</th>
            </tr>
          </thead>
          <tbody>
            {history.map((h) => (
              <tr key={h.version}>
                <td>v{h.version}</td>
                <td>{h.extendsRef ?? "—"}</td>
                <td>{when(h.publishedAt)}</td>
                <td>{h.publishedBy ?? "—"}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
