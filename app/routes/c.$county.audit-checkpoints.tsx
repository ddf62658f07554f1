// A county admin downloads the signed audit checkpoints of the county and its townships as JSON
// lines, to keep outside the township's database (npm run audit:verify -- --checkpoints <file>).
import type { LoaderFunctionArgs } from "@remix-run/node";
import { exportCheckpoints } from "#app/server/audit-checkpoints.server";
import { requireCountyAdmin, requireCountyContext } from "#app/server/county.server";
import { getPrisma } from "#app/server/db.server";

export async function loader({ request, params }: LoaderFunctionArgs) {
  const ctx = await requireCountyContext(request, params.county);
  requireCountyAdmin(ctx);
  const db = getPrisma();
  const townships = await db.tenant.findMany({ where: { parentId: ctx.county.id }, select: { id: true } });
  const body = await exportCheckpoints(db, [ctx.county.id, ...townships.map((t) => t.id)]);
  const day = ctx.now.toISOString().slice(0, 10);
  return new Response(body, {
    headers: {
      "Content-Type": "application/x-ndjson; charset=utf-8",
      "Content-Disposition": `attachment; filename="audit-checkpoints-${ctx.county.code}-${day}.jsonl"`,
      "Cache-Control": "private, no-store",
    },
  });
}
