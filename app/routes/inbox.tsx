// The header's notification count leads here: the user's townships with their unread counts.
// With one township there is nothing to choose, so it goes straight to that township's inbox.
import { json, redirect, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useLocale, useT } from "#app/i18n";
import { getPrisma } from "#app/server/db.server";
import { unreadByTownship } from "#app/server/inbox.server";
import { requireUser } from "#app/server/session.server";

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const townships = await unreadByTownship(getPrisma(), user.id);
  if (townships.length === 1) return redirect(`/t/${townships[0]!.code}/inbox`);
  return json({ townships });
}

export default function AllInboxes() {
  const { townships } = useLoaderData<typeof loader>();
  const t = useT();
  const locale = useLocale();
  return (
    <div className="card">
      <h1>{t("inbox")}</h1>
      {townships.length === 0 ? <p>{t("noTownships")}</p> : null}
      <ul data-testid="inboxes">
        {townships.map((m) => (
          <li key={m.code}>
            <Link to={`/t/${m.code}/inbox`}>{locale === "en" ? (m.nameEn ?? m.name) : m.name}</Link> ·{" "}
            {t("unreadCount", { n: m.unread })}
          </li>
        ))}
      </ul>
    </div>
  );
}
