// The template registry of a standards body: every version it published, newest first, with its
// release notes and the townships running it (directly, or through a template built on it).
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData, useSearchParams } from "@remix-run/react";
import { pickText } from "../../engine/i18n";
import { useLocale, useT } from "../i18n";
import { getPrisma } from "../server/db.server";
import { loadRegistry, requireStandardsContext } from "../server/standards.server";

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
  const published = params.get("published");
  const nameOf = (tw: { name: string; nameEn: string | null }) => (locale === "en" ? (tw.nameEn ?? tw.name) : tw.name);
  return (
    <div className="card" data-testid="registry">
      {published ? (
        <p className="notice" role="status">{t(params.get("unchanged") ? "stdUnchanged" : "stdPublished", { ref: published })}</p>
      ) : null}
      <h1>{t("stdRegistry")}</h1>
      {templates.length === 0 ? <p>{t("stdNoTemplates")}</p> : null}
      {templates.map((tpl) => (
        <section key={tpl.templateId} data-template={tpl.templateId}>
          <div className="actions">
            <h2 style={{ margin: 0 }}><code>{tpl.templateId}</code></h2>
            <span className="badge" data-testid="template-usage">{t("stdUsage", { n: tpl.townships, behind: tpl.behind })}</span>
            {canPublish ? <Link to={`/s/${body}/publish?from=${encodeURIComponent(tpl.templateId)}`}>{t("stdNextVersion")}</Link> : null}
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
                    {v.extendsRef ? <p className="field-description">{t("stdBuildsOn", { ref: v.extendsRef })}</p> : null}
                  </td>
                  <td>
                    {new Date(v.publishedAt).toLocaleString(locale, { timeZone: "Asia/Shanghai", hour12: false })}
                    <p className="field-description">{v.publishedBy}</p>
                  </td>
                  <td style={{ whiteSpace: "pre-wrap" }}>{v.notes ? pickText(v.notes, locale) : "—"}</td>
                  <td data-testid="version-townships">
                    {v.direct.length + v.indirect.length === 0 ? <span className="field-description">{t("stdNoTownships")}</span> : null}
                    <ul style={{ margin: 0, paddingLeft: "1.1rem" }}>
                      {v.direct.map((tw) => (
                        <li key={tw.code} data-township={tw.code}>
                          {nameOf(tw)} <small className="field-description">{tw.county ? `${tw.county} · ` : ""}v{tw.configVersion}</small>
                          <Readiness r={readiness[tw.code]} />
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

/** What upgrading to the newest version would take for a township behind it (a dry run). */
function Readiness({ r }: { r: { to: string; conflicts: number; invalid: boolean } | undefined }) {
  const t = useT();
  if (!r) return null;
  const version = r.to.slice(r.to.lastIndexOf("@") + 1);
  const [key, cls] = r.invalid ? (["stdUpgradeInvalid", "state-red"] as const) : r.conflicts ? (["stdUpgradeConflicts", "state-orange"] as const) : (["stdUpgradeClean", "state-green"] as const);
  return (
    <span className={`state ${cls}`} data-testid="upgrade-readiness" style={{ display: "block", width: "fit-content" }}>
      {t(key, { version, n: r.conflicts })}
    </span>
  );
}
