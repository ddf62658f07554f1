import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData, useSearchParams } from "@remix-run/react";
import { useLocale, useT } from "#app/i18n";
import { listCountyTownships, requireCountyContext } from "#app/server/county.server";
import { getPrisma } from "#app/server/db.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireCountyContext(request, params.county);
  return json({ townships: await listCountyTownships(getPrisma(), ctx.county.id) });
}

export default function CountyTownships() {
  const { townships } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const [params] = useSearchParams();
  const onboarded = params.get("onboarded");
  return (
    <div className="card">
      {onboarded ? (
        <p className="notice" role="status">
          {t("onboardedNotice", { code: onboarded })}
        </p>
      ) : null}
      <h1>
        {t("countyTownships")} <small className="field-description">{t("total", { n: townships.length })}</small>
      </h1>
      {townships.length === 0 ? (
        <p>{t("noCountyTownships")}</p>
      ) : (
        <table data-testid="county-townships">
          <thead>
            <tr>
              <th>{t("townshipName")}</th>
              <th>{t("townshipCode")}</th>
              <th>{t("template")}</th>
              <th>{t("configVersion")}</th>
              <th>{t("openCases")}</th>
            </tr>
          </thead>
          <tbody>
            {townships.map((tw) => (
              <tr key={tw.code} data-code={tw.code}>
                <td>{locale === "en" ? (tw.nameEn ?? tw.name) : tw.name}</td>
                <td>
                  <code>{tw.code}</code>
                </td>
                <td>{tw.extendsRef ?? "—"}</td>
                <td>{tw.configVersion === null ? "—" : `v${tw.configVersion}`}</td>
                <td data-testid="open-cases">{tw.openCases}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </div>
  );
}
