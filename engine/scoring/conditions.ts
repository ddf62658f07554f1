// Conditions: a rule's `when`.
import type { Fact, FactAttribute } from "./facts";
import { strings } from "./shared";

const strList = { type: "array", items: { type: "string", minLength: 1 }, minItems: 1 } as const;
const nested = {
  type: "object",
  required: ["type"],
  properties: { type: { type: "string", minLength: 1 }, params: { type: "object" } },
} as const;

/** Every condition a rule's `when` may name, with the JSON Schema of its params. */
export const CONDITION_PARAMS = {
  "grade-in": { type: "object", required: ["grades"], additionalProperties: false, properties: { grades: strList } },
  "category-in": {
    type: "object",
    required: ["categories"],
    additionalProperties: false,
    properties: { categories: strList },
  },
  "platform-in": {
    type: "object",
    required: ["platforms"],
    additionalProperties: false,
    properties: { platforms: strList },
  },
  "workflow-in": {
    type: "object",
    required: ["workflows"],
    additionalProperties: false,
    properties: { workflows: strList },
  },
  "transition-in": {
    type: "object",
    required: ["transitions"],
    additionalProperties: false,
    properties: { transitions: strList },
  },
  "deadline-in": {
    type: "object",
    required: ["deadlines"],
    additionalProperties: false,
    properties: { deadlines: strList },
  },
  "satisfaction-in": {
    type: "object",
    required: ["values"],
    additionalProperties: false,
    properties: { values: strList },
  },
  "overdue-days": {
    type: "object",
    minProperties: 1,
    additionalProperties: false,
    properties: { min: { type: "number", minimum: 0 }, max: { type: "number", minimum: 0 } },
  },
  "trigger-in": {
    type: "object",
    required: ["triggers"],
    additionalProperties: false,
    properties: { triggers: { type: "array", items: { enum: ["ladder", "manual"] }, minItems: 1 } },
  },
  "input-in": {
    type: "object",
    required: ["field", "values"],
    additionalProperties: false,
    properties: {
      field: { type: "string", minLength: 1 },
      values: { type: "array", minItems: 1, items: { type: ["string", "number", "boolean"] } },
    },
  },
  all: {
    type: "object",
    required: ["conditions"],
    additionalProperties: false,
    properties: { conditions: { type: "array", items: nested, minItems: 1 } },
  },
  any: {
    type: "object",
    required: ["conditions"],
    additionalProperties: false,
    properties: { conditions: { type: "array", items: nested, minItems: 1 } },
  },
  not: { type: "object", required: ["condition"], additionalProperties: false, properties: { condition: nested } },
} as const;

export type ConditionName = keyof typeof CONDITION_PARAMS;
export const isConditionName = (name: string): name is ConditionName => Object.hasOwn(CONDITION_PARAMS, name);
/** The fact attribute a condition reads: on a fact without it, the condition never holds. */
export const CONDITION_NEEDS: Partial<Record<ConditionName, FactAttribute>> = {
  "deadline-in": "deadline",
  "satisfaction-in": "satisfaction",
  "overdue-days": "overdueDays",
  "trigger-in": "trigger",
  "transition-in": "transition",
  "input-in": "input",
};

type Spec = { type: string; params?: Record<string, unknown> };

/** Whether a (validated) condition holds for a fact. */
export function conditionHolds(spec: Spec, fact: Fact): boolean {
  const p = (spec.params ?? {}) as Record<string, unknown>;
  const list = (key: string) => strings(p[key]);
  switch (spec.type) {
    case "grade-in":
      return list("grades").includes(fact.gradeId);
    case "category-in":
      return list("categories").includes(fact.categoryId);
    case "platform-in":
      return list("platforms").includes(fact.platformId);
    case "workflow-in":
      return list("workflows").includes(fact.workflowId);
    case "transition-in":
      return fact.transitionId !== undefined && list("transitions").includes(fact.transitionId);
    case "deadline-in":
      return fact.deadlineKind !== undefined && list("deadlines").includes(fact.deadlineKind);
    case "satisfaction-in":
      return fact.satisfaction !== undefined && list("values").includes(fact.satisfaction);
    case "overdue-days": {
      if (fact.overdueDays === undefined) return false;
      const min = typeof p.min === "number" ? p.min : -Infinity;
      const max = typeof p.max === "number" ? p.max : Infinity;
      return fact.overdueDays >= min && fact.overdueDays <= max;
    }
    case "trigger-in":
      return fact.trigger !== undefined && list("triggers").includes(fact.trigger);
    case "input-in":
      return fact.input !== undefined && (p.values as unknown[]).includes(fact.input[p.field as string]);
    case "all":
      return (p.conditions as Spec[]).every((c) => conditionHolds(c, fact));
    case "any":
      return (p.conditions as Spec[]).some((c) => conditionHolds(c, fact));
    case "not":
      return !conditionHolds(p.condition as Spec, fact);
    default:
      throw new Error(`Unknown scoring condition ${spec.type}`);
  }
}
