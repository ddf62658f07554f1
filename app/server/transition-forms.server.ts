// The form a workflow transition asks for, as RJSF gets it: the config's form in the user's
// language, with the township's own data offered as choices.
import type { CompiledConfig } from "#engine/config/index";
import { localizeForm } from "#engine/forms";
import { pickText, type Locale } from "#engine/i18n";

type Json = Record<string, unknown>;
type Choices = { ids: string[]; names: string[] };

export type TransitionForm = { name: string; schema: Json; uiSchema: Json };

const isObject = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);

/**
 * Unit choices, by a naming rule rather than per form: any field whose name ends with "UnitId"
 * (a string) or "UnitIds" (an array of strings) gets the township's org units as choices — `enum`
 * of the unit ids with their localized names as "ui:enumNames", shown as a select, or as
 * checkboxes for an array with uniqueItems. (Not `oneOf` of consts: RJSF fills the first const in
 * as a default, which would silently pick a unit where an empty field means "the category's default".) So a township admin who adds `escortUnitId` to a form gets a unit picker
 * without code, and the config's own "ui:widget": "unit" (which RJSF does not know) is replaced.
 * Only the screen changes: the server validates against the config's schema as it stands, and the
 * engine checks that a chosen unit exists. Fields that already have enum/oneOf choices are left alone.
 */
function injectUnitChoices(schema: Json, uiSchema: Json, choices: Choices) {
  const properties = isObject(schema.properties) ? schema.properties : {};
  for (const [name, prop] of Object.entries(properties)) {
    if (!isObject(prop)) continue;
    const ui = isObject(uiSchema[name]) ? { ...(uiSchema[name] as Json) } : {};
    if (prop.type === "object") {
      injectUnitChoices(prop, ui, choices);
      uiSchema[name] = ui;
      continue;
    }
    const hasChoices = (s: Json) => "enum" in s || "oneOf" in s || "anyOf" in s || "const" in s;
    if (name.endsWith("UnitId") && prop.type === "string" && !hasChoices(prop)) {
      prop.enum = choices.ids;
      ui["ui:enumNames"] = choices.names;
      if (ui["ui:widget"] === undefined || ui["ui:widget"] === "unit") ui["ui:widget"] = "select";
      uiSchema[name] = ui;
    } else if (
      name.endsWith("UnitIds") &&
      prop.type === "array" &&
      isObject(prop.items) &&
      prop.items.type === "string" &&
      !hasChoices(prop.items)
    ) {
      prop.items = { ...prop.items, enum: choices.ids };
      const itemsUi: Json = { ...(isObject(ui.items) ? ui.items : {}), "ui:enumNames": choices.names };
      if (itemsUi["ui:widget"] === "unit") delete itemsUi["ui:widget"];
      if (prop.uniqueItems === true) {
        if (ui["ui:widget"] === undefined) ui["ui:widget"] = "checkboxes";
      } else if (itemsUi["ui:widget"] === undefined) {
        itemsUi["ui:widget"] = "select";
      }
      ui.items = itemsUi;
      uiSchema[name] = ui;
    }
  }
}

/** The transition form `formId` for RJSF, or null when the config has no such form. */
export function transitionFormFor(compiled: CompiledConfig, formId: string, locale: Locale): TransitionForm | null {
  const form = compiled.forms.get(formId);
  if (!form) return null;
  const localized = localizeForm(form, locale);
  const schema = structuredClone(localized.schema);
  const uiSchema = structuredClone(localized.uiSchema);
  const units = compiled.config.org?.units ?? [];
  const choices = { ids: units.map((u) => u.id), names: units.map((u) => pickText(u.name, locale)) };
  injectUnitChoices(schema, uiSchema, choices);
  return { name: pickText(form.name, locale), schema, uiSchema };
}
