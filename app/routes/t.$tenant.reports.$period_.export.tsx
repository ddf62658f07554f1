// POST only: the monthly review as XLSX (a resource route, so the file is the response); audited.
import { redirect, type ActionFunctionArgs, type LoaderFunctionArgs } from "@remix-run/node";
import { getPrisma } from "#app/server/db.server";
import { requireAbility } from "#app/server/guards.server";
import { getLocale } from "#app/server/locale.server";
import { exportPeriodReport } from "#app/server/score-views.server";
import { requireTenantContext } from "#app/server/tenancy.server";

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireTenantContext(request, params.tenant);
  requireAbility(ctx, "read", "Report");
  const file = await exportPeriodReport(getPrisma(), ctx, params.period ?? "", await getLocale(request), ctx.now);
  return new Response(file.body, {
    headers: {
      "Content-Type": file.contentType,
      "Content-Disposition": `attachment; filename="${file.filename}"`,
      "Cache-Control": "no-store",
    },
  });
}

export async function loader({ params }: LoaderFunctionArgs) {
  return redirect(`/t/${params.tenant}/reports/${params.period}`);
}
