// Phone and ID-number fields are masked in every shipped form, and a config that adds one in the
// clear is refused, so a new template or a designed form cannot regress.
import { describe, expect, it } from "vitest";
import { withMessage } from "#app/locales/issues/index";
import { personalKind } from "#engine/config/checks-masking";
import { validateTownshipConfig } from "#engine/config/validate";
import { addField, designerToForm, formToDesigner, type ConfigForm } from "#engine/form-designer";
import { demoConfig, listTenantJson, readTenantJson } from "./helpers";

const shippedFields = [...listTenantJson("templates"), ...listTenantJson("townships")].flatMap((file) => {
  const doc = readTenantJson(file) as { forms?: Record<string, ConfigForm> };
  return Object.entries(doc.forms ?? {}).flatMap(([formId, form]) =>
    Object.entries((form.schema.properties ?? {}) as Record<string, unknown>).map(([key, property]) => ({
      at: `${file} ${formId}.${key}`,
      key,
      property,
      form,
    })),
  );
});

describe("personal fields", () => {
  it.each([
    ["a mainland mobile pattern", "contact", { type: "string", pattern: "^1\\d{10}$" }, "phone"],
    ["an ID-number pattern", "holder", { type: "string", pattern: "^\\d{17}[\\dXx]$" }, "id-number"],
    ["a phone format", "reach", { type: "string", format: "tel" }, "phone"],
    ["its key", "ownerPhone", { type: "string" }, "phone"],
    ["its title", "contact", { type: "string", title: "联系电话" }, "phone"],
    ["its title (ID)", "holder", { type: "string", title: "当事人身份证号" }, "id-number"],
    ["free text", "summary", { type: "string", title: "事件概要" }, null],
    ["a pattern that takes any text", "note", { type: "string", pattern: ".*" }, null],
    ["a number", "parties", { type: "integer", title: "涉及人数" }, null],
  ])("are found by %s", (_what, key, property, kind) => {
    expect(personalKind(key, property)).toBe(kind);
  });

  it("are masked in every shipped template and township form", () => {
    const found = shippedFields.filter((f) => personalKind(f.key, f.property));
    expect(found.map((f) => f.at)).toEqual(
      expect.arrayContaining([
        expect.stringContaining("intake-service.contactPhone"),
        expect.stringContaining("intake-dispute.partyIdNumber"),
      ]),
    );
    for (const f of found) expect(f.form.maskedFields ?? [], f.at).toContain(f.key);
  });

  it("in the clear make a config invalid, naming the field and the fix", () => {
    const config = demoConfig();
    config.forms["intake-hazard"].schema.properties.reporterMobile = {
      type: "string",
      title: "报告人手机",
      pattern: "^1\\d{10}$",
    };
    const result = validateTownshipConfig(config);
    expect(result.ok).toBe(false);
    expect(!result.ok && result.issues.map(withMessage)).toEqual([
      {
        path: "/forms/intake-hazard/maskedFields",
        code: "form.personal-field-unmasked",
        params: { formId: "intake-hazard", key: "reporterMobile", kind: "phone" },
        message: {
          zh: "表单“intake-hazard”的字段“reporterMobile”是电话号码，必须脱敏：请把它加入 maskedFields",
          en: 'Field "reporterMobile" of form "intake-hazard" holds a phone number and must be masked: add it to maskedFields',
        },
      },
    ]);
    config.forms["intake-hazard"].maskedFields = ["reporterMobile"];
    expect(validateTownshipConfig(config).ok).toBe(true);
  });

  it.each([
    ["a phone field", "phone" as const, "电话"],
    ["a text field titled as an ID number", "text" as const, "身份证号码"],
  ])("added in the form designer are masked: %s", (_what, type, title) => {
    const config = demoConfig();
    const model = addField(formToDesigner(config.forms["intake-hazard"] as ConfigForm), type);
    model.fields.at(-1)!.title = { zh: title };
    const form = designerToForm(model);
    expect(form.maskedFields).toEqual([model.fields.at(-1)!.key]);
    config.forms["intake-hazard"] = form;
    expect(validateTownshipConfig(config).ok).toBe(true);
  });
});
