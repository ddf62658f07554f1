import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useLocale, useT } from "../i18n";
import { requireUser } from "../server/session.server";
import { listMyTownships } from "../server/tenancy.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return json({ townships: await listMyTownships(user.id) });
}

export default function MyTownships() {
  const { townships } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <div className="card">
      <h1>{t("myTownships")}</h1>
      {townships.length === 0 ? <p>{t("noTownships")}</p> : null}
      <ul data-testid="townships">
        {townships.map((m) => (
          <li key={m.tenant.code}>
            <Link to={`/t/${m.tenant.code}`}>{locale === "en" ? (m.tenant.nameEn ?? m.tenant.name) : m.tenant.name}</Link>
          </li>
        ))}
      </ul>
    </div>
  );
}
