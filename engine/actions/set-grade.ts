// set-grade: take the case's grade from a form field.
import type { FromSchema } from "json-schema-to-ts";
import { defineAction, fieldIssue, str } from "./kit";

const params = { type: "object", additionalProperties: false, properties: { field: str } } as const;

export default defineAction<FromSchema<typeof params>>(params, {
  places: ["transition"],
  check(kit, p, { path }) {
    // Without `field` the action reads `gradeId`; an issue about the default points at the action.
    kit.checkField(p.field ?? "gradeId", p.field ? [...path, "params", "field"] : path);
  },
  run(run, p) {
    const field = p.field ?? "gradeId";
    const value = run.input[field];
    if (value === undefined) return [];
    if (typeof value !== "string" || !run.config.grades.has(value)) return [fieldIssue(field, "grade.unknown")];
    run.draft.gradeId = value;
    return [];
  },
});
