import { json, redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { Form, useActionData, useLoaderData, useNavigation, useSubmit } from "@remix-run/react";
import { useState } from "react";
import { localizeForm } from "../../engine/forms";
import { pickMessage, pickText } from "../../engine/i18n";
import { ConfigForm } from "../components/config-form";
import { useLocale, useT } from "../i18n";
import { reportCase } from "../server/cases.server";
import { getPrisma } from "../server/db.server";
import { getLocale } from "../server/locale.server";
import { requireTenantContext } from "../server/tenancy.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  const locale = await getLocale(request);
  const categories = (ctx.compiled.config.categories ?? []).map((c) => ({ id: c.id, name: pickText(c.name, locale) }));
  const selected = new URL(request.url).searchParams.get("category");
  const category = selected ? ctx.compiled.categories.get(selected) : undefined;
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
  const raw = (await request.formData()).get("payload");
  let input: { categoryId?: unknown; data?: unknown } = {};
  try {
    input = JSON.parse(typeof raw === "string" ? raw : "{}");
  } catch {
    // Treated as empty input below: the engine reports what is missing.
  }
  const result = await reportCase(getPrisma(), ctx, { categoryId: String(input.categoryId ?? ""), data: input.data ?? {} });
  if (!result.ok) {
    const issues = result.refusal.issues.map((i) => ({ path: i.path, code: i.code, message: pickMessage(i.message, locale) }));
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
  const issues = result?.issues ?? [];
  const general = issues.filter((i) => !i.path.startsWith("/data/"));
  return (
    <div className="card">
      <h1>{t("reportCase")}</h1>
      <Form method="get" onChange={(e) => submit(e.currentTarget)}>
        <div className="field">
          <label htmlFor="category">{t("category")}</label>
          <select id="category" name="category" defaultValue={selected ?? ""}>
            <option value="" disabled>{t("chooseCategory")}</option>
            {categories.map((c) => (
              <option key={c.id} value={c.id}>{c.name}</option>
            ))}
          </select>
          <noscript><button type="submit">{t("chooseCategory")}</button></noscript>
        </div>
      </Form>
      {issues.length ? (
        <div className="alert" role="alert" data-testid="form-errors">
          {t("fixErrors")}
          {general.length ? <ul>{general.map((i) => <li key={i.path + i.code}>{i.message}</li>)}</ul> : null}
        </div>
      ) : null}
      {form && selected ? (
        <section aria-label={form.name} data-testid="intake-form" key={selected + locale}>
          <h2>{form.name}</h2>
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
              submit({ payload: JSON.stringify({ categoryId: selected, data }) }, { method: "post" });
            }}
          />
        </section>
      ) : null}
    </div>
  );
}
