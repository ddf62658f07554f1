import { json, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { addComment } from "#app/server/attachments.server";
import { requireForm } from "#app/server/form-input.server";
import { getLocale } from "#app/server/locale.server";
import { requireIds } from "#app/server/params.server";
import { notFound, requireTenantContext } from "#app/server/tenancy.server";
import { renderIssue } from "#app/locales/issues/index";

export async function action({ request, params }: ActionFunctionArgs) {
  const { caseId } = requireIds(params, "caseId");
  const ctx = await requireTenantContext(request, params.tenant);
  const body = String((await requireForm(request)).get("body") ?? "");
  const r = await addComment(ctx, caseId, body, ctx.now);
  if (!r.ok && r.notFound) notFound();
  if (!r.ok) {
    const locale = await getLocale(request);
    return json({ issues: r.issues.map((i) => renderIssue(locale, i)) }, { status: 422 });
  }
  return redirect(`/t/${ctx.tenant.code}/cases/${caseId}#comments`);
}
