// The .json schema files are what editors and other tools read; they must say what the TS says.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { PUBLISHED_SCHEMAS, schemaFileText } from "#schemas/published";
import { TOWNSHIP_CONFIG_SCHEMA_ID, townshipConfigSchema } from "#schemas/township-config";
import { listTenantJson, readTenantJson } from "#tests/engine/helpers";

const schemasDir = new URL("../../schemas/", import.meta.url);

describe("exported JSON Schema files", () => {
  it.each(PUBLISHED_SCHEMAS.map((s) => [s.file, s] as const))(
    "schemas/%s is up to date with its TS source",
    (file, { schema }) => {
      let onDisk: string | undefined;
      try {
        onDisk = readFileSync(new URL(file, schemasDir), "utf8");
      } catch {
        onDisk = undefined;
      }
      if (onDisk !== schemaFileText(schema)) {
        expect.fail(
          `schemas/${file} is out of date with the TS schema: run \`npm run schemas:export\` and commit the result.`,
        );
      }
    },
  );

  it("names each schema by the URL it is served at", () => {
    for (const { url, schema } of PUBLISHED_SCHEMAS)
      expect((schema as { $id?: string }).$id).toBe(`https://gridwork.dev/schemas/${url}`);
    expect(townshipConfigSchema.$id).toBe(TOWNSHIP_CONFIG_SCHEMA_ID);
  });

  it.each([...listTenantJson("templates"), ...listTenantJson("townships")])(
    "%s names the exported schema file",
    (file) => {
      expect((readTenantJson(file) as { $schema?: string }).$schema).toBe("../../schemas/township-config.schema.json");
    },
  );
});
