// Upload attachments to a case (multipart POST from the case page); errors come back bilingual.
import { json, redirect, type ActionFunctionArgs } from "@remix-run/node";
import { pickMessage } from "#engine/i18n";
import { addAttachments, uploadLimits } from "#app/server/attachments.server";
import { readForm } from "#app/server/form-input.server";
import { getLocale } from "#app/server/locale.server";
import { requireIds } from "#app/server/params.server";
import { notFound, requireTenantContext } from "#app/server/tenancy.server";
import { renderIssue } from "#app/locales/issues/index";

export async function action({ request, params }: ActionFunctionArgs) {
  const { caseId } = requireIds(params, "caseId");
  const ctx = await requireTenantContext(request, params.tenant);
  const locale = await getLocale(request);
  const input = await readForm(request, uploadLimits("files"));
  if (!input.ok) return json({ issues: [pickMessage(input.message, locale)] }, { status: input.status });
  const r = await addAttachments(ctx, caseId, input.files, ctx.now);
  if (!r.ok && r.notFound) notFound();
  if (!r.ok) return json({ issues: r.issues.map((i) => renderIssue(locale, i)) }, { status: 422 });
  return redirect(`/t/${ctx.tenant.code}/cases/${caseId}#attachments`);
}
