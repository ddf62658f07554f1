// A form designer for people who do not write JSON Schema: a list of fields (add, remove, move,
// type, required, help, options, titles in Chinese and English) that becomes the form's JSON
// Schema, uiSchema and English overlay (engine/form-designer.ts), previewed live with the same
// RJSF renderer cases use, validated with the whole config on the server, published as a version.
import { json, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useLoaderData } from "@remix-run/react";
import { useEffect, useMemo, useRef, useState } from "react";
import { isJsonObject } from "#engine/config/id-paths";
import {
  addField,
  designerToForm,
  FIELD_TYPE_NAMES,
  FIELD_TYPES,
  formToDesigner,
  moveField,
  removeField,
  setFieldType,
  validateDesigner,
  type DesignerField,
  type DesignerModel,
  type FieldType,
} from "#engine/form-designer";
import { localizeForm } from "#engine/forms";
import { pickText } from "#engine/i18n";
import { ConfigForm } from "#app/components/config-form";
import { IssueList, type ShownIssue } from "#app/components/issue-list";
import { noRevalidateOnCheck, useLiveCheck } from "#app/components/live-check";
import { PublishEdit } from "#app/components/publish-edit";
import { useTownship } from "#app/components/township";
import { useLocale, useT } from "#app/i18n";
import { configEditAction, loadConfigAdmin } from "#app/server/config-admin.server";
import { getPrisma } from "#app/server/db.server";
import { requireForm } from "#app/server/form-input.server";
import { requireAbility } from "#app/server/guards.server";
import { getLocale } from "#app/server/locale.server";
import { notFound, requireTenantContext } from "#app/server/tenancy.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  requireAbility(ctx, "manage", "Config");
  const formId = params.formId ?? "";
  if (!/^[a-z0-9][a-z0-9-]*$/.test(formId)) notFound();
  const locale = await getLocale(request);
  const state = await loadConfigAdmin(getPrisma(), ctx);
  const doc = state.latest.document;
  const form = doc.forms?.[formId];
  const templateForm = isJsonObject(state.template?.forms) ? state.template.forms[formId] : undefined;
  const templateProps =
    isJsonObject(templateForm) && isJsonObject(templateForm.schema) && isJsonObject(templateForm.schema.properties)
      ? Object.keys(templateForm.schema.properties)
      : [];
  const model: DesignerModel = form ? formToDesigner(form as never) : { name: { zh: formId }, fields: [] };
  return json({
    formId,
    isNew: !form,
    model,
    version: state.latest.version,
    // Fields cases may already carry keep their key and type; template fields can only be hidden.
    publishedKeys: model.fields.map((f) => f.key),
    templateKeys: templateProps,
    usedBy: (doc.categories ?? []).filter((c) => c.intakeForm === formId).map((c) => pickText(c.name, locale)),
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  requireAbility(ctx, "manage", "Config");
  return configEditAction(getPrisma(), ctx, await requireForm(request));
}

export const shouldRevalidate = noRevalidateOnCheck;

export default function FormDesigner() {
  const data = useLoaderData<typeof loader>();
  const { tenant } = useTownship();
  const t = useT();
  const locale = useLocale();
  const [model, setModel] = useState<DesignerModel>(data.model);
  const [newType, setNewType] = useState<FieldType>("text");
  const focusAfterMove = useRef<string | null>(null);

  const localIssues = useMemo(() => validateDesigner(model), [model]);
  const edit = JSON.stringify({ kind: "form", formId: data.formId, model });
  const dirty = edit !== JSON.stringify({ kind: "form", formId: data.formId, model: data.model });

  const { check, refused, publishing } = useLiveCheck(edit, dirty && !localIssues.length);

  useEffect(() => {
    if (focusAfterMove.current) {
      document.getElementById(focusAfterMove.current)?.focus();
      focusAfterMove.current = null;
    }
  });

  const preview = useMemo(() => {
    if (localIssues.length) return null;
    try {
      return localizeForm(designerToForm(model) as never, locale);
    } catch {
      return null;
    }
  }, [model, locale, localIssues.length]);

  const setField = (i: number, patch: Partial<DesignerField>) =>
    setModel((m) => ({ ...m, fields: m.fields.map((f, k) => (k === i ? { ...f, ...patch } : f)) }));
  const move = (i: number, delta: -1 | 1, which: "up" | "down") => {
    const key = model.fields[i]?.key;
    setModel((m) => moveField(m, i, delta));
    if (key) focusAfterMove.current = `move-${which}-${key}`;
  };

  const shown: ShownIssue[] = [
    ...refused,
    ...(localIssues.length ? localIssues.map((i) => ({ ...i, where: "designer" })) : check ? check.issues : []),
  ];

  return (
    <div className="editor">
      <div className="card">
        <h1>
          {t("formDesigner", { name: pickText(model.name, locale) || data.formId })}{" "}
          <small className="field-description">
            <code>{data.formId}</code>
          </small>
        </h1>
        <p className="field-description">
          {data.usedBy.length ? `${t("usedBy")}: ${data.usedBy.join("、")}` : t("formNotUsed")}
        </p>
        <div className="inline-fields">
          <label>
            {t("formNameZh")}{" "}
            <input
              value={model.name.zh}
              onChange={(e) => setModel({ ...model, name: { ...model.name, zh: e.target.value } })}
            />
          </label>
          <label>
            {t("formNameEn")}{" "}
            <input
              value={model.name.en ?? ""}
              onChange={(e) =>
                setModel({
                  ...model,
                  name: { ...model.name, ...(e.target.value ? { en: e.target.value } : { en: undefined }) },
                })
              }
            />
          </label>
        </div>
        <ol className="designer-fields" data-testid="designer-fields">
          {model.fields.map((field, i) => {
            const fromTemplate = data.templateKeys.includes(field.key);
            const isPublished = data.publishedKeys.includes(field.key);
            const n = i + 1;
            const id = (part: string) => `f-${i}-${part}`;
            return (
              <li key={i} className="designer-field" data-key={field.key}>
                <fieldset>
                  <legend>
                    {t("fieldN", { n })}: {field.title.zh || field.key}
                    {fromTemplate ? <small className="field-description"> {t("fromTemplate")}</small> : null}
                  </legend>
                  <div className="inline-fields">
                    <label htmlFor={id("title-zh")}>{t("titleZh")}</label>
                    <input
                      id={id("title-zh")}
                      value={field.title.zh}
                      onChange={(e) => setField(i, { title: { ...field.title, zh: e.target.value } })}
                    />
                    <label htmlFor={id("title-en")}>{t("titleEn")}</label>
                    <input
                      id={id("title-en")}
                      value={field.title.en ?? ""}
                      onChange={(e) =>
                        setField(i, {
                          title: e.target.value ? { ...field.title, en: e.target.value } : { zh: field.title.zh },
                        })
                      }
                    />
                  </div>
                  <div className="inline-fields">
                    <label htmlFor={id("type")}>{t("fieldType")}</label>
                    <select
                      id={id("type")}
                      value={field.type}
                      disabled={isPublished || field.type === "custom"}
                      onChange={(e) =>
                        setModel((m) => ({
                          ...m,
                          fields: m.fields.map((f, k) => (k === i ? setFieldType(f, e.target.value as FieldType) : f)),
                        }))
                      }
                    >
                      {[...FIELD_TYPES, ...(field.type === "custom" ? (["custom"] as const) : [])].map((ft) => (
                        <option key={ft} value={ft}>
                          {pickText(FIELD_TYPE_NAMES[ft], locale)}
                        </option>
                      ))}
                    </select>
                    <label htmlFor={id("key")}>{t("fieldKey")}</label>
                    <input
                      id={id("key")}
                      value={field.key}
                      readOnly={isPublished}
                      onChange={(e) => setField(i, { key: e.target.value.trim() })}
                    />
                    <label className="check" htmlFor={id("required")}>
                      <input
                        id={id("required")}
                        type="checkbox"
                        checked={field.required}
                        disabled={!!field.hidden}
                        onChange={(e) => setField(i, { required: e.target.checked })}
                      />{" "}
                      {t("required")}
                    </label>
                    {fromTemplate ? (
                      <label className="check" htmlFor={id("hidden")}>
                        <input
                          id={id("hidden")}
                          type="checkbox"
                          checked={!!field.hidden}
                          onChange={(e) =>
                            setField(i, {
                              hidden: e.target.checked || undefined,
                              ...(e.target.checked ? { required: false } : {}),
                            })
                          }
                        />{" "}
                        {t("hiddenField")}
                      </label>
                    ) : null}
                  </div>
                  <div className="inline-fields">
                    <label htmlFor={id("help-zh")}>{t("helpZh")}</label>
                    <input
                      id={id("help-zh")}
                      value={field.help?.zh ?? ""}
                      onChange={(e) => setField(i, { help: { ...field.help, zh: e.target.value } })}
                    />
                    <label htmlFor={id("help-en")}>{t("helpEn")}</label>
                    <input
                      id={id("help-en")}
                      value={field.help?.en ?? ""}
                      onChange={(e) =>
                        setField(i, {
                          help: { zh: field.help?.zh ?? "", ...(e.target.value ? { en: e.target.value } : {}) },
                        })
                      }
                    />
                  </div>
                  {field.type === "choice" ? (
                    <fieldset>
                      <legend>{t("options")}</legend>
                      {(field.options ?? []).map((o, k) => {
                        const setOption = (patch: Partial<typeof o>) =>
                          setField(i, {
                            options: (field.options ?? []).map((x, j) => (j === k ? { ...x, ...patch } : x)),
                          });
                        const optLabel = `${t("fieldN", { n })} ${t("optionN", { n: k + 1 })}`;
                        return (
                          <div key={k} className="inline-fields">
                            <input
                              aria-label={`${optLabel} ${t("optionValue")}`}
                              value={o.value}
                              placeholder={t("optionValue")}
                              onChange={(e) =>
                                setOption({
                                  value: e.target.value,
                                  ...(o.label.zh === o.value ? { label: { ...o.label, zh: e.target.value } } : {}),
                                })
                              }
                            />
                            <input
                              aria-label={`${optLabel} ${t("optionZh")}`}
                              value={o.label.zh}
                              placeholder={t("optionZh")}
                              onChange={(e) => setOption({ label: { ...o.label, zh: e.target.value } })}
                            />
                            <input
                              aria-label={`${optLabel} ${t("optionEn")}`}
                              value={o.label.en ?? ""}
                              placeholder={t("optionEn")}
                              onChange={(e) =>
                                setOption({
                                  label: e.target.value ? { ...o.label, en: e.target.value } : { zh: o.label.zh },
                                })
                              }
                            />
                            <button
                              type="button"
                              className="link-button"
                              aria-label={`${t("remove")} ${optLabel}`}
                              onClick={() => setField(i, { options: (field.options ?? []).filter((_, j) => j !== k) })}
                            >
                              {t("remove")}
                            </button>
                          </div>
                        );
                      })}
                      <button
                        type="button"
                        onClick={() =>
                          setField(i, { options: [...(field.options ?? []), { value: "", label: { zh: "" } }] })
                        }
                      >
                        {t("addOption")}
                      </button>
                    </fieldset>
                  ) : null}
                  <div className="actions">
                    <button
                      type="button"
                      id={`move-up-${field.key}`}
                      disabled={i === 0}
                      onClick={() => move(i, -1, "up")}
                      aria-label={`${t("moveUp")} ${t("fieldN", { n })}`}
                    >
                      ↑ {t("moveUp")}
                    </button>
                    <button
                      type="button"
                      id={`move-down-${field.key}`}
                      disabled={i === model.fields.length - 1}
                      onClick={() => move(i, 1, "down")}
                      aria-label={`${t("moveDown")} ${t("fieldN", { n })}`}
                    >
                      ↓ {t("moveDown")}
                    </button>
                    {fromTemplate ? null : (
                      <button
                        type="button"
                        onClick={() => setModel((m) => removeField(m, i))}
                        aria-label={`${t("remove")} ${t("fieldN", { n })}`}
                      >
                        {t("remove")}
                      </button>
                    )}
                  </div>
                </fieldset>
              </li>
            );
          })}
        </ol>
        <div className="inline-fields">
          <label htmlFor="new-field-type">{t("fieldType")}</label>
          <select id="new-field-type" value={newType} onChange={(e) => setNewType(e.target.value as FieldType)}>
            {FIELD_TYPES.map((ft) => (
              <option key={ft} value={ft}>
                {pickText(FIELD_TYPE_NAMES[ft], locale)}
              </option>
            ))}
          </select>
          <button type="button" onClick={() => setModel((m) => addField(m, newType))} data-testid="add-field">
            {t("addField")}
          </button>
        </div>
        <div className="field">
          <label htmlFor="title-field">{t("titleField")}</label>
          <select
            id="title-field"
            value={model.titleField ?? ""}
            onChange={(e) => {
              const { titleField: _old, ...rest } = model;
              setModel(e.target.value ? { ...rest, titleField: e.target.value } : rest);
            }}
          >
            <option value="">{t("none")}</option>
            {model.fields.map((f) => (
              <option key={f.key} value={f.key}>
                {f.title.zh || f.key}
              </option>
            ))}
          </select>
        </div>
      </div>
      <aside className="card" aria-live="polite" data-testid="designer-check">
        <h2>{t("preview")}</h2>
        {preview ? (
          <div data-testid="designer-preview" key={locale}>
            <ConfigForm
              schema={preview.schema}
              uiSchema={preview.uiSchema}
              locale={locale}
              submitLabel={t("previewSubmit")}
              onSubmit={() => undefined}
            />
          </div>
        ) : null}
        {dirty && !localIssues.length && !check ? (
          <p role="status">
            <progress aria-label={t("validating")} /> {t("validating")}
          </p>
        ) : null}
        {check?.ok ? (
          <p className="notice" role="status">
            {t("configValid")}
          </p>
        ) : null}
        <IssueList issues={shown} title={t("configIssues")} testId="designer-issues" />
        {check?.ok && check.changes.length ? (
          <>
            <h3>{t("changesToPublish", { n: data.version })}</h3>
            <ul data-testid="designer-changes">
              {check.changes.map((c, i) => (
                <li key={i}>{locale === "en" ? c.en : c.zh}</li>
              ))}
            </ul>
          </>
        ) : null}
        <PublishEdit
          edit={edit}
          version={data.version}
          tenantCode={tenant.code}
          ready={!!check?.ok}
          publishing={publishing}
          testId="publish-form"
        />
      </aside>
    </div>
  );
}
