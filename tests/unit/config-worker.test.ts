// The config worker thread from the source tree (as the CLI and vitest load it); the built server's
// path is covered over HTTP in tests/integration/bounded-work.test.ts.
import { describe, expect, it } from "vitest";
import { prepareConfig } from "#engine/config/index";
import { prepareConfigOffThread, templatesFor } from "#app/server/config-worker.server";
import { readTenantJson, templateLookup } from "#tests/engine/helpers";

describe("prepareConfigOffThread", () => {
  it.each(["townships/east-lake.json", "townships/west-hill.json", "templates/command-room-guideline@1.1.0.json"])(
    "gives what prepareConfig gives for %s",
    async (file) => {
      const raw = readTenantJson(file);
      expect(await prepareConfigOffThread(raw, templateLookup)).toEqual(prepareConfig(raw, templateLookup));
    },
  );

  it("passes the worker only the templates of the document's chain", () => {
    const raw = readTenantJson("townships/east-lake.json") as { extends: string };
    expect(templatesFor(raw, templateLookup).map(([ref]) => ref)).toEqual([raw.extends]);
  });

  it("refuses by the caps inside the worker too", async () => {
    const raw = {
      kind: "template",
      id: "big",
      version: "1.0.0",
      name: { zh: "大" },
      posts: Array.from({ length: 2001 }, (_, i) => ({ id: `p${i}`, kind: "working", name: { zh: "岗" } })),
    };
    expect(await prepareConfigOffThread(raw, templateLookup)).toEqual({
      ok: false,
      issues: [expect.objectContaining({ code: "limit.count", path: "/posts" })],
    });
  });
});
