// A standards body (标准制定机构): its template registry and publishing new template versions.
import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { NavLink, Outlet, useLoaderData } from "@remix-run/react";
import { useLocale, useT } from "#app/i18n";
import { requireStandardsContext } from "#app/server/standards.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireStandardsContext(request, params.body);
  return json({
    body: { code: ctx.tenant.code, name: ctx.tenant.name, nameEn: ctx.tenant.nameEn },
    canPublish: ctx.canPublish,
  });
}

export default function StandardsBodyLayout() {
  const { body, canPublish } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <>
      <div className="actions">
        <h2 style={{ margin: 0 }} data-testid="body-name">
          {locale === "en" ? (body.nameEn ?? body.name) : body.name}
        </h2>
        <NavLink to={`/s/${body.code}`} end>
          {t("stdRegistry")}
        </NavLink>
        {canPublish ? (
          <NavLink to={`/s/${body.code}/publish`} className="button">
            {t("stdPublishNew")}
          </NavLink>
        ) : null}
      </div>
      <Outlet />
    </>
  );
}
