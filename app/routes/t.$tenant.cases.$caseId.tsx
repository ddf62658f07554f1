import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { localizeForm } from "../../engine/forms";
import { StateBadge, useAbility, useTownship } from "../components/township";
import { isMessageKey, useLocale, useT } from "../i18n";
import { getCase } from "../server/cases.server";
import { getPrisma } from "../server/db.server";
import { getLocale } from "../server/locale.server";
import { maskCaseData } from "../server/masking.server";
import { notFound, requireTenantContext } from "../server/tenancy.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  const found = await getCase(getPrisma(), ctx, params.caseId ?? "");
  if (!found) notFound();
  const locale = await getLocale(request);
  const category = ctx.compiled.categories.get(found.categoryId);
  const formId = category?.intakeForm ?? "";
  const form = ctx.compiled.forms.get(formId);
  const { data, maskedFields } = maskCaseData(ctx.compiled, ctx.ability, found, formId, found.data as Record<string, unknown>);
  const schema = form ? (localizeForm(form, locale).schema as { properties?: Record<string, { title?: string }> }) : {};
  const order = ((form?.uiSchema as { "ui:order"?: string[] } | undefined)?.["ui:order"] ?? Object.keys(schema.properties ?? {})).filter((k) => k !== "*");
  const fields = order
    .filter((key) => key in data)
    .map((key) => ({ key, title: schema.properties?.[key]?.title ?? key, value: data[key], masked: maskedFields.includes(key) }));
  return json({
    case: {
      id: found.id,
      number: found.number,
      title: found.title,
      categoryId: found.categoryId,
      gradeId: found.gradeId,
      platformId: found.platformId,
      workflowId: found.workflowId,
      state: found.state,
      orgUnitId: found.orgUnitId,
      configVersion: found.configVersion,
      reporter: found.reporter.displayName,
      createdAt: found.createdAt,
    },
    fields,
    audit: found.auditEvents.map((e) => ({ id: String(e.id), type: e.type, at: e.at })),
  });
}

export default function CaseDetail() {
  const { case: c, fields, audit } = useLoaderData<typeof loader>();
  const { tenant, labels } = useTownship();
  const t = useT();
  const locale = useLocale();
  const ability = useAbility();
  const when = (d: string) => new Date(d).toLocaleString(locale, { timeZone: "Asia/Shanghai" });
  return (
    <>
      <div className="card" data-testid="case-detail">
        <p className="actions">
          <Link to={`/t/${tenant.code}`}>← {t("backToList")}</Link>
          {ability.can("manage", "Membership") ? <Link to={`/t/${tenant.code}/cases/${c.id}/access`}>{t("whoCanSee")}</Link> : null}
        </p>
        <h1>{c.title} <small className="field-description">{c.number}</small></h1>
        <dl className="facts">
          <dt>{t("category")}</dt><dd>{labels.categories[c.categoryId] ?? c.categoryId}</dd>
          <dt>{t("grade")}</dt><dd>{labels.grades[c.gradeId] ?? c.gradeId}</dd>
          <dt>{t("status")}</dt><dd><StateBadge labels={labels} workflowId={c.workflowId} state={c.state} /></dd>
          <dt>{t("platform")}</dt><dd>{labels.units[c.platformId] ?? c.platformId}</dd>
          <dt>{t("orgUnit")}</dt><dd>{labels.units[c.orgUnitId] ?? c.orgUnitId}</dd>
          <dt>{t("reporter")}</dt><dd>{c.reporter}</dd>
          <dt>{t("reportedAt")}</dt><dd>{when(c.createdAt)}</dd>
          <dt>{t("configVersion")}</dt><dd>v{c.configVersion}</dd>
        </dl>
      </div>
      <div className="card">
        <h2>{t("details")}</h2>
        <dl className="facts">
          {fields.map((f) => (
            <div key={f.key} style={{ display: "contents" }}>
              <dt>{f.title}</dt>
              <dd data-field={f.key}>{String(f.value)}{f.masked ? <span className="field-description"> {t("masked")}</span> : null}</dd>
            </div>
          ))}
        </dl>
      </div>
      <div className="card">
        <h2>{t("auditTrail")}</h2>
        <ol data-testid="audit-trail">
          {audit.map((e) => {
            const key = `audit.${e.type}`;
            return <li key={e.id}>{when(e.at)} · {isMessageKey(key) ? t(key) : e.type}</li>;
          })}
        </ol>
      </div>
    </>
  );
}
