// Upload attachments to a case (multipart POST from the case page); errors come back bilingual.
import { json, redirect, unstable_createMemoryUploadHandler, unstable_parseMultipartFormData, type ActionFunctionArgs } from "@remix-run/node";
import { pickMessage } from "../../engine/i18n";
import { addAttachments, MAX_FILE_BYTES, type Upload } from "../server/attachments.server";
import { getPrisma } from "../server/db.server";
import { getLocale } from "../server/locale.server";
import { notFound, requireTenantContext } from "../server/tenancy.server";

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  const locale = await getLocale(request);
  let form: FormData;
  try {
    form = await unstable_parseMultipartFormData(request, unstable_createMemoryUploadHandler({ maxPartSize: MAX_FILE_BYTES }));
  } catch {
    return json({ issues: [pickMessage({ zh: "文件超过 10 MB", en: "A file is larger than 10 MB" }, locale)] }, { status: 413 });
  }
  const files: Upload[] = [];
  for (const value of form.getAll("files")) {
    if (typeof value !== "string" && value.size > 0) files.push({ name: value.name, bytes: new Uint8Array(await value.arrayBuffer()) });
  }
  const r = await addAttachments(getPrisma(), ctx, params.caseId ?? "", files);
  if (!r.ok && r.notFound) notFound();
  if (!r.ok) return json({ issues: r.issues.map((i) => pickMessage(i.message, locale)) }, { status: 422 });
  return redirect(`/t/${ctx.tenant.code}/cases/${params.caseId}#attachments`);
}
