// Serves one attachment to someone who may read its case. Images open inline; everything else
// downloads. nosniff and a sandbox CSP keep a file from acting as a page of this site.
import type { LoaderFunctionArgs } from "@remix-run/node";
import { getAttachment } from "#app/server/attachments.server";
import { requireIds } from "#app/server/params.server";
import { notFound, requireTenantContext } from "#app/server/tenancy.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { caseId, fileId } = requireIds(params, "caseId", "fileId");
  const ctx = await requireTenantContext(request, params.tenant);
  const file = await getAttachment(ctx, caseId, fileId);
  if (!file) notFound();
  const inline = file.contentType.startsWith("image/");
  return new Response(file.data, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Length": String(file.size),
      "Content-Disposition": `${inline ? "inline" : "attachment"}; filename*=UTF-8''${encodeURIComponent(file.name)}`,
      "X-Content-Type-Options": "nosniff",
      "Content-Security-Policy": "sandbox; default-src 'none'",
      // A case photo is as confidential as the case: nothing keeps it once the session ends.
      "Cache-Control": "private, no-store",
      Vary: "Cookie",
    },
  });
}
