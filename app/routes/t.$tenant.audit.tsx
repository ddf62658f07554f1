import { json, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { useTownship, useWhen } from "#app/components/township";
import { formatMessage, isMessageKey, useLocale, useT } from "#app/i18n";
import { verifyAuditChain } from "#app/server/audit.server";
import { getPrisma } from "#app/server/db.server";
import { requireAbility } from "#app/server/guards.server";
import { auditDataFor } from "#app/server/masking.server";
import { requirePage } from "#app/server/params.server";
import { requireTenantContext } from "#app/server/tenancy.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  requireAbility(ctx, "read", "Audit");
  const db = getPrisma();
  const page = requirePage(new URL(request.url).searchParams.get("page"), 0);
  const events = await ctx.db.transaction((tx) =>
    tx.auditEvent.findMany({
      where: { tenantId: ctx.tenant.id },
      orderBy: { seq: "desc" },
      take: 100,
      skip: page * 100,
    }),
  );
  const actors = await db.user.findMany({
    where: { id: { in: [...new Set(events.map((e) => e.actorId).filter((x): x is string => !!x))] } },
    select: { id: true, displayName: true },
  });
  const names = Object.fromEntries(actors.map((a) => [a.id, a.displayName]));
  const chain = await verifyAuditChain(db, ctx.tenant.id);
  // The same masks as the case page: the loader's data reaches the browser whether it is shown or not.
  const data = await auditDataFor(db, ctx, events);
  return json({
    chain,
    events: events.map((e, i) => ({
      seq: e.seq,
      type: e.type,
      at: e.at,
      actor: e.actorId ? (names[e.actorId] ?? e.actorId) : "—",
      caseId: e.caseId,
      data: data[i],
    })),
  });
}

export default function AuditLog() {
  const { chain, events } = useLoaderData<typeof loader>();
  const { tenant } = useTownship();
  const t = useT();
  const locale = useLocale();
  const when = useWhen();
  return (
    <div className="card">
      <h1>{t("auditLog")}</h1>
      <p className={chain.ok ? "notice" : "alert"} data-testid="chain-status">
        {chain.ok
          ? `${t("chainOk", { n: chain.count })}${locale === "en" ? "; " : "；"}${chain.anchoredAt === undefined ? t("chain.notAnchored") : t("chain.anchored", { m: chain.anchoredAt })}`
          : t("chainBroken", { reason: formatMessage(locale, chain.message.key, chain.message.params) })}
      </p>
      <table data-testid="audit-log">
        <thead>
          <tr>
            <th>#</th>
            <th>{t("time")}</th>
            <th>{t("actor")}</th>
            <th>{t("event")}</th>
            <th />
          </tr>
        </thead>
        <tbody>
          {events.map((e) => {
            const key = `audit.${e.type}`;
            return (
              <tr key={e.seq}>
                <td>{e.seq}</td>
                <td>{when(e.at)}</td>
                <td>{e.actor}</td>
                <td>{isMessageKey(key) ? t(key) : e.type}</td>
                <td>
                  {e.caseId ? (
                    <Link to={`/t/${tenant.code}/cases/${e.caseId}`}>→</Link>
                  ) : (
                    <code>{JSON.stringify(e.data)}</code>
                  )}
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
