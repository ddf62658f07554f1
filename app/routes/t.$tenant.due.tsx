// Due and overdue: the watch of routing, inspection, leadership and the duty leader. Shows every
// member only the cases they may read; the mode switch is here for those the config lets switch.
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { DeadlineBadge, StateBadge, useTownship, useWhen } from "#app/components/township";
import { StuckCasesCard } from "#app/components/stuck";
import { isMessageKey, useT } from "#app/i18n";
import { getPrisma } from "#app/server/db.server";
import { dutyLeaderToday, listDueCases, parseDueFilter } from "#app/server/due.server";
import { requireForm } from "#app/server/form-input.server";
import { getLocale } from "#app/server/locale.server";
import { getModeState, switchTenantMode } from "#app/server/mode.server";
import { listStuckCases } from "#app/server/stuck.server";
import { requireTenantContext } from "#app/server/tenancy.server";
import { renderIssue } from "#app/locales/issues/index";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  const db = getPrisma();
  const now = ctx.now;
  const filter = parseDueFilter(new URL(request.url).searchParams.get("filter"));
  const [rows, duty, mode, stuck] = await Promise.all([
    listDueCases(db, ctx, now, filter),
    dutyLeaderToday(db, ctx, now),
    getModeState(db, ctx, now),
    listStuckCases(ctx),
  ]);
  return json({ filter, rows, duty, mode, stuck });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  const locale = await getLocale(request);
  const form = await requireForm(request);
  const to = form.get("to") === "wartime" ? "wartime" : "peacetime";
  const result = await switchTenantMode(
    getPrisma(),
    ctx,
    {
      to,
      reason: String(form.get("reason") ?? ""),
      expectedVersion: Number(form.get("expectedVersion") ?? -1),
    },
    ctx.now,
  );
  if (!result.ok) {
    const status = result.refusal.kind === "not-allowed" ? 403 : result.refusal.kind === "invalid-input" ? 422 : 409;
    return json(
      { error: result.refusal.issues.map((i) => renderIssue(locale, i)).join("；"), kind: result.refusal.kind },
      { status },
    );
  }
  return redirect(`/t/${ctx.tenant.code}/due?switched=${result.mode}`);
}

function ModeSwitch() {
  const { mode } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const navigation = useNavigation();
  const t = useT();
  const when = useWhen();
  const to = mode.mode === "wartime" ? "peacetime" : "wartime";
  return (
    <div className={mode.mode === "wartime" ? "card card-wartime" : "card"} data-testid="mode">
      <h2 style={{ marginTop: 0 }}>
        {t("mode")}：<span data-testid="mode-now">{t(`mode.${mode.mode}`)}</span>{" "}
        {mode.changedAt ? (
          <small className="field-description">{t("modeSince", { at: when(mode.changedAt) })}</small>
        ) : null}
      </h2>
      {result?.error ? (
        <p className="alert" role="alert" data-testid="mode-error">
          {result.error}
        </p>
      ) : null}
      {mode.canSwitch ? (
        <Form method="post" data-testid="mode-switch" key={mode.version}>
          <input type="hidden" name="to" value={to} />
          <input type="hidden" name="expectedVersion" value={mode.version} />
          <div className="field">
            <label htmlFor="mode-reason">{t("switchReason")}</label>
            <textarea id="mode-reason" name="reason" rows={2} required minLength={2} maxLength={500} />
          </div>
          <button type="submit" className="primary" disabled={navigation.state !== "idle"}>
            {t(to === "wartime" ? "switchToWartime" : "switchToPeacetime")}
          </button>
        </Form>
      ) : null}
    </div>
  );
}

export default function DueList() {
  const { filter, rows, duty, stuck } = useLoaderData<typeof loader>();
  const { tenant, labels } = useTownship();
  const t = useT();
  const when = useWhen();
  const [params] = useSearchParams();
  const switched = params.get("switched");
  const filters = [
    ["all", "filterAll"],
    ["overdue", "filterOverdue"],
    ["soon", "filterSoon"],
  ] as const;
  return (
    <>
      {switched === "wartime" || switched === "peacetime" ? (
        <p className="notice" role="status">
          {t("modeSwitched", { mode: t(`mode.${switched}`) })}
        </p>
      ) : null}
      <div className="card" data-testid="duty-today">
        <strong>{t("dutyLeaderToday")}</strong>（{duty.date}）：
        <span data-testid="duty-leaders">{duty.leaders.length ? duty.leaders.join("、") : t("noDutyLeader")}</span>
        {duty.allLeadership ? <div className="field-description">{t("allLeadershipOnDuty")}</div> : null}
      </div>
      <ModeSwitch />
      <StuckCasesCard cases={stuck} />
      <div className="card">
        <div className="actions">
          <h1 style={{ margin: 0 }}>
            {t("dueTitle")} <small className="field-description">{t("total", { n: rows.length })}</small>
          </h1>
          {filters.map(([value, key]) => (
            <Link
              key={value}
              to={value === "all" ? "?" : `?filter=${value}`}
              className={filter === value ? "filter active" : "filter"}
              data-filter={value}
            >
              {t(key)}
            </Link>
          ))}
        </div>
        {rows.length === 0 ? (
          <p>{t("noDueCases")}</p>
        ) : (
          <table data-testid="due-list">
            <thead>
              <tr>
                <th>{t("number")}</th>
                <th>{t("title")}</th>
                <th>{t("status")}</th>
                <th>{t("leadUnit")}</th>
                <th />
                <th>{t("dueAt")}</th>
                <th>{t("timeLeft")}</th>
                <th>{t("openSheets")}</th>
              </tr>
            </thead>
            <tbody>
              {rows.map((r) => {
                const kind = `deadline.${r.deadline.kind}`;
                return (
                  <tr key={r.id} data-colour={r.deadline.colour}>
                    <td>{r.number}</td>
                    <td>
                      <Link to={`/t/${tenant.code}/cases/${r.id}`}>{r.title}</Link>
                    </td>
                    <td>
                      <StateBadge labels={labels} workflowId={r.workflowId} state={r.state} />
                    </td>
                    <td>{r.leadUnitId ? (labels.units[r.leadUnitId] ?? r.leadUnitId) : "—"}</td>
                    <td>{isMessageKey(kind) ? t(kind) : r.deadline.kind}</td>
                    <td>{when(r.deadline.dueAt)}</td>
                    <td>
                      <DeadlineBadge d={r.deadline} />
                    </td>
                    <td>{r.openSheets || ""}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
    </>
  );
}
