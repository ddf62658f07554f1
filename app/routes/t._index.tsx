import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useLocale, useT } from "../i18n";
import { listMyCounties } from "../server/county.server";
import { requireUser } from "../server/session.server";
import { listMyStandardsBodies } from "../server/standards.server";
import { listMyTownships } from "../server/tenancy.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [townships, counties, bodies] = await Promise.all([listMyTownships(user.id), listMyCounties(user.id), listMyStandardsBodies(user.id)]);
  return json({ townships, counties, bodies });
}

export default function MyTownships() {
  const { townships, counties, bodies } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const nameOf = (tenant: { name: string; nameEn: string | null }) => (locale === "en" ? (tenant.nameEn ?? tenant.name) : tenant.name);
  return (
    <>
      {counties.length ? (
        <div className="card">
          <h1>{t("myCounties")}</h1>
          <ul data-testid="counties">
            {counties.map((m) => (
              <li key={m.tenant.code}>
                <Link to={`/c/${m.tenant.code}`}>{nameOf(m.tenant)}</Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {bodies.length ? (
        <div className="card">
          <h1>{t("myStandardsBodies")}</h1>
          <ul data-testid="standards-bodies">
            {bodies.map((m) => (
              <li key={m.tenant.code}>
                <Link to={`/s/${m.tenant.code}`}>{nameOf(m.tenant)}</Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {townships.length || !(counties.length || bodies.length) ? (
        <div className="card">
          <h1>{t("myTownships")}</h1>
          {townships.length === 0 ? <p>{t("noTownships")}</p> : null}
          <ul data-testid="townships">
            {townships.map((m) => (
              <li key={m.tenant.code}>
                <Link to={`/t/${m.tenant.code}`}>{nameOf(m.tenant)}</Link>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
    </>
  );
}
