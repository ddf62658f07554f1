// assign: set the lead and assisting units (and named people) from the form, the category's routing, or both.
import type { FromSchema } from "json-schema-to-ts";
import { escapePointerToken, type Issue } from "#engine/issues";
import { defineAction, fieldIssue, str, stringField } from "./kit";

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
