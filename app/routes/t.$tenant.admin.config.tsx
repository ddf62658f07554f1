// The township admin edits its config in forms generated from the config's own JSON Schema: each
// section shows what the township runs with (template + its overrides); the server writes only
// the overrides back. Every change is validated live on the server (the same issues as the CLI)
// and shown as a diff against the published version; Publish makes it the next version. A draft
// that changes deadlines or calendars also shows which open cases' due dates would move.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useMemo, useState } from "react";
import { jsonEqual } from "#engine/config/id-paths";
import { emptySection, SECTION_IDS, sectionValue, type SectionId } from "#engine/config/overrides";
import { SECTION_NAMES, sectionContext, sectionForm } from "#engine/config/section-forms";
import { pickText } from "#engine/i18n";
import { EditorForm } from "#app/components/config-form";
import { ImpactSummary, ImpactTable } from "#app/components/deadline-impact-table";
import { IssueList } from "#app/components/issue-list";
import { PublishEdit } from "#app/components/publish-edit";
import { noRevalidateOnCheck, useLiveCheck } from "#app/components/live-check";
import { useTownship } from "#app/components/township";
import { useLocale, useT, type MessageKey } from "#app/i18n";
import { configEditAction, loadConfigAdmin } from "#app/server/config-admin.server";
import { getPrisma } from "#app/server/db.server";
import { requireForm } from "#app/server/form-input.server";
import { requireAbility } from "#app/server/guards.server";
import { requireTenantContext } from "#app/server/tenancy.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  requireAbility(ctx, "manage", "Config");
  const state = await loadConfigAdmin(getPrisma(), ctx);
  const doc = state.latest.document;
  const sections = Object.fromEntries(
    SECTION_IDS.map((id) => [id, sectionValue(doc, id) ?? emptySection(id)]),
  ) as Record<SectionId, unknown>;
  return json({
    version: state.latest.version,
    extendsRef: state.latest.extendsRef,
    sections,
    forms: Object.fromEntries(Object.entries(doc.forms ?? {}).map(([id, f]) => [id, { name: f.name }])),
    // States and transitions too: scoring rules and workbench tabs offer them as choices.
    workflows: Object.fromEntries(
      Object.entries(doc.workflows ?? {}).map(([id, w]) => [
        id,
        {
          name: w.name,
          states: Object.fromEntries(Object.entries(w.states).map(([sid, st]) => [sid, { name: st.name }])),
          transitions: (w.transitions ?? []).map((tr) => ({ id: tr.id, name: tr.name })),
        },
      ]),
    ),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  requireAbility(ctx, "manage", "Config");
  return configEditAction(getPrisma(), ctx, await requireForm(request));
}

/** What an admin should know before changing a section whose effect is not obvious. */
const SECTION_NOTES: Partial<Record<SectionId, MessageKey>> = {
  scoring: "sectionNote.scoring",
  ratings: "sectionNote.ratings",
  views: "sectionNote.views",
};

/** Drops keys RJSF leaves as undefined, so "unchanged" means unchanged. */
const normal = (v: unknown) => (v === undefined ? undefined : JSON.parse(JSON.stringify(v)));

export const shouldRevalidate = noRevalidateOnCheck;

export default function ConfigEditor() {
  const data = useLoaderData<typeof loader>();
  const { tenant } = useTownship();
  const t = useT();
  const locale = useLocale();
  const sections = data.sections as Record<SectionId, unknown>;
  const [drafts, setDrafts] = useState<Record<SectionId, unknown>>(sections);
  const [active, setActive] = useState<SectionId>("categories");

  const changed = SECTION_IDS.filter((id) => !jsonEqual(normal(drafts[id]), normal(sections[id])));
  const edit = JSON.stringify({
    kind: "sections",
    sections: Object.fromEntries(changed.map((id) => [id, normal(drafts[id])])),
  });

  const { check, refused, publishing } = useLiveCheck(edit, changed.length > 0);

  const context = useMemo(
    () =>
      sectionContext({
        org: { units: drafts.units as never },
        grades: drafts.grades as never,
        posts: drafts.posts as never,
        categories: drafts.categories as never,
        forms: data.forms,
        workflows: data.workflows,
        deadlinePolicies: drafts.deadlinePolicies as Record<string, unknown>,
        calendars: drafts.calendars as Record<string, unknown>,
      }),
    [drafts, data.forms, data.workflows],
  );
  const form = useMemo(() => sectionForm(active, context, locale), [active, context, locale]);

  // A refused publish (another version came first) stays in view; live checks follow the edit.
  const issues = [...refused, ...(check ? check.issues : [])];

  return (
    <div className="editor">
      <div className="card">
        <h1>
          {t("editConfig")}{" "}
          <small className="field-description">
            v{data.version} · {data.extendsRef ?? "—"}
          </small>
        </h1>
        <p className="field-description">{t("editConfigHelp")}</p>
        <div role="tablist" aria-label={t("sections")} className="tabs">
          {SECTION_IDS.map((id) => (
            <button
              key={id}
              type="button"
              role="tab"
              id={`tab-${id}`}
              aria-selected={active === id}
              aria-controls="section-panel"
              className={active === id ? "tab active" : "tab"}
              onClick={() => setActive(id)}
              data-testid={`tab-${id}`}
            >
              {pickText(SECTION_NAMES[id], locale)}
              {changed.includes(id) ? ` ${t("editedMark")}` : ""}
            </button>
          ))}
        </div>
        <div
          id="section-panel"
          role="tabpanel"
          aria-labelledby={`tab-${active}`}
          data-testid="section-form"
          key={`${active}|${locale}`}
        >
          {SECTION_NOTES[active] ? (
            <p className="field-description" data-testid="section-note">
              {t(SECTION_NOTES[active])}
            </p>
          ) : null}
          <EditorForm
            schema={form.schema}
            uiSchema={form.uiSchema}
            locale={locale}
            formData={drafts[active]}
            idPrefix={`cfg-${active}`}
            onChange={(value) => setDrafts((d) => ({ ...d, [active]: value }))}
          />
          {changed.includes(active) ? (
            <button
              type="button"
              className="link-button"
              onClick={() => setDrafts((d) => ({ ...d, [active]: sections[active] }))}
            >
              {t("resetSection")}
            </button>
          ) : null}
        </div>
      </div>
      <aside className="card" aria-live="polite" data-testid="config-check">
        {!changed.length ? (
          <p>{t("noChanges")}</p>
        ) : check ? (
          check.ok ? (
            <p className="notice" role="status" data-testid="config-valid">
              {t("configValid")}
            </p>
          ) : null
        ) : (
          <p role="status">
            <progress aria-label={t("validating")} /> {t("validating")}
          </p>
        )}
        <IssueList issues={issues} title={t("configIssues")} testId="config-issues" />
        <IssueList
          issues={check?.ok ? (check.warnings ?? []) : []}
          title={t("configWarnings")}
          testId="config-warnings"
        />
        {check?.ok ? (
          <>
            <h2>{t("changesToPublish", { n: data.version })}</h2>
            {check.changes.length ? (
              <ul data-testid="config-changes">
                {check.changes.map((c, i) => (
                  <li key={i}>{locale === "en" ? c.en : c.zh}</li>
                ))}
              </ul>
            ) : (
              <p>{t("noChanges")}</p>
            )}
            {check.impact ? <ImpactSummary impact={check.impact} /> : null}
          </>
        ) : null}
        <PublishEdit
          edit={edit}
          version={data.version}
          tenantCode={tenant.code}
          ready={!!check?.ok}
          publishing={publishing}
          testId="publish-config"
        />
      </aside>
      {check?.ok && check.impact?.rows.length ? <ImpactTable impact={check.impact} /> : null}
    </div>
  );
}
