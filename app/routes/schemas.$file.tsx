import type { LoaderFunctionArgs } from "@remix-run/node";
import { createHash } from "node:crypto";
import { PUBLISHED_SCHEMAS, schemaFileText } from "#schemas/published";

// A published schema changes only by additions until its version is frozen, so caches keep it for
// a day and revalidate by ETag (docs/decisions/008-config-versions-and-upgrade.md).
const CACHE_CONTROL = "public, max-age=86400, stale-while-revalidate=604800";

export async function loader({ params, request }: LoaderFunctionArgs) {
  const published = PUBLISHED_SCHEMAS.find((s) => s.url === params.file);
  if (!published)
    throw new Response("Not found", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  const body = schemaFileText(published.schema);
  const etag = `"${createHash("sha256").update(body).digest("base64url").slice(0, 27)}"`;
  const headers = {
    "Content-Type": "application/schema+json; charset=utf-8",
    "Cache-Control": CACHE_CONTROL,
    ETag: etag,
    "Access-Control-Allow-Origin": "*",
  };
  if (request.headers.get("If-None-Match") === etag) return new Response(null, { status: 304, headers });
  return new Response(body, { headers });
}
