// The township admin moves open cases to the latest config version (docs/decisions/038): the
// cases per old version, the state mapping with a picker for each state the new version lacks, a
// dry run listing what changes per case, and the all-or-nothing apply. The choices travel in the
// form; the server plans again from the database each time (app/server/case-migration.server.ts).
import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSearchParams } from "@remix-run/react";
import { pickText } from "#engine/i18n";
import type { DeadlineChange, StateMappingRow, UnitChange } from "#engine/config/migrate-cases";
import type { Issue } from "#engine/issues";
import { useTownship, useWhen } from "#app/components/township";
import { isMessageKey, useLocale, useT } from "#app/i18n";
import {
  applyCaseMigration,
  choicesFrom,
  loadMigrationScreen,
  seenFrom,
  type MigrationCaseView,
  type MigrationScreen,
} from "#app/server/case-migration.server";
import { getPrisma } from "#app/server/db.server";
import { requireForm } from "#app/server/form-input.server";
import { requireAbility } from "#app/server/guards.server";
import { requireTenantContext } from "#app/server/tenancy.server";
import { renderIssue } from "#app/locales/issues/index";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  requireAbility(ctx, "manage", "Config");
  const screen = await loadMigrationScreen(ctx, {}, ctx.now);
  // The first view: counts and the mapping; the per-case list comes with a dry run.
  return json({ ...screen, plan: { ...screen.plan, cases: [] } });
}

type ActionResponse = { screen: MigrationScreen; issues: Issue[] };

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  requireAbility(ctx, "manage", "Config");
  const form = await requireForm(request);
  const choices = choicesFrom(form);
  if (form.get("intent") === "apply") {
    const result = await applyCaseMigration(
      getPrisma(),
      ctx,
      {
        toVersion: Number(form.get("toVersion")),
        choices,
        seen: seenFrom(form),
      },
      ctx.now,
    );
    if (result.ok) return redirect(`/t/${ctx.tenant.code}/admin/migrate?moved=${result.moved}&to=${result.version}`);
    return json<ActionResponse>(
      { screen: await loadMigrationScreen(ctx, choices, ctx.now), issues: result.issues },
      409,
    );
  }
  return json<ActionResponse>({ screen: await loadMigrationScreen(ctx, choices, ctx.now), issues: [] });
}

export default function MigrateCases() {
  const loaded = useLoaderData<typeof loader>();
  const data = useActionData<typeof action>() as ActionResponse | undefined;
  const screen = (data?.screen ?? loaded) as MigrationScreen;
  const { tenant } = useTownship();
  const t = useT();
  const busy = useNavigation().state !== "idle";
  const [search] = useSearchParams();
  const moved = search.get("moved");
  const plan = screen.plan;
  const dryRun = data !== undefined;

  return (
    <div className="admin-page">
      <div className="card" data-testid="migrate">
        {moved && !dryRun ? (
          <p className="notice" role="status" data-testid="migrate-done">
            {t("migrate.done", { n: Number(moved), version: search.get("to") ?? "" })}
          </p>
        ) : null}
        <h1>{t("migrate.title", { version: screen.latestVersion })}</h1>
        <p>{t("migrate.intro")}</p>
        {screen.openOnOlder === 0 ? (
          <p className="notice" role="status" data-testid="migrate-nothing">
            {t("migrate.nothing")}
          </p>
        ) : (
          <>
            <h2>{t("migrate.byVersion")}</h2>
            <ul data-testid="migrate-by-version">
              {plan.byVersion.map((v) => (
                <li key={v.version}>{t("migrate.versionCount", { version: v.version, n: v.cases })}</li>
              ))}
            </ul>
          </>
        )}
        <p className="field-description">
          {t("backTo")} <Link to={`/t/${tenant.code}/admin`}>{t("admin")}</Link>
        </p>
      </div>

      {data?.issues.length ? (
        <Messages issues={data.issues} title={t("migrate.refused")} testId="migrate-refused" />
      ) : null}

      {screen.openOnOlder > 0 ? (
        <Form method="post" className="card" data-testid="migrate-form" key={dryRun ? "dry" : "first"}>
          <h2>{t("migrate.mappingTitle")}</h2>
          <p className="field-description">{t("migrate.mappingHelp")}</p>
          <MappingTable rows={plan.mapping} />
          <p>
            <button type="submit" name="intent" value="dry-run" disabled={busy} data-testid="dry-run">
              {t("migrate.dryRun")}
            </button>{" "}
            <span className="field-description">{t("migrate.dryRunNote")}</span>
          </p>
          {dryRun ? <DryRun screen={screen} busy={busy} /> : null}
        </Form>
      ) : null}
    </div>
  );
}

function MappingTable({ rows }: { rows: StateMappingRow[] }) {
  const t = useT();
  const locale = useLocale();
  return (
    <table data-testid="migrate-mapping">
      <thead>
        <tr>
          <th scope="col">{t("migrate.oldState")}</th>
          <th scope="col">{t("migrate.cases")}</th>
          <th scope="col">{t("migrate.newState")}</th>
        </tr>
      </thead>
      <tbody>
        {rows.map((r) => {
          const sameId = r.choices.find((c) => c.id === r.from);
          return (
            <tr key={r.key} data-state={r.from} data-how={r.how}>
              <td>{pickText(r.fromName, locale)}</td>
              <td>{r.cases}</td>
              <td>
                <select
                  name={`map:${r.key}`}
                  defaultValue={r.how === "chosen" ? (r.to ?? "") : ""}
                  aria-label={`${t("migrate.newState")}：${pickText(r.fromName, locale)}`}
                  aria-invalid={r.to === null ? true : undefined}
                >
                  <option value="">
                    {sameId ? t("migrate.sameId", { name: pickText(sameId.name, locale) }) : t("migrate.choose")}
                  </option>
                  {r.choices.map((c) => (
                    <option key={c.id} value={c.id}>
                      {pickText(c.name, locale)}
                    </option>
                  ))}
                </select>
                {r.to === null ? (
                  <>
                    {" "}
                    <small className="badge">{t("migrate.needsChoice")}</small>
                  </>
                ) : null}
              </td>
            </tr>
          );
        })}
      </tbody>
    </table>
  );
}

function DryRun({ screen, busy }: { screen: MigrationScreen; busy: boolean }) {
  const t = useT();
  const plan = screen.plan;
  return (
    <section data-testid="dry-run-result" aria-labelledby="dry-run-title" aria-live="polite">
      <h2 id="dry-run-title">{t("migrate.dryRunTitle")}</h2>
      <table data-testid="migrate-cases">
        <thead>
          <tr>
            <th scope="col">{t("migrate.case")}</th>
            <th scope="col">{t("migrate.state")}</th>
            <th scope="col">{t("migrate.deadlines")}</th>
            <th scope="col">{t("migrate.assignees")}</th>
          </tr>
        </thead>
        <tbody>
          {plan.cases.map((c) => (
            <CaseRow key={c.caseId} c={c} toVersion={plan.toVersion} />
          ))}
        </tbody>
      </table>
      <Messages issues={plan.issues} title={t("migrate.issuesTitle")} testId="migrate-issues" />
      {plan.ready ? (
        <>
          <p className="notice" role="status">
            {t("migrate.ready", { n: plan.cases.length, version: plan.toVersion })}
          </p>
          <input type="hidden" name="toVersion" value={plan.toVersion} />
          {plan.cases.map((c) => (
            <input key={c.caseId} type="hidden" name={`seen:${c.caseId}`} value={c.version} />
          ))}
          <p className="field-description">{t("migrate.applyNote")}</p>
          <button type="submit" name="intent" value="apply" className="primary" disabled={busy} data-testid="apply">
            {t("migrate.apply", { n: plan.cases.length })}
          </button>
        </>
      ) : null}
    </section>
  );
}

function CaseRow({ c, toVersion }: { c: MigrationCaseView; toVersion: number }) {
  const t = useT();
  const locale = useLocale();
  const { tenant } = useTownship();
  return (
    <tr data-case={c.number} data-testid="migrate-case">
      <td>
        {c.title === null ? (
          <>
            {c.number} <small className="field-description">{t("migrate.numberOnly")}</small>
          </>
        ) : (
          <>
            <Link to={`/t/${tenant.code}/cases/${c.caseId}`}>{c.number}</Link>
            <br />
            {c.title}
          </>
        )}
      </td>
      <td data-testid="case-state">
        {pickText(c.fromStateName, locale)} (v{c.fromVersion}) →{" "}
        {c.toStateName ? `${pickText(c.toStateName, locale)} (v${toVersion})` : t("migrate.needsChoice")}
        {c.issues.length ? (
          <ul className="issues" data-testid="case-issues">
            {c.issues.map((i) => (
              <li key={`${i.code}${i.path}`}>{renderIssue(locale, i)}</li>
            ))}
          </ul>
        ) : null}
      </td>
      <td data-testid="case-deadlines">
        {c.deadlines.length ? (
          <ul>
            {c.deadlines.map((d) => (
              <DeadlineLine key={d.deadlineId} d={d} />
            ))}
          </ul>
        ) : (
          t("migrate.noDeadlines")
        )}
      </td>
      <td data-testid="case-units">
        {c.units.length ? (
          <ul>
            {c.units.map((u) => (
              <UnitLine key={`${u.role}${u.unitId}`} u={u} />
            ))}
          </ul>
        ) : (
          t("migrate.noUnits")
        )}
        {c.assigneesKept ? (
          <small className="field-description">{t("migrate.people", { n: c.assigneesKept })}</small>
        ) : null}
      </td>
    </tr>
  );
}

function DeadlineLine({ d }: { d: DeadlineChange }) {
  const t = useT();
  const locale = useLocale();
  const when = useWhen();
  const key = `deadline.${d.toKind ?? d.kind}`;
  const name = isMessageKey(key) ? t(key) : (d.toKind ?? d.kind);
  return (
    <li data-change={d.change}>
      <strong>{name}</strong> · {t(`migrate.change.${d.change}`)} ·{" "}
      {d.change === "recomputed" && d.toDueAt
        ? t("migrate.dueMoved", { from: when(d.fromDueAt), to: when(d.toDueAt) })
        : t("migrate.due", { at: when(d.fromDueAt) })}
      <br />
      <small className="field-description">{renderIssue(locale, d.message)}</small>
    </li>
  );
}

function UnitLine({ u }: { u: UnitChange }) {
  const t = useT();
  const locale = useLocale();
  return (
    <li data-kept={u.kept ? "yes" : "no"}>
      {t(u.role === "lead" ? "migrate.lead" : "migrate.assist", { name: pickText(u.name, locale) })} ·{" "}
      {t(u.kept ? "migrate.unitKept" : "migrate.unitCleared")}
    </li>
  );
}

/** Issues in the reader's language, without pointers or codes: the case and state are named in them. */
function Messages({ issues, title, testId }: { issues: readonly Issue[]; title: string; testId: string }) {
  const locale = useLocale();
  if (!issues.length) return null;
  return (
    <div className="alert" role="alert" data-testid={testId}>
      <p style={{ marginTop: 0 }}>{title}</p>
      <ul className="issues">
        {issues.map((i) => (
          <li key={`${i.path}|${i.code}`}>{renderIssue(locale, i)}</li>
        ))}
      </ul>
    </div>
  );
}
