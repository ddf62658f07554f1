// assign: set the lead and assisting units (and named people) from the form, the category's routing, or both.
import type { FromSchema } from "json-schema-to-ts";
import { escapePointerToken, type Issue } from "#engine/issues";
import type { FormDefinition } from "#engine/config/compile";
import type { TownshipConfig } from "#schemas/township-config";
import { type AssignTarget, defineAction, fieldIssue, str, stringField } from "./kit";

/**
 * The units a form field may name: its own `enum` (of the string, or of an array's items), else
 * every unit (the screen offers them all, and the engine takes any unit that exists).
 */
function unitChoices(config: TownshipConfig, form: FormDefinition | undefined, field: string): string[] {
  const props = (form?.schema as { properties?: Record<string, unknown> } | undefined)?.properties;
  const prop = props && Object.hasOwn(props, field) ? (props[field] as Record<string, unknown>) : undefined;
  if (!prop || typeof prop !== "object") return [];
  const choices = (prop.type === "array" ? (prop.items as Record<string, unknown> | undefined) : prop)?.enum;
  const units = (config.org?.units ?? []).map((u) => u.id);
  return Array.isArray(choices) ? units.filter((u) => choices.includes(u)) : units;
}

const params = {
  type: "object",
  additionalProperties: false,
  properties: {
    from: { enum: ["input", "routing", "input-or-routing"] },
    leadField: str,
    assistField: str,
    usersField: str,
  },
} as const;

export default defineAction<FromSchema<typeof params>>(params, {
  places: ["transition"],
  check(kit, p, { path }) {
    if (p.from === "input" && !kit.hasForm)
      kit.report(kit.issue([...path, "params", "from"], "effect.needs-form", { use: "assign" }));
    for (const key of ["leadField", "assistField", "usersField"] as const)
      kit.checkField(p[key], [...path, "params", key]);
  },
  assigns(p, { config, form, categories }) {
    const from = p.from ?? "input-or-routing";
    const all = categories.map((c) => c.id);
    const out: AssignTarget[] = [];
    if (from !== "routing") {
      for (const unit of unitChoices(config, form, p.leadField ?? "leadUnitId"))
        out.push({ as: "lead", unit, categories: all });
      for (const unit of unitChoices(config, form, p.assistField ?? "assistUnitIds"))
        out.push({ as: "assist", unit, categories: all });
    }
    if (from !== "input") {
      for (const c of categories) {
        if (c.routing?.leadUnit) out.push({ as: "lead", unit: c.routing.leadUnit, categories: [c.id] });
        for (const unit of c.routing?.assistUnits ?? []) out.push({ as: "assist", unit, categories: [c.id] });
      }
    }
    return out;
  },
  run(run, p) {
    const from = p.from ?? "input-or-routing";
    const leadField = p.leadField ?? "leadUnitId";
    const assistField = p.assistField ?? "assistUnitIds";
    const usersField = p.usersField ?? "assigneeUserIds";
    const routing = run.config.categories.get(run.draft.categoryId)?.routing;
    const fromInput = from !== "routing";
    const fromRouting = from !== "input";
    const inputLead = fromInput ? stringField(run.input, leadField) : undefined;
    const lead = inputLead ?? (fromRouting ? routing?.leadUnit : undefined);
    const inputAssist =
      fromInput && Array.isArray(run.input[assistField])
        ? (run.input[assistField] as unknown[]).filter((u): u is string => typeof u === "string")
        : undefined;
    const assist = inputAssist ?? (fromRouting ? (routing?.assistUnits ?? []) : []);
    const users =
      fromInput && Array.isArray(run.input[usersField])
        ? (run.input[usersField] as unknown[]).filter((u): u is string => typeof u === "string")
        : undefined;
    const issues: Issue[] = [];
    if (!lead) issues.push(fieldIssue(leadField, "assignment.lead-missing"));
    else if (!run.config.org.byId.has(lead)) issues.push(fieldIssue(leadField, "unit.unknown", { unit: lead }));
    assist.forEach((u, i) => {
      if (!run.config.org.byId.has(u))
        issues.push({
          ...fieldIssue(assistField, "unit.unknown", { unit: u }),
          path: `/input/${escapePointerToken(assistField)}/${i}`,
        });
    });
    if (issues.length) return issues;
    run.draft.assignment = {
      leadUnitId: lead!,
      assistUnitIds: [...new Set(assist)].filter((u) => u !== lead),
      ...(users?.length ? { assigneeUserIds: [...new Set(users)] } : {}),
      assignedBy: run.actor.userId,
      assignedAt: run.now.toISOString(),
    };
    return [];
  },
});
