// The duty rota (值班表): a daily rotation, with optional weekday and date overrides.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { addLocalDays, localDate } from "#engine/time";
import { rotaCalendar, type DutyRotaData } from "#engine/rota";
import { StaffingWarningCard } from "#app/components/stuck";
import { translate, useT } from "#app/i18n";
import { getPrisma } from "#app/server/db.server";
import { requireForm } from "#app/server/form-input.server";
import { requireAbility } from "#app/server/guards.server";
import { getLocale } from "#app/server/locale.server";
import { getRota, listMembers, saveRota } from "#app/server/members.server";
import { staffingWarning } from "#app/server/stuck.server";
import { requireTenantContext } from "#app/server/tenancy.server";
import { renderIssue } from "#app/locales/issues/index";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  requireAbility(ctx, "manage", "Membership");
  const [row, members, warning] = await Promise.all([
    getRota(ctx),
    listMembers(ctx),
    staffingWarning(getPrisma(), ctx, ctx.now),
  ]);
  const rota = (row?.data ?? {}) as DutyRotaData;
  const rotaPost = ctx.compiled.config.dutyRota?.post;
  const eligible = members.filter(
    (m) => m.active && (!rotaPost || m.posts.includes(rotaPost) || m.backupPosts.includes(rotaPost)),
  );
  const names = Object.fromEntries(members.map((m) => [m.userId, m.user.displayName]));
  const zone = ctx.compiled.defaults.timeZone;
  const today = localDate(zone, ctx.now);
  const end = addLocalDays(today, 13);
  return json({
    warning,
    version: row?.version ?? 0,
    rota,
    eligible: eligible.map((m) => ({ userId: m.userId, name: m.user.displayName })),
    upcoming: rotaCalendar(ctx.compiled, rota, today, end).map((d) => ({
      date: d.date,
      names: d.userIds.map((u) => names[u] ?? u),
    })),
    today,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  requireAbility(ctx, "manage", "Membership");
  const locale = await getLocale(request);
  const form = await requireForm(request);
  const holders = form.getAll("holder").map(String).filter(Boolean);
  const start = String(form.get("start") ?? "");
  let extra: Partial<DutyRotaData> = {};
  const advanced = String(form.get("advanced") ?? "").trim();
  if (advanced) {
    try {
      extra = JSON.parse(advanced);
    } catch {
      return json(
        { saved: null, issues: [{ path: "/advanced", message: translate(locale, "rotaInvalidJson") }] },
        { status: 422 },
      );
    }
  }
  const rota = { ...extra, ...(holders.length ? { rotation: { start, holders } } : {}) };
  const r = await saveRota(ctx, rota, Number(form.get("version") ?? 0), ctx.now);
  return r.ok
    ? json({ saved: r.version, issues: [] })
    : json(
        { saved: null, issues: r.issues.map((i) => ({ path: i.path, message: renderIssue(locale, i) })) },
        { status: 422 },
      );
}

export default function Rota() {
  const { version, rota, eligible, upcoming, today, warning } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const holders = rota.rotation?.holders ?? [];
  const slots = Math.max(holders.length + 1, 3);
  const { rotation: _rotation, ...advanced } = rota;
  const issues = (result?.issues ?? []) as Array<{ path: string; message: string }>;
  return (
    <div className="card">
      <h1>{t("dutyRota")}</h1>
      <StaffingWarningCard warning={warning} />
      {result?.saved ? (
        <p className="notice" role="status">
          {t("rotaSaved", { v: result.saved })}
        </p>
      ) : null}
      {issues.length ? (
        <ul className="alert" role="alert">
          {issues.map((i) => (
            <li key={i.path + i.message}>
              <code>{i.path}</code> {i.message}
            </li>
          ))}
        </ul>
      ) : null}
      <Form method="post" data-testid="rota-form">
        <input type="hidden" name="version" value={version} />
        <label>
          {t("rotaStart")}
          <input type="date" name="start" defaultValue={rota.rotation?.start ?? today} required />
        </label>
        <fieldset>
          <legend>{t("rotaHolders")}</legend>
          {Array.from({ length: slots }, (_, i) => (
            <label key={i}>
              {i + 1}.
              <select name="holder" defaultValue={holders[i] ?? ""} aria-label={`${t("rotaHolders")} ${i + 1}`}>
                <option value="">—</option>
                {eligible.map((m) => (
                  <option key={m.userId} value={m.userId}>
                    {m.name}
                  </option>
                ))}
              </select>
            </label>
          ))}
        </fieldset>
        <label>
          {t("rotaAdvanced")}
          <textarea
            name="advanced"
            rows={4}
            defaultValue={Object.keys(advanced).length ? JSON.stringify(advanced, null, 2) : ""}
          />
        </label>
        <button type="submit" className="primary">
          {t("save")}
        </button>
      </Form>
      <h2>{t("next14Days")}</h2>
      <table data-testid="rota-upcoming">
        <tbody>
          {upcoming.map((d) => (
            <tr key={d.date}>
              <td>{d.date}</td>
              <td>{d.names.join("、") || t("nobody")}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
