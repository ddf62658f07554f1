// The guards config may use (a transition's `guard`, an action's `when`) with the JSON Schemas of
// their params, and the special actors of `by` and notifications. engine/workflow.ts evaluates
// guards; engine/config/checks-workflow.ts validates them.
import type { FromSchema } from "json-schema-to-ts";

import { kindParam, str } from "./actions/kit";

const guardList = {
  type: "array",
  minItems: 1,
  items: { type: "object", required: ["type"], properties: { type: str, params: { type: "object" } } },
} as const;

export const GUARD_PARAMS = {
  "grade-in": {
    type: "object",
    required: ["grades"],
    additionalProperties: false,
    properties: { grades: { type: "array", items: str, minItems: 1 } },
  },
  "category-in": {
    type: "object",
    required: ["categories"],
    additionalProperties: false,
    properties: { categories: { type: "array", items: str, minItems: 1 } },
  },
  "platform-in": {
    type: "object",
    required: ["platforms"],
    additionalProperties: false,
    properties: { platforms: { type: "array", items: str, minItems: 1 } },
  },
  mode: {
    type: "object",
    required: ["mode"],
    additionalProperties: false,
    properties: { mode: { enum: ["peacetime", "wartime"] } },
  },
  assigned: { type: "object", additionalProperties: false, properties: {} },
  escalated: { type: "object", additionalProperties: false, properties: {} },
  "deadline-overdue": kindParam,
  "deadline-met": kindParam,
  "input-in": {
    type: "object",
    required: ["field", "values"],
    additionalProperties: false,
    properties: {
      field: str,
      values: { type: "array", minItems: 1, items: { type: ["string", "number", "boolean"] } },
    },
  },
  all: { type: "object", required: ["guards"], additionalProperties: false, properties: { guards: guardList } },
  any: { type: "object", required: ["guards"], additionalProperties: false, properties: { guards: guardList } },
  not: {
    type: "object",
    required: ["guard"],
    additionalProperties: false,
    properties: {
      guard: { type: "object", required: ["type"], properties: { type: str, params: { type: "object" } } },
    },
  },
} as const;

export type GuardName = keyof typeof GUARD_PARAMS;
export type GuardParams<N extends GuardName> = FromSchema<(typeof GUARD_PARAMS)[N]>;
export const isGuardName = (name: string): name is GuardName => Object.hasOwn(GUARD_PARAMS, name);

/**
 * Special actors, usable in a transition's `by`, in `notify.to` and in `modes.switchBy`:
 * - `$assignee`: a member of the lead or an assisting unit, or a person named in the assignment;
 * - `$lead-assignee`: a member of the lead unit, or a person named in the assignment;
 * - `$grade-analyst`: who analyses the case's grade in the current mode (grades[].analysis);
 * - `$duty-leader`: today's duty leader; in wartime every leadership post holder;
 * - `$leadership`: any holder of a leadership post;
 * - `$reporter`: the person who reported the case;
 * - `$county`: county-centre staff;
 * - `$anyone`: any member of the township (only in `by`).
 */
export const SPECIAL_ACTORS: ReadonlySet<string> = new Set([
  "$assignee",
  "$lead-assignee",
  "$grade-analyst",
  "$duty-leader",
  "$leadership",
  "$reporter",
  "$county",
  "$anyone",
]);
/** Special actors that name nobody in particular, so cannot be notified. */
export const NOT_NOTIFIABLE: ReadonlySet<string> = new Set(["$anyone"]);
