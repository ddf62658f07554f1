// 申诉: a member files an appeal against a deduction in the ledger (?entry=<dedupe key>). The page
// explains the disputed line and renders the township's appeal form from config; the server files
// it through fileAppeal, and the appeal is then an ordinary case of the appeal workflow.
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useState } from "react";
import type { Locale } from "#engine/i18n";
import type { Refusal } from "#engine/intake";
import { ConfigForm } from "#app/components/config-form";
import { StateBadge, useTownship, useWhen } from "#app/components/township";
import { FormErrors } from "#app/components/issue-list";
import { useLocale, useT } from "#app/i18n";
import { getPrisma } from "#app/server/db.server";
import { requireForm } from "#app/server/form-input.server";
import { getLocale } from "#app/server/locale.server";
import {
  appealFormFor,
  appealRefusalFor,
  canSeeLine,
  currentPeriodKey,
  explainedLine,
} from "#app/server/score-views.server";
import { fileAppeal, standingAppeals } from "#app/server/scoring.server";
import { notFound, requireTenantContext, type TenantContext } from "#app/server/tenancy.server";
import { renderIssue } from "#app/locales/issues/index";

/** The disputed line, when the user may see it (it names them or their unit, or they read reports); otherwise a 404. */
async function requireLine(request: Request, ctx: TenantContext) {
  const key = new URL(request.url).searchParams.get("entry") ?? "";
  const line = await explainedLine(getPrisma(), ctx, key, await getLocale(request));
  if (!line || !canSeeLine(ctx, line)) notFound();
  return line;
}

const messagesOf = (refusal: Refusal, locale: Locale) =>
  refusal.issues.map((i) => ({ path: i.path, code: i.code, message: renderIssue(locale, i) }));

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  const locale = await getLocale(request);
  const line = await requireLine(request, ctx);
  const appeal =
    (await standingAppeals(getPrisma(), ctx.tenant.id, ctx.compiled, { entry: line.key })).get(line.key) ?? null;
  const refused = appealRefusalFor(ctx, line, appeal);
  return json(
    {
      tenant: ctx.tenant.code,
      line,
      period: currentPeriodKey(ctx.compiled.defaults.timeZone, new Date(line.at)),
      appeal,
      refusal: refused ? messagesOf(refused, locale) : [],
      form: refused ? null : appealFormFor(ctx, locale),
    },
    { status: refused?.kind === "not-allowed" ? 403 : 200 },
  );
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  const locale = await getLocale(request);
  const raw = (await requireForm(request)).get("payload");
  let data: unknown;
  try {
    data = JSON.parse(typeof raw === "string" ? raw : "{}");
  } catch {
    // Nothing usable: the engine reports what is missing.
  }
  const input = data && typeof data === "object" && !Array.isArray(data) ? (data as Record<string, unknown>) : {};
  const line = await requireLine(request, ctx);
  const result = await fileAppeal(getPrisma(), ctx, line.key, input, ctx.now);
  if (!result.ok)
    return json(
      { issues: messagesOf(result.refusal, locale), data: input },
      { status: result.refusal.kind === "not-allowed" ? 403 : 422 },
    );
  return redirect(`/t/${ctx.tenant.code}/cases/${result.caseId}?appealed=${encodeURIComponent(result.number)}`);
}

export default function NewAppeal() {
  const { tenant, line, period, appeal, refusal, form } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const { labels } = useTownship();
  const t = useT();
  const locale = useLocale();
  const when = useWhen();
  const submit = useSubmit();
  const navigation = useNavigation();
  const [draft, setDraft] = useState<unknown>(undefined);
  const issues = result?.issues ?? [];
  // Issues on the fixed entry field or on no field have no input to sit beside: list them.
  const general = issues.filter(
    (i) => !i.path.startsWith("/data/") || (form && i.path.startsWith(`/data/${form.field}`)),
  );
  return (
    <div className="card" data-testid="new-appeal">
      <p className="actions no-print">
        <Link to={`/t/${tenant}/scores?period=${period}`}>← {t("appealBack")}</Link>
      </p>
      <h1>{t("appealTitle")}</h1>
      <section aria-labelledby="disputed-line" data-testid="disputed-line">
        <h2 id="disputed-line">{t("appealDisputed")}</h2>
        <dl className="facts">
          <dt>{t("time")}</dt>
          <dd>{when(line.at)}</dd>
          <dt>{t("scoresTarget")}</dt>
          <dd>{line.target}</dd>
          <dt>{t("scoresRule")}</dt>
          <dd data-testid="disputed-rule">{line.ruleName}</dd>
          <dt>{t("scoresFact")}</dt>
          <dd>{line.fact}</dd>
          <dt>{t("scoresPoints")}</dt>
          <dd className={line.points < 0 ? "alert-text" : undefined} data-testid="disputed-points">
            {line.points > 0 ? `+${line.points}` : line.points}
          </dd>
          <dt>{t("scoresCase")}</dt>
          <dd>{line.caseId ? <Link to={`/t/${tenant}/cases/${line.caseId}`}>{line.caseNumber ?? "→"}</Link> : "—"}</dd>
        </dl>
      </section>
      {refusal.length ? (
        <div className="alert" role="alert" data-testid="appeal-refused">
          {refusal.map((i) => (
            <div key={i.path + i.code}>{i.message}</div>
          ))}
          {appeal ? (
            <p style={{ margin: "0.4rem 0 0" }}>
              {t("appealAlready")}
              <Link to={`/t/${tenant}/cases/${appeal.caseId}`}>{appeal.number}</Link>{" "}
              <StateBadge labels={labels} workflowId={appeal.workflowId} state={appeal.state} />
            </p>
          ) : null}
        </div>
      ) : null}
      <FormErrors issues={issues} general={general} />
      {form ? (
        <section aria-label={form.name} data-testid="appeal-form" key={locale}>
          <h2>{form.name}</h2>
          <p className="field-description">{t("appealHelp")}</p>
          <ConfigForm
            schema={form.schema}
            uiSchema={form.uiSchema}
            locale={locale}
            formData={draft ?? result?.data ?? { [form.field]: line.key }}
            issues={issues}
            submitLabel={t("submit")}
            disabled={navigation.state === "submitting"}
            onSubmit={(data) => {
              setDraft(data);
              submit(
                { payload: JSON.stringify(data ?? {}) },
                { method: "post", action: `/t/${tenant}/appeals/new?entry=${encodeURIComponent(line.key)}` },
              );
            }}
          />
        </section>
      ) : null}
    </div>
  );
}
