// A user's notifications in one township: unread first, then the newest; marking read is a POST.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation } from "@remix-run/react";
import { pickText, type Text } from "#engine/i18n";
import { useTownship, useWhen } from "#app/components/township";
import { isMessageKey, useLocale, useT } from "#app/i18n";
import { requireForm } from "#app/server/form-input.server";
import { listNotifications, markNotificationsRead } from "#app/server/inbox.server";
import { requireTenantContext } from "#app/server/tenancy.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  const { unread, rows } = await listNotifications(ctx);
  return json({
    unread,
    rows: rows.map((n) => {
      const data = (n.data ?? {}) as {
        label?: Text;
        dueAt?: string;
        respondBy?: string;
        scheduleBy?: string;
        reason?: string;
      };
      return {
        id: n.id,
        kind: n.kind,
        title: n.title,
        urgency: n.urgency,
        caseId: n.caseId,
        read: n.readAt !== null,
        at: n.createdAt,
        label: data.label ?? null,
        dueAt: data.dueAt ?? null,
        respondBy: data.respondBy ?? null,
        scheduleBy: data.scheduleBy ?? null,
      };
    }),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  const form = await requireForm(request);
  const ids = form.getAll("id").map(String);
  const marked = await markNotificationsRead(ctx, form.get("all") === "1" ? "all" : ids, ctx.now);
  return json({ marked });
}

export default function Inbox() {
  const { unread, rows } = useLoaderData<typeof loader>();
  const { tenant } = useTownship();
  const t = useT();
  const locale = useLocale();
  const when = useWhen();
  const navigation = useNavigation();
  return (
    <div className="card">
      <div className="actions">
        <h1 style={{ margin: 0 }}>
          {t("inbox")}{" "}
          <small className="field-description" data-testid="inbox-unread">
            {t("unreadCount", { n: unread })}
          </small>
        </h1>
        {unread ? (
          <Form method="post">
            <input type="hidden" name="all" value="1" />
            <button
              type="submit"
              className="link-button"
              data-testid="mark-all-read"
              disabled={navigation.state !== "idle"}
            >
              {t("markAllRead")}
            </button>
          </Form>
        ) : null}
      </div>
      {rows.length === 0 ? (
        <p>{t("noNotifications")}</p>
      ) : (
        <ul className="inbox" data-testid="inbox">
          {rows.map((n) => {
            const key = `notify.${n.kind}`;
            return (
              <li
                key={n.id}
                className={n.read ? "inbox-read" : "inbox-unread"}
                data-kind={n.kind}
                data-read={n.read ? "1" : "0"}
              >
                <div>
                  {n.read ? null : <span className="due due-orange">{t("unread")}</span>}{" "}
                  {n.urgency === "urgent" ? <span className="due due-red">{t("urgent")}</span> : null}{" "}
                  <strong>{isMessageKey(key) ? t(key) : n.kind}</strong>
                  {n.label ? `（${pickText(n.label, locale)}）` : ""} · {n.title}
                </div>
                <div className="field-description">
                  {when(n.at)}
                  {n.dueAt ? ` · ${t("dueAt")} ${when(n.dueAt)}` : ""}
                  {n.respondBy ? ` · ${t("respondBy")} ${when(n.respondBy)}` : ""}
                  {n.scheduleBy ? ` · ${t("scheduleBy")} ${when(n.scheduleBy)}` : ""}
                </div>
                <div className="actions" style={{ margin: "0.3rem 0 0" }}>
                  {n.caseId ? <Link to={`/t/${tenant.code}/cases/${n.caseId}`}>{t("openCase")}</Link> : null}
                  {n.read ? null : (
                    <Form method="post" style={{ margin: 0 }}>
                      <input type="hidden" name="id" value={n.id} />
                      <button type="submit" className="link-button" data-testid="mark-read">
                        {t("markRead")}
                      </button>
                    </Form>
                  )}
                </div>
              </li>
            );
          })}
        </ul>
      )}
    </div>
  );
}
