// POST only: an export is an audited action, never a link a crawler or another site can trigger.
import type { ActionFunctionArgs } from "@remix-run/node";
import { redirect } from "@remix-run/node";
import { exportCases } from "#app/server/export.server";
import { requireForm } from "#app/server/form-input.server";
import { requireAbility } from "#app/server/guards.server";
import { getLocale } from "#app/server/locale.server";
import { requireTenantContext } from "#app/server/tenancy.server";

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  requireAbility(ctx, "export", "Case");
  const format = (await requireForm(request)).get("format") === "xlsx" ? "xlsx" : "csv";
  const file = await exportCases(ctx, format, await getLocale(request), ctx.now);
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-store",
    },
  });
}

export async function loader({ params }: ActionFunctionArgs) {
  return redirect(`/t/${params.tenant}`);
}
