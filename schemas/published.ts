// The JSON Schemas Gridwork publishes: as files beside their TS source (for editors; every file in
// tenants/ names one in `$schema`) and at stable URLs (/schemas/<url>, app/routes/schemas.$file.tsx).
// `$id` of each schema is https://gridwork.dev/schemas/<url>.
import { townshipConfigSchema } from "./township-config";

export type PublishedSchema = { file: string; url: string; schema: object };

export const PUBLISHED_SCHEMAS: readonly PublishedSchema[] = [
  { file: "township-config.schema.json", url: "township-config.v1.json", schema: townshipConfigSchema },
];

/** The exact text of a schema file: two-space indented, in the TS object's key order, ending in a newline. */
export function schemaFileText(schema: object): string {
  return JSON.stringify(schema, null, 2) + "\n";
}
