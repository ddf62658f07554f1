// Onboarding a township from a published template, in steps: template → the township's facts →
// villages and grids (typed or imported) → first people → preview (resolved config, changes
// against the template, the first intake form) → publish. The draft lives in the browser and is
// posted whole; the server rebuilds and validates everything on preview and again on publish.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Link, useFetcher, useLoaderData, useParams } from "@remix-run/react";
import { useEffect, useMemo, useState } from "react";
import { pickText } from "#engine/i18n";
import { emptyDraft, knownUnits, unitsForPost, type OnboardingDraft } from "#engine/onboarding";
import { checkOrgRows, type OrgRow } from "#engine/org-import";
import { ConfigForm } from "#app/components/config-form";
import { IssueList } from "#app/components/issue-list";
import { OrgImport, OrgTable } from "#app/components/org-table";
import { useLocale, useT, type MessageKey } from "#app/i18n";
import { requireCountyAdmin, requireCountyContext } from "#app/server/county.server";
import { getPrisma } from "#app/server/db.server";
import { requireForm } from "#app/server/form-input.server";
import { jsonField } from "#app/server/json-field.server";
import { getLocale } from "#app/server/locale.server";
import { listTemplateChoices, onboardTownship, previewOnboarding } from "#app/server/onboarding.server";
import { noRevalidateOn } from "#app/components/live-check";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireCountyContext(request, params.county);
  requireCountyAdmin(ctx);
  return json({ templates: await listTemplateChoices(getPrisma()) });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireCountyContext(request, params.county);
  requireCountyAdmin(ctx);
  const form = await requireForm(request);
  const field = jsonField(form, "draft");
  if (!field.ok) {
    const refusal = { ok: false as const, issues: [{ ...field.issue, where: "draft" as const }] };
    return json(
      form.get("intent") === "publish"
        ? { intent: "publish" as const, result: refusal, preview: null }
        : { intent: "preview" as const, preview: refusal, result: null },
      { status: field.status },
    );
  }
  // Not JSON: validated below as a draft of the wrong shape.
  const draft = field.value ?? null;
  const db = getPrisma();
  if (form.get("intent") === "publish") {
    const result = await onboardTownship(db, ctx, draft, ctx.now);
    return json({ intent: "publish" as const, result, preview: null }, { status: result.ok ? 200 : 422 });
  }
  const preview = await previewOnboarding(db, draft, await getLocale(request));
  return json({ intent: "preview" as const, preview, result: null });
}

const STEPS: MessageKey[] = ["stepTemplate", "stepFacts", "stepOrg", "stepPeople", "stepPreview"];
const COUNT_KEYS: Array<[string, MessageKey]> = [
  ["platforms", "countPlatforms"],
  ["villages", "countVillages"],
  ["grids", "countGrids"],
  ["units", "countUnits"],
  ["posts", "countPosts"],
  ["grades", "countGrades"],
  ["categories", "countCategories"],
  ["forms", "countForms"],
  ["workflows", "countWorkflows"],
  ["deadlinePolicies", "countDeadlinePolicies"],
  ["permissions", "countPermissions"],
];

export const shouldRevalidate = noRevalidateOn("preview");

export default function Onboard() {
  const { templates } = useLoaderData<typeof loader>();
  const { county } = useParams();
  const t = useT();
  const locale = useLocale();
  const fetcher = useFetcher<typeof action>();
  const [step, setStep] = useState(0);
  const [draft, setDraft] = useState<OnboardingDraft>(() => {
    const first = templates[0];
    return {
      ...emptyDraft(first?.ref ?? ""),
      platforms: { keep: first?.facts.platforms.map((p) => p.id) ?? [], add: [] },
    };
  });
  const template = templates.find((tp) => tp.ref === draft.template);
  const facts = template?.facts;
  const update = (patch: Partial<OnboardingDraft>) => setDraft((d) => ({ ...d, ...patch }));

  // The same row checks as the server, as the person types.
  const known = useMemo(() => (facts ? knownUnits(facts.units, draft.platforms) : []), [facts, draft.platforms]);
  const rowCheck = useMemo(
    () =>
      checkOrgRows(
        draft.units.map((values, i) => ({ row: i + 1, values })),
        known,
        facts?.commandRoom,
      ),
    [draft.units, known, facts],
  );
  const allUnits = useMemo(() => {
    const names = new Map<string, { label: string; kind: string }>();
    for (const u of facts?.units ?? [])
      if (known.some((k) => k.id === u.id)) names.set(u.id, { label: pickText(u.name, locale), kind: u.kind });
    for (const p of draft.platforms.add) names.set(p.id, { label: p.name.zh || p.id, kind: "platform" });
    for (const u of rowCheck.units) names.set(u.id, { label: u.name.zh, kind: u.kind });
    return [...names].map(([id, { label, kind }]) => ({ id, kind, label: `${label}（${id}）` }));
  }, [facts, known, draft.platforms.add, rowCheck.units, locale]);
  // A grid worker is offered the grids, a platform lead the platforms: not every unit of the township.
  const unitChoices = (postId: string) =>
    unitsForPost(
      facts?.posts.find((p) => p.id === postId),
      allUnits,
    );

  const data = fetcher.data;
  const preview = data?.intent === "preview" ? data.preview : null;
  const result = data?.intent === "publish" ? data.result : null;
  const busy = fetcher.state !== "idle";
  const payload = JSON.stringify(draft);
  const postName = (id: string) => {
    const post = facts?.posts.find((p) => p.id === id);
    return post ? pickText(post.name, locale) : id;
  };
  const unitName = (id: string) => allUnits.find((u) => u.id === id)?.label ?? id;

  // biome-ignore lint/correctness/useExhaustiveDependencies: preview again when the preview step is entered or the language changes.
  useEffect(() => {
    if (step === STEPS.length - 1) fetcher.submit({ intent: "preview", draft: payload }, { method: "post" });
  }, [step, locale]);

  if (result?.ok) {
    return (
      <div className="card onboard" data-testid="onboard-done">
        <p className="notice" role="status">
          {t("onboardDone", { name: result.tenant.name })}
        </p>
        <h2>{t("oneTimePasswords")}</h2>
        <table data-testid="credentials">
          <thead>
            <tr>
              <th>{t("loginName")}</th>
              <th>{t("displayName")}</th>
              <th>{t("posts")}</th>
              <th>{t("unit")}</th>
              <th>{t("password")}</th>
            </tr>
          </thead>
          <tbody>
            {result.credentials.map((c) => (
              <tr key={c.login} data-login={c.login}>
                <td>
                  <code>{c.login}</code>
                </td>
                <td>{c.name}</td>
                <td>{c.posts.map((p) => postName(p)).join("、")}</td>
                <td>{unitName(c.unit)}</td>
                <td>
                  <code data-testid={`password-${c.login}`}>{c.password}</code>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
        <p>
          <Link to={`/c/${county}?onboarded=${encodeURIComponent(result.tenant.code)}`}>{t("backToCounty")}</Link>
        </p>
      </div>
    );
  }

  const issues = result && !result.ok ? result.issues : preview && !preview.ok ? preview.issues : [];

  return (
    <div className="card onboard">
      <h1>{t("onboardTownship")}</h1>
      <ol className="steps" aria-label={t("onboardTownship")}>
        {STEPS.map((key, i) => (
          <li key={key} aria-current={i === step ? "step" : undefined}>
            <button
              type="button"
              className="link-button"
              onClick={() => setStep(i)}
              disabled={i === step}
            >{`${i + 1}. ${t(key)}`}</button>
          </li>
        ))}
      </ol>
      <p className="field-description">{t("stepOf", { n: step + 1, total: STEPS.length })}</p>

      {step === 0 ? (
        <section aria-labelledby="step-title">
          <h2 id="step-title">{t("stepTemplate")}</h2>
          <div className="field">
            <label htmlFor="template">{t("templateVersion")}</label>
            <select
              id="template"
              value={draft.template}
              onChange={(e) => {
                const next = templates.find((tp) => tp.ref === e.target.value);
                // Another template has other posts: the admin's post starts from its default again.
                const { post: _post, ...admin } = draft.admin;
                update({
                  template: e.target.value,
                  platforms: { keep: next?.facts.platforms.map((p) => p.id) ?? [], add: [] },
                  admin,
                });
              }}
            >
              {templates.map((tp) => (
                <option key={tp.ref} value={tp.ref}>{`${pickText(tp.name, locale)} — ${tp.ref}`}</option>
              ))}
            </select>
          </div>
          {facts ? (
            <p className="field-description">
              {t("templateHolds", { platforms: facts.platforms.length, posts: facts.posts.length })}
            </p>
          ) : null}
        </section>
      ) : null}

      {step === 1 ? (
        <section aria-labelledby="step-title">
          <h2 id="step-title">{t("stepFacts")}</h2>
          <div className="field">
            <label htmlFor="tw-name-zh">{t("nameZh")}</label>
            <input
              id="tw-name-zh"
              value={draft.township.name.zh}
              onChange={(e) =>
                update({ township: { ...draft.township, name: { ...draft.township.name, zh: e.target.value } } })
              }
            />
          </div>
          <div className="field">
            <label htmlFor="tw-name-en">{t("nameEn")}</label>
            <input
              id="tw-name-en"
              value={draft.township.name.en ?? ""}
              onChange={(e) =>
                update({ township: { ...draft.township, name: { ...draft.township.name, en: e.target.value } } })
              }
            />
          </div>
          <div className="field">
            <label htmlFor="tw-code">{t("townshipCode")}</label>
            <input
              id="tw-code"
              value={draft.township.code}
              aria-describedby="tw-code-help"
              onChange={(e) => {
                const code = e.target.value.trim();
                // The admin's login follows the code until someone types one.
                const admin =
                  !draft.admin.login || draft.admin.login === `${draft.township.code}.admin`
                    ? { ...draft.admin, login: code ? `${code}.admin` : "" }
                    : draft.admin;
                update({ township: { ...draft.township, code }, admin });
              }}
            />
            <p id="tw-code-help" className="field-description">
              {t("codeHelp")}
            </p>
          </div>
          <fieldset>
            <legend>{t("platformsToKeep")}</legend>
            {facts?.platforms.map((p) => (
              <label key={p.id} className="check">
                <input
                  type="checkbox"
                  checked={draft.platforms.keep.includes(p.id)}
                  onChange={(e) => {
                    const keep = e.target.checked
                      ? [...draft.platforms.keep, p.id]
                      : draft.platforms.keep.filter((k) => k !== p.id);
                    update({ platforms: { ...draft.platforms, keep } });
                  }}
                />{" "}
                {pickText(p.name, locale)} <code>{p.id}</code>
              </label>
            ))}
            {facts?.platforms
              .filter((p) => p.categories.length && !draft.platforms.keep.includes(p.id))
              .map((p) => {
                const takers = [
                  ...facts.platforms.filter((k) => draft.platforms.keep.includes(k.id)),
                  ...draft.platforms.add.filter((a) => a.id),
                ];
                const value = draft.platforms.remap?.[p.id];
                return (
                  <div key={p.id} className="field" data-testid={`remap-${p.id}`}>
                    <label htmlFor={`remap-${p.id}`}>
                      {t("remapCategories", {
                        platform: pickText(p.name, locale),
                        n: p.categories.length,
                        names: p.categories.map((c) => pickText(c.name, locale)).join(locale === "en" ? ", " : "、"),
                      })}
                    </label>
                    <select
                      id={`remap-${p.id}`}
                      value={value ?? "-"}
                      onChange={(e) => {
                        const remap = { ...draft.platforms.remap };
                        if (e.target.value === "-") delete remap[p.id];
                        else remap[p.id] = e.target.value;
                        update({ platforms: { ...draft.platforms, remap } });
                      }}
                    >
                      <option value="-" disabled>
                        {t("remapChoose")}
                      </option>
                      {takers.map((k) => (
                        <option key={k.id} value={k.id}>
                          {t("remapTo", { platform: pickText(k.name, locale) || k.id })}
                        </option>
                      ))}
                      <option value="">{t("remapDrop")}</option>
                    </select>
                  </div>
                );
              })}
          </fieldset>
          <fieldset>
            <legend>{t("addedPlatforms")}</legend>
            {draft.platforms.add.map((p, i) => {
              const setAdded = (patch: Partial<(typeof draft.platforms.add)[number]>) =>
                update({
                  platforms: {
                    ...draft.platforms,
                    add: draft.platforms.add.map((a, k) => (k === i ? { ...a, ...patch } : a)),
                  },
                });
              return (
                <div key={i} className="inline-fields">
                  <label>
                    {t("platformId")} <input value={p.id} onChange={(e) => setAdded({ id: e.target.value.trim() })} />
                  </label>
                  <label>
                    {t("nameZh")}{" "}
                    <input value={p.name.zh} onChange={(e) => setAdded({ name: { ...p.name, zh: e.target.value } })} />
                  </label>
                  <label>
                    {t("nameEn")}{" "}
                    <input
                      value={p.name.en ?? ""}
                      onChange={(e) => setAdded({ name: { ...p.name, en: e.target.value } })}
                    />
                  </label>
                  <button
                    type="button"
                    className="link-button"
                    onClick={() =>
                      update({ platforms: { ...draft.platforms, add: draft.platforms.add.filter((_, k) => k !== i) } })
                    }
                  >
                    {t("remove")}
                  </button>
                </div>
              );
            })}
            <button
              type="button"
              onClick={() =>
                update({
                  platforms: { ...draft.platforms, add: [...draft.platforms.add, { id: "", name: { zh: "" } }] },
                })
              }
            >
              {t("addPlatform")}
            </button>
          </fieldset>
        </section>
      ) : null}

      {step === 2 ? (
        <section aria-labelledby="step-title">
          <h2 id="step-title">{t("stepOrg")}</h2>
          <OrgImport
            action={`/c/${county}/import-org`}
            fields={{ template: draft.template, platforms: JSON.stringify(draft.platforms) }}
            onImported={(rows: OrgRow[]) => update({ units: rows })}
          />
          <OrgTable
            rows={draft.units}
            onChange={(units) => update({ units })}
            issues={rowCheck.issues}
            parents={allUnits}
          />
        </section>
      ) : null}

      {step === 3 ? (
        <section aria-labelledby="step-title">
          <h2 id="step-title">{t("stepPeople")}</h2>
          <fieldset>
            <legend>{t("adminAccount")}</legend>
            <div className="field">
              <label htmlFor="admin-login">{t("loginName")}</label>
              <input
                id="admin-login"
                value={draft.admin.login}
                onChange={(e) => update({ admin: { ...draft.admin, login: e.target.value.trim() } })}
              />
            </div>
            <div className="field">
              <label htmlFor="admin-name">{t("displayName")}</label>
              <input
                id="admin-name"
                value={draft.admin.name}
                onChange={(e) => update({ admin: { ...draft.admin, name: e.target.value } })}
              />
            </div>
            <div className="field">
              <label htmlFor="admin-post">{t("adminPostLabel")}</label>
              <select
                id="admin-post"
                value={draft.admin.post ?? facts?.adminPost ?? ""}
                onChange={(e) => update({ admin: { ...draft.admin, post: e.target.value } })}
              >
                {facts?.adminPost ? null : (
                  <option value="" disabled>
                    {t("adminPostChoose")}
                  </option>
                )}
                {facts?.posts.map((p) => (
                  <option key={p.id} value={p.id}>
                    {postName(p.id)}
                  </option>
                ))}
              </select>
            </div>
            <p className="field-description">{t("adminHelp")}</p>
          </fieldset>
          <fieldset>
            <legend>{t("firstStaff")}</legend>
            <table data-testid="staff-table">
              <thead>
                <tr>
                  <th>#</th>
                  <th>{t("loginName")}</th>
                  <th>{t("displayName")}</th>
                  <th>{t("posts")}</th>
                  <th>{t("unit")}</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {draft.staff.map((s, i) => {
                  const setStaff = (patch: Partial<(typeof draft.staff)[number]>) =>
                    update({ staff: draft.staff.map((x, k) => (k === i ? { ...x, ...patch } : x)) });
                  const label = (key: MessageKey) => `${t("personN", { n: i + 1 })} ${t(key)}`;
                  return (
                    <tr key={i}>
                      <td>{i + 1}</td>
                      <td>
                        <input
                          aria-label={label("loginName")}
                          value={s.login}
                          onChange={(e) => setStaff({ login: e.target.value.trim() })}
                        />
                      </td>
                      <td>
                        <input
                          aria-label={label("displayName")}
                          value={s.name}
                          onChange={(e) => setStaff({ name: e.target.value })}
                        />
                      </td>
                      <td>
                        <select
                          aria-label={label("posts")}
                          value={s.post}
                          onChange={(e) => {
                            const choices = unitChoices(e.target.value);
                            // Keep the unit if the new post allows it; a single choice is picked for the person.
                            const unit = choices.some((u) => u.id === s.unit)
                              ? s.unit
                              : choices.length === 1
                                ? choices[0]!.id
                                : "";
                            setStaff({ post: e.target.value, unit });
                          }}
                        >
                          <option value="" disabled>
                            —
                          </option>
                          {facts?.posts.map((p) => (
                            <option key={p.id} value={p.id}>
                              {pickText(p.name, locale)}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <select
                          aria-label={label("unit")}
                          value={s.unit}
                          onChange={(e) => setStaff({ unit: e.target.value })}
                        >
                          <option value="" disabled>
                            —
                          </option>
                          {unitChoices(s.post).map((u) => (
                            <option key={u.id} value={u.id}>
                              {u.label}
                            </option>
                          ))}
                        </select>
                      </td>
                      <td>
                        <button
                          type="button"
                          className="link-button"
                          onClick={() => update({ staff: draft.staff.filter((_, k) => k !== i) })}
                        >
                          {t("remove")}
                        </button>
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
            {/* A new person's login starts with the township's code, as the admin's does. */}
            <p>
              <button
                type="button"
                onClick={() =>
                  update({
                    staff: [
                      ...draft.staff,
                      { login: draft.township.code ? `${draft.township.code}.` : "", name: "", post: "", unit: "" },
                    ],
                  })
                }
              >
                {t("addStaff")}
              </button>
            </p>
          </fieldset>
        </section>
      ) : null}

      {step === 4 ? (
        <section aria-labelledby="step-title" data-testid="onboard-preview">
          <h2 id="step-title">{t("stepPreview")}</h2>
          {busy && !preview ? (
            <p role="status">
              <progress aria-label={t("previewing")} /> {t("previewing")}
            </p>
          ) : null}
          <IssueList issues={issues} title={t("issuesTitle")} testId="onboard-issues" />
          {preview?.ok ? (
            <>
              <h3>{t("previewCounts")}</h3>
              <table data-testid="preview-counts">
                <thead>
                  <tr>
                    <th>{t("section")}</th>
                    <th>{t("template")}</th>
                    <th>{t("thisTownship")}</th>
                  </tr>
                </thead>
                <tbody>
                  {COUNT_KEYS.map(([key, label]) => (
                    <tr key={key} data-section={key}>
                      <td>{t(label)}</td>
                      <td>{preview.templateCounts[key] ?? 0}</td>
                      <td>{preview.counts[key] ?? 0}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
              <h3>{t("changesFromTemplate")}</h3>
              {preview.changes.length ? (
                // A long list (one line per imported unit) is folded after the first lines; the counts above summarise it.
                <div data-testid="preview-changes">
                  <p className="field-description">{t("changesCount", { n: preview.changes.length })}</p>
                  <ul>
                    {preview.changes.slice(0, 12).map((c, i) => (
                      <li key={i}>{locale === "en" ? c.en : c.zh}</li>
                    ))}
                  </ul>
                  {preview.changes.length > 12 ? (
                    <details>
                      <summary>{t("changesMore", { n: preview.changes.length - 12 })}</summary>
                      <ul>
                        {preview.changes.slice(12).map((c, i) => (
                          <li key={i}>{locale === "en" ? c.en : c.zh}</li>
                        ))}
                      </ul>
                    </details>
                  ) : null}
                </div>
              ) : (
                <p>{t("noChanges")}</p>
              )}
              {preview.form ? (
                <section
                  aria-label={t("formPreview", { name: preview.form.name })}
                  data-testid="preview-form"
                  key={locale}
                >
                  <h3>{t("formPreview", { name: preview.form.name })}</h3>
                  <p className="field-description">{t("formPreviewNote", { category: preview.form.categoryName })}</p>
                  <ConfigForm
                    schema={preview.form.schema}
                    uiSchema={preview.form.uiSchema}
                    locale={locale}
                    submitLabel={t("previewSubmit")}
                    onSubmit={() => undefined}
                  />
                </section>
              ) : null}
            </>
          ) : null}
          <fetcher.Form method="post">
            <input type="hidden" name="draft" value={payload} />
            <div className="actions">
              <button type="submit" name="intent" value="preview" disabled={busy}>
                {t("refreshPreview")}
              </button>
              <button type="submit" name="intent" value="publish" className="primary" disabled={busy || !preview?.ok}>
                {busy && fetcher.formData?.get("intent") === "publish" ? t("publishing") : t("publish")}
              </button>
            </div>
          </fetcher.Form>
        </section>
      ) : null}

      <div className="actions step-nav">
        {step > 0 ? (
          <button type="button" onClick={() => setStep(step - 1)}>
            {t("back")}
          </button>
        ) : null}
        {step < STEPS.length - 1 ? (
          <button type="button" className="primary" onClick={() => setStep(step + 1)}>
            {t("next")}
          </button>
        ) : null}
      </div>
    </div>
  );
}
