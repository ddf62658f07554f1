// The JSON Schema (2020-12) of a township config or a template. Written as a TS object so the
// types come from it (json-schema-to-ts) and the same object is published as a .json file.
import type { FromSchema } from "json-schema-to-ts";

export const TOWNSHIP_CONFIG_SCHEMA_ID = "https://gridwork.dev/schemas/township-config/v1.json";

const id = { type: "string", pattern: "^[a-z0-9][a-z0-9-]*$", minLength: 1, maxLength: 64 } as const;

const text = {
  type: "object",
  description: "Text shown to people: Chinese first, English optional.",
  required: ["zh"],
  additionalProperties: false,
  properties: { zh: { type: "string", minLength: 1 }, en: { type: "string", minLength: 1 } },
} as const;

const jsonSchemaObject = {
  type: "object",
  description: "A JSON Schema (2020-12) object; checked as a schema at validation time.",
} as const;

const effect = {
  type: "object",
  description: "A named behaviour with its parameters, resolved by the engine's registry.",
  required: ["type"],
  additionalProperties: false,
  properties: {
    type: { type: "string", minLength: 1 },
    params: { type: "object" },
  },
} as const;

const duration = {
  type: "object",
  required: ["amount", "unit"],
  additionalProperties: false,
  properties: {
    amount: { type: "number", exclusiveMinimum: 0 },
    unit: { enum: ["working-days", "calendar-days", "hours"] },
  },
} as const;

export const townshipConfigSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  $id: TOWNSHIP_CONFIG_SCHEMA_ID,
  title: "Gridwork township config",
  type: "object",
  required: ["kind", "id", "version", "name"],
  additionalProperties: false,
  properties: {
    $schema: { type: "string" },
    kind: { enum: ["template", "township"] },
    id,
    version: { type: "string", pattern: "^\\d+\\.\\d+\\.\\d+$" },
    name: text,
    description: text,
    extends: {
      type: "string",
      description: "A published template version this config builds on: <template-id>@<version>.",
      pattern: "^[a-z0-9][a-z0-9-]*@\\d+\\.\\d+\\.\\d+$",
    },
    locale: { enum: ["zh-CN", "en"], default: "zh-CN" },
    org: {
      type: "object",
      additionalProperties: false,
      properties: {
        units: {
          type: "array",
          items: {
            type: "object",
            required: ["id", "kind", "name"],
            additionalProperties: false,
            properties: {
              id,
              kind: {
                enum: ["command-room", "platform", "special-unit", "module", "village", "community", "grid", "micro-grid", "joint-force", "county-department"],
              },
              name: text,
              parent: id,
              gridType: { enum: ["comprehensive", "dedicated"] },
              $remove: { const: true },
            },
          },
        },
      },
    },
    posts: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "kind", "name"],
        additionalProperties: false,
        properties: {
          id,
          kind: { enum: ["leadership", "working", "grid-team", "external"] },
          name: text,
          unit: { ...id, description: "The unit this post belongs to (a platform, the command room …)." },
          unitKinds: {
            type: "array",
            description: "For posts held in many units of a kind (a grid worker in each grid).",
            items: { type: "string" },
          },
          $remove: { const: true },
        },
      },
    },
    dutyRota: {
      type: "object",
      additionalProperties: false,
      properties: {
        post: { ...id, description: "The post whose holders take turns as duty leader." },
        wartime: { enum: ["all-leadership"] },
      },
    },
    grades: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "name", "analysis"],
        additionalProperties: false,
        properties: {
          id,
          name: text,
          analysis: {
            type: "object",
            required: ["by"],
            additionalProperties: false,
            properties: { by: { enum: ["post", "duty-leader", "none"] }, post: id },
          },
          $remove: { const: true },
        },
      },
    },
    categories: {
      type: "array",
      items: {
        type: "object",
        required: ["id", "name", "platform", "defaultGrade", "intakeForm", "workflow"],
        additionalProperties: false,
        properties: {
          id,
          name: text,
          parent: id,
          platform: id,
          defaultGrade: id,
          intakeForm: id,
          workflow: id,
          deadlinePolicy: id,
          requiredAttachments: { type: "array", items: { type: "string" } },
          routing: { type: "object", additionalProperties: false, properties: { leadUnit: id, assistUnits: { type: "array", items: id } } },
          $remove: { const: true },
        },
      },
    },
    forms: {
      type: "object",
      propertyNames: id,
      additionalProperties: {
        type: "object",
        required: ["name", "schema"],
        additionalProperties: false,
        properties: {
          name: text,
          schema: jsonSchemaObject,
          uiSchema: { type: "object" },
          titleField: { type: "string", description: "The field whose value titles the case." },
          maskedFields: { type: "array", items: { type: "string" } },
          i18n: {
            type: "object",
            description: "Per-language overlays deep-merged onto schema/uiSchema (titles, help text).",
            additionalProperties: false,
            properties: {
              en: { type: "object", additionalProperties: false, properties: { schema: { type: "object" }, uiSchema: { type: "object" } } },
            },
          },
        },
      },
    },
    workflows: {
      type: "object",
      propertyNames: id,
      additionalProperties: {
        type: "object",
        required: ["name", "initial", "states"],
        additionalProperties: false,
        properties: {
          name: text,
          kind: { enum: ["case", "task"] },
          initial: id,
          onIntake: { type: "array", items: effect },
          states: {
            type: "object",
            propertyNames: id,
            additionalProperties: {
              type: "object",
              required: ["name"],
              additionalProperties: false,
              properties: {
                name: text,
                final: { type: "boolean" },
                color: { enum: ["grey", "blue", "orange", "green", "red"] },
              },
            },
          },
          transitions: {
            type: "array",
            items: {
              type: "object",
              required: ["id", "from", "to", "name"],
              additionalProperties: false,
              properties: {
                id,
                name: text,
                from: { type: "array", items: id, minItems: 1 },
                to: id,
                by: { type: "array", items: { type: "string" }, description: "Posts that may fire it, or special actors." },
                form: id,
                guard: effect,
                effects: { type: "array", items: effect },
              },
            },
          },
        },
      },
    },
    deadlinePolicies: {
      type: "object",
      propertyNames: id,
      additionalProperties: {
        type: "object",
        required: ["handle"],
        additionalProperties: false,
        properties: {
          calendar: id,
          handle: duration,
          wartime: duration,
          reminders: { type: "array", items: { type: "object", required: ["before"], additionalProperties: false, properties: { before: duration, label: text } } },
          overdueLadder: { type: "array", items: effect },
          feedbackWindow: duration,
        },
      },
    },
    calendars: {
      type: "object",
      propertyNames: id,
      additionalProperties: {
        type: "object",
        additionalProperties: false,
        properties: {
          base: { type: "string", description: "A shipped official calendar, e.g. cn-mainland." },
          holidays: { type: "array", items: { type: "string", format: "date" } },
          workdays: { type: "array", items: { type: "string", format: "date" }, description: "Make-up working days (调休)." },
        },
      },
    },
    permissions: {
      type: "array",
      items: {
        type: "object",
        required: ["posts", "action", "subject"],
        additionalProperties: false,
        properties: {
          posts: { type: "array", items: { type: "string" }, minItems: 1, description: "Post ids, or \"*\" for every member." },
          action: { enum: ["read", "create", "update", "transition", "export", "manage", "read-masked"] },
          subject: { enum: ["Case", "Config", "Membership", "Audit", "Report"] },
          scope: { enum: ["own", "unit", "unit-subtree", "platform", "township"], default: "township" },
          fields: { type: "array", items: { type: "string" } },
          inverted: { type: "boolean" },
          reason: text,
        },
      },
    },
    scoring: { type: "object" },
    views: { type: "object" },
    modes: { type: "object" },
  },
} as const;

export type TownshipConfig = FromSchema<typeof townshipConfigSchema, { keepDefaultedPropertiesOptional: true }>;
export type I18nText = FromSchema<typeof text>;
