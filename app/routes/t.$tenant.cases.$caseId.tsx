import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import {
  Link,
  useActionData,
  useFetcher,
  useLoaderData,
  useNavigation,
  useRevalidator,
  useSearchParams,
  useSubmit,
} from "@remix-run/react";
import { useState } from "react";
import { appealSetup } from "#engine/appeal";
import { localizeForm } from "#engine/forms";
import { ConfigForm } from "#app/components/config-form";
import { DeadlineBadge, StateBadge, useAbility, useTownship, useWhen } from "#app/components/township";
import { isMessageKey, useLocale, useT } from "#app/i18n";
import { listAttachments, listComments } from "#app/server/attachments.server";
import { loadCaseScreen } from "#app/server/case-screen.server";
import { getCase } from "#app/server/cases.server";
import { getPrisma } from "#app/server/db.server";
import { requireForm } from "#app/server/form-input.server";
import { jsonField } from "#app/server/json-field.server";
import { getLocale } from "#app/server/locale.server";
import { maskCaseData } from "#app/server/masking.server";
import { requireIds } from "#app/server/params.server";
import { explainedLine } from "#app/server/score-views.server";
import { notFound, requireTenantContext } from "#app/server/tenancy.server";
import { transitionCase } from "#app/server/workflow.server";
import { renderIssue } from "#app/locales/issues/index";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { caseId } = requireIds(params, "caseId");
  const ctx = await requireTenantContext(request, params.tenant);
  const db = getPrisma();
  const found = await getCase(ctx, caseId);
  if (!found) notFound();
  const locale = await getLocale(request);
  const screen = await loadCaseScreen(db, ctx, found.id, found.auditEvents, locale, ctx.now);
  if (!screen) notFound();
  const [attachments, comments] = await Promise.all([listAttachments(ctx, found.id), listComments(db, ctx, found.id)]);
  const category = ctx.compiled.categories.get(found.categoryId);
  // An appeal (申诉) holds the appeal form's data, not its category's intake.
  const setup = appealSetup(ctx.compiled);
  const appeal = setup?.appeal;
  const isAppeal = Boolean(appeal && found.workflowId === appeal.workflow);
  const formId = (isAppeal ? appeal!.form : category?.intakeForm) ?? "";
  const form = ctx.compiled.forms.get(formId);
  const { data, maskedFields } = maskCaseData(
    ctx.compiled,
    ctx.ability,
    found,
    formId,
    found.data as Record<string, unknown>,
  );
  const schema = form ? (localizeForm(form, locale).schema as { properties?: Record<string, { title?: string }> }) : {};
  const order = (
    (form?.uiSchema as { "ui:order"?: string[] } | undefined)?.["ui:order"] ?? Object.keys(schema.properties ?? {})
  ).filter((k) => k !== "*");
  const fields = order
    .filter((key) => key in data)
    .map((key) => ({
      key,
      title: schema.properties?.[key]?.title ?? key,
      value: data[key],
      masked: maskedFields.includes(key),
    }));
  // The disputed ledger line in words (rule, points, whom), not its key.
  const disputed =
    isAppeal && typeof data[setup!.field] === "string"
      ? await explainedLine(db, ctx, data[setup!.field] as string, locale)
      : null;
  for (const f of fields) {
    if (disputed && f.key === setup!.field)
      f.value = `${disputed.ruleName} ${disputed.points} · ${disputed.target}${disputed.caseNumber ? ` · ${disputed.caseNumber}` : ""}`;
  }
  return json({
    case: {
      id: found.id,
      number: found.number,
      title: found.title,
      categoryId: found.categoryId,
      gradeId: found.gradeId,
      platformId: found.platformId,
      workflowId: found.workflowId,
      state: found.state,
      orgUnitId: found.orgUnitId,
      configVersion: found.configVersion,
      reporter: found.reporter.displayName,
      createdAt: found.createdAt,
    },
    fields,
    screen,
    // A task sent down to the townships: its tracking view (ADR 041).
    fansOut: Boolean(ctx.compiled.workflows.get(found.workflowId)?.fanOut),
    attachments,
    comments: comments.map((c) => ({ id: c.id, body: c.body, at: c.createdAt, author: c.author })),
  });
}

const STATUS_OF = { "not-allowed": 403, "invalid-input": 422, "wrong-state": 409, "stale-version": 409 } as const;

/**
 * Fires one transition. The payload names only the transition, its input and the version the user
 * saw; tenant, actor, state and permission come from the session and the database, and a version
 * that moved on in between is refused (optimistic check), never overwritten.
 */
export async function action({ request, params }: ActionFunctionArgs) {
  const { caseId } = requireIds(params, "caseId");
  const ctx = await requireTenantContext(request, params.tenant);
  const locale = await getLocale(request);
  const field = jsonField(await requireForm(request), "payload");
  if (!field.ok)
    return json(
      {
        transitionId: "",
        kind: "invalid-input" as const,
        issues: [{ path: field.issue.path, code: field.issue.code, message: renderIssue(locale, field.issue) }],
        input: null,
      },
      { status: field.status },
    );
  // Empty or not JSON: the engine refuses it with a message below.
  const payload = (field.value ?? {}) as { transitionId?: unknown; input?: unknown; expectedVersion?: unknown };
  const transitionId = String(payload.transitionId ?? "");
  const expectedVersion = Number(payload.expectedVersion);
  const result = await transitionCase(
    getPrisma(),
    ctx,
    caseId,
    {
      transitionId,
      input: payload.input,
      expectedVersion: Number.isSafeInteger(expectedVersion) ? expectedVersion : -1,
    },
    ctx.now,
  );
  if (!result.ok && "notFound" in result) notFound();
  if (!result.ok) {
    const issues = result.refusal.issues.map((i) => ({
      path: i.path,
      code: i.code,
      message: renderIssue(locale, i),
    }));
    return json(
      { transitionId, kind: result.refusal.kind, issues, input: payload.input ?? null },
      { status: STATUS_OF[result.refusal.kind] },
    );
  }
  return redirect(`/t/${ctx.tenant.code}/cases/${caseId}?done=${encodeURIComponent(transitionId)}`);
}

type LoaderData = ReturnType<typeof useLoaderData<typeof loader>>;
type Action = LoaderData["screen"]["actions"][number];

function CaseActions({ version, actions }: { version: number; actions: Action[] }) {
  const t = useT();
  const locale = useLocale();
  const submit = useSubmit();
  const navigation = useNavigation();
  const revalidator = useRevalidator();
  const result = useActionData<typeof action>();
  const [open, setOpen] = useState<string | null>(result?.transitionId ?? null);
  const [draft, setDraft] = useState<unknown>(undefined);
  const busy = navigation.state !== "idle";
  const fire = (transitionId: string, input?: unknown) => {
    setDraft(input);
    submit({ payload: JSON.stringify({ transitionId, input, expectedVersion: version }) }, { method: "post" });
  };
  const active = actions.find((a) => a.id === open);
  const issues = result && result.transitionId === open ? result.issues : [];
  const general = result ? result.issues.filter((i) => !i.path.startsWith("/input/")) : [];
  return (
    <div className="card" data-testid="case-actions">
      <h2>{t("caseActions")}</h2>
      {result ? (
        <div className="alert" role="alert" data-testid="action-error" data-kind={result.kind}>
          {result.kind === "invalid-input" && !general.length ? t("fixErrors") : null}
          {general.map((i) => (
            <div key={i.path + i.code}>{i.message}</div>
          ))}
          {result.kind === "stale-version" ? (
            <p style={{ margin: "0.4rem 0 0" }}>
              <button
                type="button"
                className="link-button"
                onClick={() => revalidator.revalidate()}
                data-testid="reload"
              >
                {t("reload")}
              </button>
            </p>
          ) : null}
        </div>
      ) : null}
      {actions.length === 0 ? <p>{t("noActions")}</p> : null}
      <div className="actions" style={{ flexWrap: "wrap" }}>
        {actions.map((a) => (
          <button
            key={a.id}
            type="button"
            className={a.id === open ? "primary" : "btn-secondary"}
            data-transition={a.id}
            disabled={busy}
            onClick={() => {
              if (a.form) {
                setOpen(a.id === open ? null : a.id);
                setDraft(undefined);
              } else fire(a.id);
            }}
          >
            {a.name}
          </button>
        ))}
      </div>
      {active?.form ? (
        <section
          aria-label={active.name}
          data-testid="transition-form"
          data-transition={active.id}
          key={active.id + locale}
        >
          <h3>{active.form.name}</h3>
          <ConfigForm
            schema={active.form.schema}
            uiSchema={active.form.uiSchema}
            locale={locale}
            formData={draft ?? (result?.transitionId === active.id ? (result.input ?? undefined) : undefined)}
            issues={issues}
            issuePrefix="/input"
            submitLabel={t("submit")}
            disabled={busy}
            onSubmit={(data) => fire(active.id, data ?? {})}
          />
          <button type="button" className="link-button" onClick={() => setOpen(null)}>
            {t("cancel")}
          </button>
        </section>
      ) : null}
    </div>
  );
}

/** Files and comments go to their own routes (…/files, …/comments), which redirect back here. */
function FilesAndComments() {
  const { case: c, attachments, comments } = useLoaderData<typeof loader>();
  const { tenant } = useTownship();
  const t = useT();
  const when = useWhen();
  const upload = useFetcher<{ issues?: string[] }>();
  const comment = useFetcher<{ issues?: string[] }>();
  const base = `/t/${tenant.code}/cases/${c.id}`;
  return (
    <>
      <div className="card" id="attachments" data-testid="attachments">
        <h2>{t("attachments")}</h2>
        {attachments.length ? (
          <ul>
            {attachments.map((a) => (
              <li key={a.id}>
                <a href={`${base}/files/${a.id}`} target="_blank" rel="noreferrer">
                  {a.name}
                </a>{" "}
                <span className="field-description">
                  {Math.max(1, Math.round(a.size / 1024))} KB · {when(a.createdAt)}
                </span>
              </li>
            ))}
          </ul>
        ) : (
          <p className="field-description">{t("none")}</p>
        )}
        <upload.Form
          method="post"
          action={`${base}/files`}
          encType="multipart/form-data"
          className="actions"
          key={attachments.length}
        >
          <input type="file" name="files" multiple aria-label={t("attachments")} />
          <button type="submit" className="btn-secondary" disabled={upload.state !== "idle"}>
            {t("upload")}
          </button>
        </upload.Form>
        {upload.data?.issues?.length ? (
          <p className="alert" role="alert">
            {upload.data.issues.join("；")}
          </p>
        ) : null}
      </div>
      <div className="card" id="comments" data-testid="comments">
        <h2>{t("comments")}</h2>
        {comments.length ? (
          <ul className="inbox">
            {comments.map((x) => (
              <li key={x.id}>
                <div className="field-description">
                  {x.author} · {when(x.at)}
                </div>
                <div style={{ whiteSpace: "pre-wrap" }}>{x.body}</div>
              </li>
            ))}
          </ul>
        ) : null}
        <comment.Form method="post" action={`${base}/comments`} key={comments.length}>
          <div className="field">
            <textarea name="body" rows={2} maxLength={2000} aria-label={t("addComment")} />
          </div>
          <button type="submit" className="btn-secondary" disabled={comment.state !== "idle"}>
            {t("addComment")}
          </button>
        </comment.Form>
        {comment.data?.issues?.length ? (
          <p className="alert" role="alert">
            {comment.data.issues.join("；")}
          </p>
        ) : null}
      </div>
    </>
  );
}

export default function CaseDetail() {
  const { case: c, fields, screen, fansOut } = useLoaderData<typeof loader>();
  const { tenant, labels } = useTownship();
  const t = useT();
  const when = useWhen();
  const ability = useAbility();
  const [params] = useSearchParams();
  const done = params.get("done");
  const appealed = params.get("appealed");
  const doneName = done ? screen.trail.findLast((e) => e.transition?.id === done)?.transition?.name : undefined;
  const states = labels.states[screen.workflowId] ?? {};
  const unit = (id: string) => labels.units[id] ?? id;
  const { assignment } = screen;
  return (
    <>
      <div className="card" data-testid="case-detail">
        <p className="actions">
          <Link to={`/t/${tenant.code}`}>← {t("backToList")}</Link>
          {ability.can("manage", "Membership") ? (
            <Link to={`/t/${tenant.code}/cases/${c.id}/access`}>{t("whoCanSee")}</Link>
          ) : null}
          {fansOut ? (
            <Link to={`/t/${tenant.code}/cases/${c.id}/progress`} data-testid="task-progress-link">
              {t("tasks.progressLink")}
            </Link>
          ) : null}
        </p>
        {done && doneName ? (
          <p className="notice" role="status" data-testid="transition-done">
            {t("transitionDone", { name: doneName })}
          </p>
        ) : null}
        {screen.stuckSince ? (
          <p className="alert" role="alert" data-testid="case-stuck">
            {t("caseStuck", { at: when(screen.stuckSince) })}
          </p>
        ) : null}
        {appealed ? (
          <p className="notice" role="status" data-testid="appeal-filed">
            {t("appealFiled", { n: appealed })}
          </p>
        ) : null}
        <h1>
          {c.title} <small className="field-description">{c.number}</small>
        </h1>
        <dl className="facts">
          <dt>{t("category")}</dt>
          <dd>{labels.categories[c.categoryId] ?? c.categoryId}</dd>
          <dt>{t("grade")}</dt>
          <dd>{labels.grades[c.gradeId] ?? c.gradeId}</dd>
          <dt>{t("status")}</dt>
          <dd data-testid="case-state">
            <StateBadge labels={labels} workflowId={c.workflowId} state={c.state} />
          </dd>
          <dt>{t("platform")}</dt>
          <dd>{unit(c.platformId)}</dd>
          <dt>{t("orgUnit")}</dt>
          <dd>{unit(c.orgUnitId)}</dd>
          <dt>{t("reporter")}</dt>
          <dd>{c.reporter}</dd>
          <dt>{t("reportedAt")}</dt>
          <dd>{when(c.createdAt)}</dd>
          <dt>{t("configVersion")}</dt>
          <dd>v{c.configVersion}</dd>
        </dl>
      </div>
      <div className="card" data-testid="deadlines">
        <h2>{t("deadlines")}</h2>
        {screen.deadlines.length === 0 ? (
          <p className="field-description">{t("noDeadline")}</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th />
                <th>{t("dueAt")}</th>
                <th>{t("timeLeft")}</th>
              </tr>
            </thead>
            <tbody>
              {screen.deadlines.map((d) => {
                const key = `deadline.${d.kind}`;
                return (
                  <tr key={d.id} data-deadline={d.kind} data-colour={d.colour}>
                    <td>{isMessageKey(key) ? t(key) : d.kind}</td>
                    <td>{when(d.dueAt)}</td>
                    <td>
                      <DeadlineBadge d={d} />
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </div>
      <div className="card" data-testid="assignment">
        <h2>{t("assignment")}</h2>
        {screen.escalatedTo ? <p className="alert">{t("escalatedToCounty")}</p> : null}
        {assignment.leadUnitId ? (
          <dl className="facts">
            <dt>{t("leadUnit")}</dt>
            <dd data-testid="lead-unit">{unit(assignment.leadUnitId)}</dd>
            <dt>{t("assistUnits")}</dt>
            <dd>{assignment.assistUnitIds.length ? assignment.assistUnitIds.map(unit).join("、") : t("none")}</dd>
            {assignment.assignees.length ? (
              <>
                <dt>{t("assignees")}</dt>
                <dd>{assignment.assignees.join("、")}</dd>
              </>
            ) : null}
            {assignment.assignedBy ? (
              <>
                <dt>{t("assignedBy")}</dt>
                <dd>{assignment.assignedBy}</dd>
              </>
            ) : null}
            <dt>{t("assignedAt")}</dt>
            <dd>{when(assignment.assignedAt)}</dd>
          </dl>
        ) : (
          <p className="field-description">{t("notAssigned")}</p>
        )}
      </div>
      <CaseActions key={screen.version} version={screen.version} actions={screen.actions} />
      <div className="card">
        <h2>{t("details")}</h2>
        <dl className="facts">
          {fields.map((f) => (
            <div key={f.key} style={{ display: "contents" }}>
              <dt>{f.title}</dt>
              <dd data-field={f.key}>
                {typeof f.value === "boolean" ? t(f.value ? "value.yes" : "value.no") : String(f.value)}
                {f.masked ? <span className="field-description"> {t("masked")}</span> : null}
              </dd>
            </div>
          ))}
        </dl>
      </div>
      <FilesAndComments />
      <div className="card" data-testid="supervision">
        <h2>{t("supervision")}</h2>
        {screen.sheets.length === 0 && screen.talks.length === 0 ? (
          <p className="field-description">{t("noSupervision")}</p>
        ) : null}
        {screen.sheets.length ? (
          <>
            <h3>{t("supervisionSheets")}</h3>
            <table data-testid="case-sheets">
              <thead>
                <tr>
                  <th>{t("sheetNumber")}</th>
                  <th>{t("issuedAt")}</th>
                  <th>{t("respondBy")}</th>
                  <th>{t("responsible")}</th>
                  <th>{t("status")}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {screen.sheets.map((s) => (
                  <tr key={s.id}>
                    <td>
                      {s.number}
                      {s.urgency === "urgent" ? <span className="due due-red"> {t("urgent")}</span> : null}
                    </td>
                    <td>
                      {when(s.issuedAt)}
                      <div className="field-description">
                        {t(`trigger.${s.trigger === "manual" ? "manual" : "ladder"}`)}
                      </div>
                    </td>
                    <td>{when(s.respondBy)}</td>
                    <td>{[...s.toUnitIds.map(unit), ...s.toUsers].join("、") || "—"}</td>
                    <td>{t(s.status === "open" ? "sheetStatus.open" : "sheetStatus.closed")}</td>
                    <td>
                      <Link to={`/t/${tenant.code}/sheets/${s.id}`}>{t("printable")}</Link>
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
        {screen.talks.length ? (
          <>
            <h3>{t("talks")}</h3>
            <table data-testid="case-talks">
              <thead>
                <tr>
                  <th>{t("principal")}</th>
                  <th>{t("talkWith")}</th>
                  <th>{t("scheduleBy")}</th>
                  <th>{t("heldAt")}</th>
                  <th>{t("status")}</th>
                </tr>
              </thead>
              <tbody>
                {screen.talks.map((x) => (
                  <tr key={x.id}>
                    <td>{labels.posts[x.principalPost] ?? x.principalPost}</td>
                    <td>{[...x.withUnitIds.map(unit), ...x.withUsers].join("、") || "—"}</td>
                    <td>{when(x.scheduleBy)}</td>
                    <td>{x.heldAt ? when(x.heldAt) : t("notHeld")}</td>
                    <td>{t(x.status === "open" ? "sheetStatus.open" : "sheetStatus.closed")}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </>
        ) : null}
      </div>
      <div className="card">
        <h2>{t("auditTrail")}</h2>
        <ol data-testid="audit-trail">
          {screen.trail.map((e) => {
            const key = `audit.${e.type}`;
            const stepKey = e.step ? `ladder.${e.step.phase === "reminder" ? "reminder" : e.step.type}` : "";
            return (
              <li key={e.id} data-type={e.type}>
                {when(e.at)} · {e.actor ? `${e.actor} · ` : ""}
                {e.county?.transition ? (
                  <>
                    <strong>{t("trail.countyStep", { number: e.county.number, step: e.county.transition })}</strong>{" "}
                    <span className="field-description">→ {e.county.to}</span>
                  </>
                ) : e.county ? (
                  <strong>{t("trail.countyReceived", { number: e.county.number })}</strong>
                ) : e.transition ? (
                  <>
                    <strong>{e.transition.name}</strong>{" "}
                    <span className="field-description">
                      {states[e.transition.from]?.name ?? e.transition.from} →{" "}
                      {states[e.transition.to]?.name ?? e.transition.to}
                    </span>
                  </>
                ) : (
                  <>
                    {isMessageKey(key) ? t(key) : e.type}
                    {e.step ? `：${isMessageKey(stepKey) ? t(stepKey) : e.step.type}` : ""}
                    {e.migration ? (
                      <span className="field-description">
                        {" "}
                        {t("migrate.trail", { from: e.migration.fromVersion, to: e.migration.toVersion })}：
                        {e.migration.from} → {e.migration.to}
                      </span>
                    ) : null}
                  </>
                )}
                {e.county?.notes.length ? (
                  <ul className="trail-input">
                    {e.county.notes.map((f) => (
                      <li key={f.key}>
                        {f.title}：{f.value}
                      </li>
                    ))}
                  </ul>
                ) : null}
                {e.input.length ? (
                  <ul className="trail-input">
                    {e.input.map((f) => (
                      <li key={f.key}>
                        {f.title}：{f.value}
                        {f.masked ? <span className="field-description"> {t("masked")}</span> : null}
                      </li>
                    ))}
                  </ul>
                ) : null}
              </li>
            );
          })}
        </ol>
      </div>
    </>
  );
}
