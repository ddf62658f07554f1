import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useLocale, useT, type MessageKey } from "#app/i18n";
import { listMyCounties } from "#app/server/county.server";
import { requireUser } from "#app/server/session.server";
import { listMyStandardsBodies } from "#app/server/standards.server";
import { listMyTownships } from "#app/server/tenancy.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [townships, counties, bodies] = await Promise.all([
    listMyTownships(user.id),
    listMyCounties(user.id),
    listMyStandardsBodies(user.id),
  ]);
  return json({ townships, counties, bodies });
}

export default function MyTownships() {
  const { townships, counties, bodies } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  const nameOf = (tenant: { name: string; nameEn: string | null }) =>
    locale === "en" ? (tenant.nameEn ?? tenant.name) : tenant.name;
  const list = (
    title: MessageKey,
    testId: string,
    prefix: string,
    members: Array<{ tenant: { code: string; name: string; nameEn: string | null } }>,
  ) => (
    <div className="card">
      <h1>{t(title)}</h1>
      <ul data-testid={testId}>
        {members.map((m) => (
          <li key={m.tenant.code}>
            <Link to={`/${prefix}/${m.tenant.code}`}>{nameOf(m.tenant)}</Link>
          </li>
        ))}
      </ul>
      {members.length === 0 ? <p>{t("noTownships")}</p> : null}
    </div>
  );
  return (
    <>
      {counties.length ? list("myCounties", "counties", "c", counties) : null}
      {bodies.length ? list("myStandardsBodies", "standards-bodies", "s", bodies) : null}
      {townships.length || !(counties.length || bodies.length)
        ? list("myTownships", "townships", "t", townships)
        : null}
    </>
  );
}
