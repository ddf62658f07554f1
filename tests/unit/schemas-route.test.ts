// GET /schemas/<name>: the published JSON Schemas at stable URLs.
import { describe, expect, it } from "vitest";
import { loader } from "#app/routes/schemas.$file";
import { townshipConfigSchema } from "#schemas/township-config";

const get = (file: string, headers: Record<string, string> = {}) =>
  loader({ params: { file }, request: new Request(`http://localhost/schemas/${file}`, { headers }), context: {} });

describe("GET /schemas/:file", () => {
  it("serves the township config schema as application/schema+json, cacheable", async () => {
    const res = await get("township-config.v1.json");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/schema+json; charset=utf-8");
    expect(res.headers.get("cache-control")).toMatch(/public, max-age=\d{5,}/);
    expect(await res.json()).toEqual(JSON.parse(JSON.stringify(townshipConfigSchema)));
  });

  it("answers 304 to a client that has the current version", async () => {
    const first = await get("township-config.v1.json");
    const again = await get("township-config.v1.json", { "If-None-Match": first.headers.get("etag")! });
    expect(again.status).toBe(304);
  });

  it.each(["township-config.v2.json", "nothing.json", "..%2Fpackage.json"])("answers 404 for %s", async (file) => {
    const outcome = await get(file).then(
      (res) => res,
      (thrown: unknown) => thrown,
    );
    expect(outcome).toBeInstanceOf(Response);
    expect((outcome as Response).status).toBe(404);
  });
});
