// The template registry of a standards body: every version it published, newest first, with its
// release notes and the townships running it (directly, or through a template built on it).
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { pickText } from "#engine/i18n";
import { useWhen } from "#app/components/township";
import { UpgradeReadiness } from "#app/components/upgrade-readiness";
import { useLocale, useT } from "#app/i18n";
import { getPrisma } from "#app/server/db.server";
import { loadRegistry, requireStandardsContext } from "#app/server/standards.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireStandardsContext(request, params.body);
  const { templates, readiness } = await loadRegistry(getPrisma(), ctx.tenant.id);
  return json({ body: ctx.tenant.code, canPublish: ctx.canPublish, templates, readiness });
}

export default function TemplateRegistry() {
  const { body, canPublish, templates, readiness } = useLoaderData<typeof loader>();
  const [params] = useSearchParams();
  const t = useT();
  const locale = useLocale();
  // A standards body serves many townships: its page shows the schema's default zone.
  const when = useWhen();
  const published = params.get("published");
  const nameOf = (tw: { name: string; nameEn: string | null }) => (locale === "en" ? (tw.nameEn ?? tw.name) : tw.name);
  return (
    <div className="card" data-testid="registry">
      {published ? (
        <p className="notice" role="status">
          {t(params.get("unchanged") ? "stdUnchanged" : "stdPublished", { ref: published })}
        </p>
      ) : null}
      <h1>{t("stdRegistry")}</h1>
      {templates.length === 0 ? <p>{t("stdNoTemplates")}</p> : null}
      {templates.map((tpl) => (
        <section key={tpl.templateId} data-template={tpl.templateId}>
          <div className="actions">
            <h2 style={{ margin: 0 }}>
              <code>{tpl.templateId}</code>
            </h2>
            <span className="badge" data-testid="template-usage">
              {t("stdUsage", { n: tpl.townships, behind: tpl.behind })}
            </span>
            {canPublish ? (
              <Link to={`/s/${body}/publish?from=${encodeURIComponent(tpl.templateId)}`}>{t("stdNextVersion")}</Link>
            ) : null}
          </div>
          <table>
            <thead>
              <tr>
                <th scope="col">{t("stdVersion")}</th>
                <th scope="col">{t("stdPublishedAt")}</th>
                <th scope="col">{t("stdNotes")}</th>
                <th scope="col">{t("stdTownships")}</th>
              </tr>
            </thead>
            <tbody>
              {tpl.versions.map((v) => (
                <tr key={v.ref} data-ref={v.ref}>
                  <td>
                    <strong>{v.version}</strong> {v.latest ? <span className="badge">{t("stdLatest")}</span> : null}
                    {v.extendsRef ? (
                      <p className="field-description">{t("stdBuildsOn", { ref: v.extendsRef })}</p>
                    ) : null}
                  </td>
                  <td>
                    {when(v.publishedAt)}
                    <p className="field-description">{v.publishedBy}</p>
                  </td>
                  <td style={{ whiteSpace: "pre-wrap" }}>{v.notes ? pickText(v.notes, locale) : "—"}</td>
                  <td data-testid="version-townships">
                    {v.direct.length + v.indirect.length === 0 ? (
                      <span className="field-description">{t("stdNoTownships")}</span>
                    ) : null}
                    <ul style={{ margin: 0, paddingLeft: "1.1rem" }}>
                      {v.direct.map((tw) => (
                        <li key={tw.code} data-township={tw.code}>
                          {nameOf(tw)}{" "}
                          <small className="field-description">
                            {tw.county ? `${tw.county} · ` : ""}v{tw.configVersion}
                          </small>
                          <UpgradeReadiness r={readiness[tw.code]} />
                        </li>
                      ))}
                      {v.indirect.map((tw) => (
                        <li key={`${tw.code}-${tw.via}`} data-township={tw.code}>
                          {nameOf(tw)} <small className="field-description">{t("stdVia", { ref: tw.via })}</small>
                        </li>
                      ))}
                    </ul>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      ))}
    </div>
  );
}
