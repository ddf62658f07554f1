// A task sent down to the townships (ADR 041): each township's case, where it is and whether it is
// late; the posts the task's workflow names supervise a township or evaluate its feedback here.
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { pickText } from "#engine/i18n";
import { useTownship, useWhen } from "#app/components/township";
import { useLocale, useT } from "#app/i18n";
import { actOnTownshipTask, type TaskAction, taskProgress } from "#app/server/county-tasks.server";
import { getPrisma } from "#app/server/db.server";
import { requireForm } from "#app/server/form-input.server";
import { requireIds } from "#app/server/params.server";
import { notFound, requireTenantContext } from "#app/server/tenancy.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  const { caseId } = requireIds(params, "caseId");
  const progress = await taskProgress(getPrisma(), ctx, caseId);
  if (!progress) notFound();
  return json(progress);
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  const { caseId } = requireIds(params, "caseId");
  const form = await requireForm(request);
  const kind = String(form.get("kind") ?? "");
  const action: TaskAction | null =
    kind === "supervise" || kind === "accept"
      ? { kind }
      : kind === "return"
        ? { kind, reason: String(form.get("reason") ?? "").trim() }
        : null;
  if (!action) return json({ error: true }, { status: 422 });
  const r = await actOnTownshipTask(getPrisma(), ctx, caseId, String(form.get("townshipCaseId") ?? ""), action);
  if (!r.ok && "notFound" in r) notFound();
  const base = `/t/${ctx.tenant.code}/cases/${caseId}/progress`;
  return redirect(r.ok ? `${base}?done=1` : `${base}?refused=1`);
}

export default function TaskProgress() {
  const { task, rows } = useLoaderData<typeof loader>();
  const { tenant } = useTownship();
  const t = useT();
  const locale = useLocale();
  const when = useWhen();
  const busy = useNavigation().state !== "idle";
  const [params] = useSearchParams();
  return (
    <div className="card" data-testid="task-progress">
      <p className="actions">
        <Link to={`/t/${tenant.code}/cases/${task.id}`}>← {t("tasks.back")}</Link>
      </p>
      {params.get("done") ? (
        <p className="notice" role="status">
          {t("tasks.done")}
        </p>
      ) : null}
      {params.get("refused") ? (
        <p className="alert" role="alert">
          {t("tasks.refused")}
        </p>
      ) : null}
      <h1>
        {t("tasks.progress")}：{task.title} <small className="field-description">{task.number}</small>
      </h1>
      {task.due ? <p>{t("tasks.due", { due: task.due })}</p> : null}
      {rows.length ? (
        <table>
          <thead>
            <tr>
              <th>{t("tasks.township")}</th>
              <th>{t("tasks.number")}</th>
              <th>{t("tasks.status")}</th>
              <th>{t("tasks.state")}</th>
              <th>{t("tasks.fedBackAt")}</th>
              <th>{t("tasks.sheets")}</th>
              <th>{t("tasks.verdict")}</th>
              <th>{t("tasks.actions")}</th>
            </tr>
          </thead>
          <tbody>
            {rows.map((r) => (
              <tr key={r.caseId} data-testid="task-row" data-township={r.township} data-progress={r.progress ?? ""}>
                <td>{r.township}</td>
                <td>{r.number}</td>
                <td>
                  {r.progress ? t(`tasks.progress.${r.progress}`) : "—"}{" "}
                  {r.late ? (
                    <span className="due due-red" data-testid="task-late">
                      {t("tasks.late")}
                    </span>
                  ) : null}
                </td>
                <td>{pickText(r.state, locale)}</td>
                <td>{r.fedBackAt ? when(r.fedBackAt) : "—"}</td>
                <td>{r.sheets}</td>
                <td>
                  {r.verdict
                    ? r.verdict.verdict === "accepted"
                      ? t("tasks.verdict.accepted")
                      : t("tasks.verdict.returned", { reason: r.verdict.reason ?? "" })
                    : "—"}
                </td>
                <td>
                  {r.can.supervise ? (
                    <Form method="post">
                      <input type="hidden" name="townshipCaseId" value={r.caseId} />
                      <button type="submit" name="kind" value="supervise" disabled={busy}>
                        {t("tasks.supervise")}
                      </button>
                    </Form>
                  ) : null}
                  {r.can.evaluate ? (
                    <>
                      <Form method="post">
                        <input type="hidden" name="townshipCaseId" value={r.caseId} />
                        <button type="submit" name="kind" value="accept" className="primary" disabled={busy}>
                          {t("tasks.accept")}
                        </button>
                      </Form>
                      <Form method="post">
                        <input type="hidden" name="townshipCaseId" value={r.caseId} />
                        <label>
                          {t("tasks.returnReason")} <input name="reason" required minLength={2} maxLength={1000} />
                        </label>{" "}
                        <button type="submit" name="kind" value="return" disabled={busy}>
                          {t("tasks.return")}
                        </button>
                      </Form>
                    </>
                  ) : null}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      ) : (
        <p>{t("tasks.none")}</p>
      )}
    </div>
  );
}
