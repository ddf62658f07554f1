// POST only (a resource route): an uploaded villages/grids file (CSV or XLSX), read and checked
// row by row against the chosen template's units. Nothing is stored; the browser puts the rows
// into the onboarding draft, and publishing checks them all again.
import { json, type ActionFunctionArgs } from "@remix-run/node";
import { getPrisma } from "#app/server/db.server";
import { readForm } from "#app/server/form-input.server";
import { requireCountyAdmin, requireCountyContext } from "#app/server/county.server";
import { importContext } from "#app/server/onboarding.server";
import { jsonField } from "#app/server/json-field.server";
import { importOrgFile, MAX_IMPORT_BYTES } from "#app/server/org-import.server";
import { issueMessage } from "#app/locales/issues/index";

export async function action({ request, params }: ActionFunctionArgs) {
  const ctx = await requireCountyContext(request, params.county);
  requireCountyAdmin(ctx);
  const input = await readForm(request, { field: "file", max: 1, maxBytes: MAX_IMPORT_BYTES });
  if (!input.ok)
    return json(
      { rows: [], units: [], issues: [{ row: 1, code: "import.refused", message: input.message }] },
      { status: input.status },
    );
  const form = input.form;
  const file = input.files[0];
  if (!file) {
    return json(
      {
        rows: [],
        units: [],
        issues: [{ row: 1, code: "import.no-file", message: { zh: "请选择文件", en: "Choose a file" } }],
      },
      { status: 400 },
    );
  }
  let platforms = { keep: [] as string[], add: [] as Array<{ id: string; name: { zh: string; en?: string } }> };
  const field = jsonField(form, "platforms");
  if (!field.ok)
    return json(
      { rows: [], units: [], issues: [{ row: 1, code: field.issue.code, message: issueMessage(field.issue) }] },
      { status: field.status },
    );
  // The browser always sends the draft's platforms; without them only non-platform units are known.
  const parsed = (field.value ?? {}) as { keep?: unknown; add?: unknown };
  if (Array.isArray(parsed.keep) && Array.isArray(parsed.add)) {
    platforms = {
      keep: parsed.keep.filter((p: unknown): p is string => typeof p === "string"),
      add: parsed.add
        .filter(
          (p: unknown): p is { id: string; name: { zh: string } } =>
            !!p && typeof (p as { id?: unknown }).id === "string",
        )
        .map((p: { id: string; name: { zh: string } }) => ({ id: p.id, name: p.name })),
    };
  }
  const context = await importContext(getPrisma(), String(form.get("template") ?? ""), platforms);
  if (!context) {
    return json(
      {
        rows: [],
        units: [],
        issues: [
          {
            row: 1,
            code: "onboarding.template-missing",
            message: { zh: "请先选择模板", en: "Choose a template first" },
          },
        ],
      },
      { status: 400 },
    );
  }
  const result = await importOrgFile(file.name, file.bytes, context.known, context.defaultParent);
  return json(result, { status: result.issues.length ? 422 : 200 });
}

export async function loader() {
  throw new Response("Not found", { status: 404 });
}
