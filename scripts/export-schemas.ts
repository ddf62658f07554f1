// `npm run schemas:export`: writes schemas/*.schema.json from the TS schema objects. Run it after
// changing a schema; tests/unit/schemas-export.test.ts fails while a .json file is out of date.
import { readFileSync, writeFileSync } from "node:fs";
import { PUBLISHED_SCHEMAS, schemaFileText } from "#schemas/published";

const dir = new URL("../schemas/", import.meta.url);
for (const { file, schema } of PUBLISHED_SCHEMAS) {
  const target = new URL(file, dir);
  const text = schemaFileText(schema);
  let current: string | undefined;
  try {
    current = readFileSync(target, "utf8");
  } catch {
    current = undefined;
  }
  if (current === text) console.log(`schemas/${file}: up to date`);
  else {
    writeFileSync(target, text);
    console.log(`schemas/${file}: written`);
  }
}
