import { json, redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useLocale, useT, type MessageKey } from "#app/i18n";
import { COUNTY_ADMIN_POST, listMyCounties } from "#app/server/county.server";
import { requireUser } from "#app/server/session.server";
import { listMyStandardsBodies } from "#app/server/standards.server";
import { listMyCountyWorkbenches, listMyTownships } from "#app/server/tenancy.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const [townships, counties, bodies, workbenches] = await Promise.all([
    listMyTownships(user.id),
    listMyCounties(user.id),
    listMyStandardsBodies(user.id),
    listMyCountyWorkbenches(user.id),
  ]);
  // County centre staff and department handlers have nothing to choose: their workbench.
  const only = workbenches[0];
  if (!townships.length && !bodies.length && counties.length === 1 && only && !only.posts.includes(COUNTY_ADMIN_POST))
    return redirect(`/t/${only.tenant.code}/work`);
  return json({ townships, counties, bodies, workbenches: workbenches.map((w) => w.tenant.code) });
}

export default function MyTownships() {
  const { townships, counties, bodies, workbenches } = useLoaderData<typeof loader>();
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
            {prefix === "c" && workbenches.includes(m.tenant.code) ? (
              <>
                {" · "}
                <Link to={`/t/${m.tenant.code}/work`} data-testid="county-workbench">
                  {t("countyWorkbench")}
                </Link>
              </>
            ) : null}
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
