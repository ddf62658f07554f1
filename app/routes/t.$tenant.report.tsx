import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { useTownship } from "#app/components/township";
import { Form, Link, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useRef, useState } from "react";
import { localizeForm } from "#engine/forms";
import { reportableCategories } from "#engine/intake";
import { pickMessage, pickText } from "#engine/i18n";
import { ConfigForm } from "#app/components/config-form";
import { FormErrors } from "#app/components/issue-list";
import { useLocale, useT } from "#app/i18n";
import { uploadLimits } from "#app/server/attachments.server";
import { reportCase } from "#app/server/cases.server";
import { readForm } from "#app/server/form-input.server";
import { jsonField } from "#app/server/json-field.server";
import { getLocale } from "#app/server/locale.server";
import { requireTenantContext } from "#app/server/tenancy.server";
import { renderIssue } from "#app/locales/issues/index";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  const locale = await getLocale(request);
  // Only the categories the member may report (rules may name categories; tasks from above arrive
  // from the county, nobody reports them here); the action checks again.
  const allowed = reportableCategories(ctx.compiled, ctx.actor);
  const categories = allowed.map((c) => ({ id: c.id, name: pickText(c.name, locale) }));
  const selected = new URL(request.url).searchParams.get("category");
  const category = allowed.find((c) => c.id === selected);
  const form = category ? ctx.compiled.forms.get(category.intakeForm) : undefined;
  return json({
    categories,
    selected: category?.id ?? null,
    form: form ? { name: pickText(form.name, locale), ...localizeForm(form, locale) } : null,
  });
}

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  const locale = await getLocale(request);
  const read = await readForm(request, uploadLimits("photos"));
  if (!read.ok)
    return json(
      { issues: [{ path: "/files", code: "form.refused", message: pickMessage(read.message, locale) }], data: null },
      { status: read.status },
    );
  const form = read.form;
  const payload = jsonField(form, "payload");
  const location = jsonField(form, "location");
  for (const field of [payload, location]) {
    if (!field.ok)
      return json(
        {
          issues: [{ path: field.issue.path, code: field.issue.code, message: renderIssue(locale, field.issue) }],
          data: null,
        },
        { status: field.status },
      );
  }
  // Not JSON: the engine reports what is missing.
  const parse = (field: typeof payload) => (field.ok ? field.value : undefined);
  const input = (parse(payload) ?? {}) as { categoryId?: unknown; data?: unknown };
  const result = await reportCase(
    ctx,
    { categoryId: String(input.categoryId ?? ""), data: input.data ?? {} },
    ctx.now,
    {
      location: parse(location),
      files: read.files,
    },
  );
  if (!result.ok) {
    const issues = result.refusal.issues.map((i) => ({
      path: i.path,
      code: i.code,
      message: renderIssue(locale, i),
    }));
    return json({ issues, data: input.data ?? null }, { status: result.refusal.kind === "not-allowed" ? 403 : 422 });
  }
  return redirect(`/t/${ctx.tenant.code}?reported=${encodeURIComponent(result.number)}`);
}

export default function ReportCase() {
  const { categories, selected, form } = useLoaderData<typeof loader>();
  const result = useActionData<typeof action>();
  const t = useT();
  const locale = useLocale();
  const submit = useSubmit();
  const navigation = useNavigation();
  const [draft, setDraft] = useState<unknown>(undefined);
  const [point, setPoint] = useState<{ lat: number; lng: number; accuracy: number } | null>(null);
  const [locating, setLocating] = useState<"idle" | "busy" | "failed">("idle");
  const address = useRef<HTMLInputElement>(null);
  const photos = useRef<HTMLInputElement>(null);
  const { tenant } = useTownship();
  const issues = result?.issues ?? [];
  const general = issues.filter((i) => !i.path.startsWith("/data/"));
  return (
    <div className="card">
      <h1>{t("reportCase")}</h1>
      {categories.length === 0 ? (
        <p className="alert" role="status" data-testid="no-reportable-categories">
          {t("noReportableCategories")} <Link to={`/t/${tenant.code}/work`}>{t("workbench")}</Link>
        </p>
      ) : null}
      <Form method="get" onChange={(e) => submit(e.currentTarget)} hidden={categories.length === 0}>
        <div className="field">
          <label htmlFor="category">{t("category")}</label>
          <select id="category" name="category" defaultValue={selected ?? ""}>
            <option value="" disabled>
              {t("chooseCategory")}
            </option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>
                {c.name}
              </option>
            ))}
          </select>
          <noscript>
            <button type="submit">{t("chooseCategory")}</button>
          </noscript>
        </div>
      </Form>
      <FormErrors issues={issues} general={general} />
      {form && selected ? (
        <section aria-label={form.name} data-testid="intake-form" key={selected + locale}>
          <h2>{form.name}</h2>
          <fieldset className="field">
            <legend>{t("location")}</legend>
            <button
              type="button"
              className="link-button"
              data-testid="locate"
              onClick={() => {
                if (!navigator.geolocation) return setLocating("failed");
                setLocating("busy");
                navigator.geolocation.getCurrentPosition(
                  (p) => {
                    setPoint({
                      lat: Number(p.coords.latitude.toFixed(6)),
                      lng: Number(p.coords.longitude.toFixed(6)),
                      accuracy: Math.round(p.coords.accuracy),
                    });
                    setLocating("idle");
                  },
                  () => setLocating("failed"),
                  { enableHighAccuracy: true, timeout: 10_000 },
                );
              }}
            >
              {t("useMyLocation")}
            </button>
            {point ? (
              <span data-testid="point">
                {" "}
                {point.lat}, {point.lng} (±{point.accuracy} m)
              </span>
            ) : null}
            {locating === "busy" ? (
              <span> …</span>
            ) : locating === "failed" ? (
              <span className="error"> {t("locationFailed")}</span>
            ) : null}
            <label htmlFor="address">{t("address")}</label>
            <input id="address" ref={address} maxLength={200} autoComplete="street-address" />
          </fieldset>
          <div className="field">
            <label htmlFor="photos">{t("photos")}</label>
            <input
              id="photos"
              ref={photos}
              type="file"
              accept="image/jpeg,image/png,image/webp"
              capture="environment"
              multiple
            />
            <p className="field-description">{t("photosHelp")}</p>
          </div>
          <ConfigForm
            schema={form.schema}
            uiSchema={form.uiSchema}
            locale={locale}
            formData={draft ?? result?.data ?? undefined}
            issues={issues}
            submitLabel={t("submit")}
            disabled={navigation.state === "submitting"}
            onSubmit={(data) => {
              setDraft(data);
              const body = new FormData();
              body.set("payload", JSON.stringify({ categoryId: selected, data }));
              const where = {
                ...(point ?? {}),
                ...(address.current?.value.trim() ? { address: address.current.value.trim() } : {}),
              };
              if (Object.keys(where).length) body.set("location", JSON.stringify(where));
              for (const file of Array.from(photos.current?.files ?? [])) body.append("photos", file);
              submit(body, { method: "post", encType: "multipart/form-data" });
            }}
          />
        </section>
      ) : null}
    </div>
  );
}
