// The JSON Schema (2020-12) of a township config or a template. Written as a TS object so the
// types come from it (json-schema-to-ts) and the same object is published as a .json file.
import type { FromSchema } from "json-schema-to-ts";

export const TOWNSHIP_CONFIG_SCHEMA_ID = "https://gridwork.dev/schemas/township-config.v1.json";

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

/** Who: post ids, `*` (any member), or special actors such as `$assignee` (engine/guards.ts SPECIAL_ACTORS). */
const actorList = { type: "array", items: { type: "string", minLength: 1 } } as const;

const guard = {
  type: "object",
  description:
    'A named condition with its parameters (engine/guards.ts GUARD_PARAMS), e.g. {type: "grade-in", params: {grades: ["major"]}}.',
  required: ["type"],
  additionalProperties: false,
  properties: {
    type: { type: "string", minLength: 1 },
    params: { type: "object" },
  },
} as const;

const transitionEffect = {
  type: "object",
  description: "A named behaviour run when a transition fires, optionally only when a guard holds.",
  required: ["type"],
  additionalProperties: false,
  properties: {
    type: { type: "string", minLength: 1 },
    params: { type: "object" },
    when: guard,
  },
} as const;

const reminder = {
  type: "object",
  required: ["before"],
  additionalProperties: false,
  properties: {
    before: duration,
    label: text,
    notify: { ...actorList, description: "Who is reminded; default the lead assignee ($lead-assignee)." },
  },
} as const;

const ladderStep = {
  type: "object",
  description:
    "One step of the overdue ladder: a named behaviour, `after` the due instant (default: as soon as it is overdue).",
  required: ["type"],
  additionalProperties: false,
  properties: {
    type: { type: "string", minLength: 1 },
    params: { type: "object" },
    after: duration,
    repeat: {
      ...duration,
      description: "Repeat this (last) step at this interval until the deadline is cleared (督办直至办理到位).",
    },
    label: text,
  },
} as const;

const gradeAnalysis = {
  type: "object",
  required: ["by"],
  additionalProperties: false,
  properties: { by: { enum: ["post", "duty-leader", "leadership", "none"] }, post: id },
} as const;

/**
 * Org unit kinds and what each is to the engine, so no engine module names a kind: `role` is what
 * a unit is for permissions and onboarding (a person's `platform` scope is the nearest unit of role
 * platform above them), `group` is how rankings group units and what the scoring targets `village`
 * and `grid` look for.
 */
export const ORG_UNIT_KINDS = {
  "command-room": { role: "command-room", group: "unit" },
  platform: { role: "platform", group: "platform" },
  "special-unit": { role: "platform", group: "unit" },
  module: { role: "platform", group: "unit" },
  village: { role: "village", group: "village" },
  community: { role: "village", group: "village" },
  grid: { role: "grid", group: "grid" },
  "micro-grid": { role: "grid", group: "micro-grid" },
  "joint-force": { role: "unit", group: "unit" },
  "county-centre": { role: "county", group: "unit" },
  "county-department": { role: "county", group: "department" },
  /** A township as its county sees it (属地): a unit naming that township's tenant (`tenant`). */
  locality: { role: "unit", group: "township" },
} as const;
export type OrgUnitKind = keyof typeof ORG_UNIT_KINDS;
export type OrgUnitRole = (typeof ORG_UNIT_KINDS)[OrgUnitKind]["role"];
export type OrgUnitGroup = (typeof ORG_UNIT_KINDS)[OrgUnitKind]["group"];
/** The kind of a township's functional platforms (功能平台): the units onboarding keeps, drops and adds. */
export const PLATFORM_KIND = "platform" satisfies OrgUnitKind;
const ORG_UNIT_KIND_NAMES = [
  "command-room",
  "platform",
  "special-unit",
  "module",
  "village",
  "community",
  "grid",
  "micro-grid",
  "joint-force",
  "county-centre",
  "county-department",
  "locality",
] as const satisfies readonly OrgUnitKind[];

/** A township's local time zone (IANA); China has one, but the engine takes it from config. */
export const DEFAULT_TIME_ZONE = "Asia/Shanghai";

const userId = { type: "string", minLength: 1, maxLength: 64 } as const;
const holders = { type: "array", items: userId, minItems: 1, uniqueItems: true } as const;

/**
 * Who is duty leader (值班领导) on which day. Edited by the township admin; kept apart from the
 * versioned config by the server (a rota changes monthly), or embedded as `dutyRota.schedule`.
 * Precedence: `dates` over `weekly` over `rotation`.
 */
const dutyRotaBody = {
  type: "object",
  additionalProperties: false,
  properties: {
    rotation: {
      type: "object",
      description: "Holders take turns one day each, in this order, from `start` on.",
      required: ["start", "holders"],
      additionalProperties: false,
      properties: { start: { type: "string", format: "date" }, holders },
    },
    weekly: {
      type: "array",
      description: "Fixed holders for weekdays (1 = Monday … 7 = Sunday).",
      items: {
        type: "object",
        required: ["weekdays", "holders"],
        additionalProperties: false,
        properties: {
          weekdays: {
            type: "array",
            items: { type: "integer", minimum: 1, maximum: 7 },
            minItems: 1,
            uniqueItems: true,
          },
          holders,
        },
      },
    },
    dates: {
      type: "array",
      description: "Holders for single dates (holidays, swaps).",
      items: {
        type: "object",
        required: ["date", "holders"],
        additionalProperties: false,
        properties: { date: { type: "string", format: "date" }, holders },
      },
    },
  },
} as const;

export const dutyRotaDataSchema = {
  $schema: "https://json-schema.org/draft/2020-12/schema",
  title: "Gridwork duty rota",
  ...dutyRotaBody,
} as const;

const modeSpec = {
  type: "object",
  additionalProperties: false,
  properties: {
    name: text,
    urgency: { enum: ["normal", "urgent"], description: "Urgency of every notification sent in this mode." },
    grades: {
      type: "object",
      description: "Per grade id: who analyses in this mode, overriding the grade's own `analysis`.",
      propertyNames: id,
      additionalProperties: {
        type: "object",
        required: ["analysis"],
        additionalProperties: false,
        properties: { analysis: gradeAnalysis },
      },
    },
    notifyOnSwitch: { ...actorList, description: "Who is told when the township switches into this mode." },
  },
} as const;

/** Who gets a scoring rule's points; resolved per fact by engine/scoring/. */
const scoringTarget = {
  type: "string",
  description:
    "lead-unit, assist-units, platform, village (the village or community above the case's unit), grid (the grid at or above it), reporting-unit, assignee-users, reporter, actor, source-township (on a county's case: the locality unit of the township it came from), or post:<post id> (that post's holders: all of them for a post with a fixed unit; for a post held per unit, those in the case's unit or above it, its platform or its lead unit).",
  pattern:
    "^(lead-unit|assist-units|platform|village|grid|reporting-unit|assignee-users|reporter|actor|source-township|post:[a-z0-9][a-z0-9-]*)$",
} as const;

const scoringCondition = {
  type: "object",
  description:
    'A named condition on the fact with its parameters (engine/scoring/conditions.ts CONDITION_PARAMS), e.g. {type: "overdue-days", params: {min: 3}}.',
  required: ["type"],
  additionalProperties: false,
  properties: {
    type: { type: "string", minLength: 1 },
    params: { type: "object" },
  },
} as const;

const scoringRule = {
  type: "object",
  required: ["id", "name", "on", "target", "points"],
  additionalProperties: false,
  properties: {
    id,
    name: text,
    on: {
      description:
        "A fact name from engine/scoring/facts.ts FACTS (e.g. case.closed-late), or a transition of a workflow: {transition, workflow?}.",
      // One schema for both shapes (string keywords apply to strings, object keywords to objects): errors stay to the point.
      type: ["string", "object"],
      minLength: 1,
      required: ["transition"],
      additionalProperties: false,
      properties: { transition: id, workflow: id },
    },
    when: scoringCondition,
    target: scoringTarget,
    points: {
      description:
        "Points per fact (negative deducts), or per overdue day with an optional cap on their absolute value: {perDay, max?}.",
      type: ["number", "object"],
      required: ["perDay"],
      additionalProperties: false,
      properties: { perDay: { type: "number" }, max: { type: "number", exclusiveMinimum: 0 } },
    },
    $remove: { const: true },
  },
} as const;

const ratingLevels = {
  type: "array",
  description:
    "Levels from best to worst: a target gets the first level whose `min` its score reaches; the last level has no `min` and takes the rest (e.g. green, yellow, red: 三色管理).",
  minItems: 1,
  items: {
    type: "object",
    required: ["level", "name"],
    additionalProperties: false,
    properties: { level: id, name: text, min: { type: "number" } },
  },
} as const;

/** Evaluation (考评): rules over facts from the audit trail, ratings, appeals. See engine/scoring/. */
const scoringSection = {
  type: "object",
  additionalProperties: false,
  properties: {
    base: {
      type: "number",
      minimum: 0,
      description: "The score every target starts each period with (1000 in a 千分制); default 0.",
    },
    periods: {
      type: "array",
      description: "The periods scores are reported for.",
      items: { enum: ["month", "quarter", "year"] },
      minItems: 1,
      uniqueItems: true,
    },
    closingDeadline: {
      ...id,
      description:
        "The deadline kind whose stop (done or closed) closes a case for scoring; default the config's mainDeadline.",
    },
    feedbackDeadline: {
      ...id,
      default: "review",
      description: "The deadline kind of the feedback review (反馈, 5 working days).",
    },
    revisit: {
      type: "object",
      description: "How a satisfaction revisit (回访评价) is read from a transition's form.",
      additionalProperties: false,
      properties: {
        field: {
          type: "string",
          minLength: 1,
          default: "satisfaction",
          description: "The form field holding the result.",
        },
        satisfied: {
          type: "array",
          items: { type: "string", minLength: 1 },
          minItems: 1,
          default: ["satisfied"],
          description: "Values that count as satisfied.",
        },
        dissatisfied: {
          type: "array",
          items: { type: "string", minLength: 1 },
          minItems: 1,
          default: ["unsatisfied"],
          description: "Values that count as dissatisfied.",
        },
      },
    },
    rules: { type: "array", items: scoringRule },
    ratings: {
      type: "object",
      description: "Rating levels per kind of target.",
      additionalProperties: false,
      properties: {
        grid: ratingLevels,
        "micro-grid": ratingLevels,
        village: ratingLevels,
        platform: ratingLevels,
        unit: ratingLevels,
        department: ratingLevels,
        township: ratingLevels,
        user: ratingLevels,
      },
    },
    appeal: {
      type: "object",
      description:
        "Appeals (申诉) against a score entry run as cases of a config workflow; an appeal that reaches `upheldState` reverses the entry.",
      required: ["workflow", "form", "upheldState"],
      additionalProperties: false,
      properties: {
        workflow: id,
        form: { ...id, description: "The form an appeal is filed with." },
        upheldState: id,
        rejectedState: id,
        entryField: {
          type: "string",
          minLength: 1,
          default: "scoreKey",
          description: "The form field naming the disputed entry (its dedupe key).",
        },
      },
    },
  },
} as const;

/** Columns a workbench list can show (the server knows how to render each). */
export const VIEW_COLUMNS = [
  "number",
  "title",
  "category",
  "grade",
  "status",
  "orgUnit",
  "platform",
  "reporter",
  "reportedAt",
  "dueAt",
  "leadUnit",
] as const;

const viewFilter = {
  type: "object",
  description: "Which cases a tab lists; every given condition must hold, always within what the user may read.",
  additionalProperties: false,
  properties: {
    states: { type: "array", items: id, minItems: 1, uniqueItems: true },
    mine: {
      enum: ["assigned", "reported", "unit"],
      description: "assigned: my unit leads or assists; reported: I reported it; unit: it happened in my unit.",
    },
    due: {
      enum: ["overdue", "soon", "any"],
      description: "overdue: past its due instant; soon: due within 2 days; any: has a running deadline.",
    },
    supervised: { type: "boolean", description: "true: has an open supervision sheet (督办单); false: has none." },
    grades: { type: "array", items: id, minItems: 1, uniqueItems: true },
    categories: { type: "array", items: id, minItems: 1, uniqueItems: true },
  },
} as const;

const viewsSection = {
  type: "object",
  description: "Screens generated from the config: one workbench per group of posts, its tabs and list columns.",
  additionalProperties: false,
  properties: {
    workbenches: {
      type: "array",
      description: 'A user gets the first workbench naming one of their posts (or "*").',
      items: {
        type: "object",
        required: ["id", "name", "posts", "tabs"],
        additionalProperties: false,
        properties: {
          id,
          name: text,
          posts: {
            type: "array",
            items: { type: "string", minLength: 1 },
            minItems: 1,
            description: 'Post ids, or "*" for every member.',
          },
          tabs: {
            type: "array",
            minItems: 1,
            items: {
              type: "object",
              required: ["id", "name", "filter"],
              additionalProperties: false,
              properties: { id, name: text, filter: viewFilter },
            },
          },
          columns: { type: "array", items: { enum: VIEW_COLUMNS }, minItems: 1, uniqueItems: true },
        },
      },
    },
    doneStates: {
      type: "array",
      items: id,
      uniqueItems: true,
      description: "States that count as closed (办结) on dashboards, besides final states.",
    },
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
    kind: {
      enum: ["template", "township", "county"],
      description:
        "A county config is a config whose tenant is a county centre (its own posts, departments, calendar, workflows).",
    },
    id,
    version: { type: "string", pattern: "^\\d+\\.\\d+\\.\\d+$" },
    name: text,
    description: text,
    releaseNotes: {
      ...text,
      description: "A template version's release notes: what changed since the previous version. Not inherited.",
    },
    extends: {
      type: "string",
      description: "A published template version this config builds on: <template-id>@<version>.",
      pattern: "^[a-z0-9][a-z0-9-]*@\\d+\\.\\d+\\.\\d+$",
    },
    locale: { enum: ["zh-CN", "en"], default: "zh-CN" },
    timeZone: {
      type: "string",
      minLength: 1,
      default: DEFAULT_TIME_ZONE,
      description: "The township's IANA time zone: working days, due dates, duty days and score periods are cut in it.",
    },
    mainDeadline: {
      ...id,
      default: "handle",
      description:
        "The deadline kind a case is handled under (办理时限): what set-deadline, pause/resume/clear-deadline and the deadline guards mean without a `kind`, what return-to-sender stops, what supervision sheets and principal talks refer to, and scoring's closingDeadline by default.",
    },
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
                enum: ORG_UNIT_KIND_NAMES,
                description: `Role of each kind (ORG_UNIT_KINDS): ${ORG_UNIT_KIND_NAMES.map((k) => `${k} → ${ORG_UNIT_KINDS[k].role}/${ORG_UNIT_KINDS[k].group}`).join(", ")}.`,
              },
              name: text,
              parent: id,
              gridType: { enum: ["comprehensive", "dedicated"] },
              tenant: {
                ...id,
                description:
                  "On a county's `locality` unit: the code of the township tenant it stands for; scoring's `source-township` target resolves to it.",
              },
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
        wartime: { enum: ["all-leadership"], description: "In wartime every leadership post holder is on duty (24h)." },
        handover: {
          type: "string",
          pattern: "^([01]\\d|2[0-3]):[0-5]\\d$",
          description: "Local time (the config's timeZone) the duty day starts, e.g. 08:30; default 00:00.",
        },
        schedule: { ...dutyRotaBody, description: "A rota kept in the config (the server may keep it apart instead)." },
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
          analysis: gradeAnalysis,
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
          routing: {
            type: "object",
            additionalProperties: false,
            properties: { leadUnit: id, assistUnits: { type: "array", items: id } },
          },
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
              en: {
                type: "object",
                additionalProperties: false,
                properties: { schema: { type: "object" }, uiSchema: { type: "object" } },
              },
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
          fanOut: {
            type: "object",
            required: ["townships", "due", "by"],
            additionalProperties: false,
            description:
              "In a county config, a task workflow sent down (任务下达, ADR 041): the intake form's fields naming the townships (empty: all) and the due date; the posts that supervise and evaluate each township's case.",
            properties: {
              townships: { type: "string", minLength: 1 },
              due: { type: "string", minLength: 1 },
              by: { type: "array", items: id, minItems: 1 },
            },
          },
          initial: id,
          onIntake: {
            type: "array",
            items: effect,
            description:
              "Actions run when a case is reported: notify (posts) and set-deadline (an intake deadline, 受理时限, under its own policy; every transition out of `initial` must end it).",
          },
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
                progress: {
                  enum: ["arrived", "distributed", "in-progress", "fed-back", "accepted"],
                  description:
                    "In a township's task workflow: what this state is in the county's tracking view (ADR 041).",
                },
                returnsTo: {
                  ...id,
                  description:
                    "In a county config, a final state of a case escalated by a township: the township case's $county transition that fires with the result (e.g. county-report-back).",
                },
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
                by: {
                  type: "array",
                  items: { type: "string" },
                  description: "Posts that may fire it, or special actors.",
                },
                form: id,
                guard,
                effects: { type: "array", items: transitionEffect },
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
          wartime: {
            ...duration,
            description: "Replaces `handle` for deadlines set while the township is in wartime.",
          },
          reminders: {
            type: "array",
            items: reminder,
            description: "Before the due instant, furthest first (催办, 不到2日件, 不到1日件).",
          },
          wartimeReminders: {
            type: "array",
            items: reminder,
            description: "Replaces `reminders` for deadlines set in wartime.",
          },
          overdueLadder: {
            type: "array",
            items: ladderStep,
            description: "After the due instant, in order (督办单, 约谈 …).",
          },
          feedbackWindow: {
            ...duration,
            description: "Time to report on a supervision sheet (反馈, e.g. 5 working days).",
          },
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
          workdays: {
            type: "array",
            items: { type: "string", format: "date" },
            description: "Make-up working days (调休).",
          },
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
          posts: {
            type: "array",
            items: { type: "string" },
            minItems: 1,
            description: 'Post ids, or "*" for every member.',
          },
          action: { enum: ["read", "create", "update", "transition", "export", "manage", "read-masked"] },
          subject: { enum: ["Case", "Config", "Membership", "Audit", "Report"] },
          scope: { enum: ["own", "unit", "unit-subtree", "platform", "assigned", "township"], default: "township" },
          categories: {
            type: "array",
            items: id,
            minItems: 1,
            uniqueItems: true,
            description:
              "Only cases of these category ids (e.g. which categories a post may report); without it, every category.",
          },
          fields: { type: "array", items: { type: "string" } },
          inverted: { type: "boolean" },
          reason: text,
        },
      },
    },
    scoring: scoringSection,
    views: viewsSection,
    modes: {
      type: "object",
      description: "Peacetime and wartime (平战转换): switching is one action; deadlines, duty and routing follow.",
      additionalProperties: false,
      properties: {
        switchBy: { ...actorList, description: "Who may switch the township between modes." },
        peacetime: modeSpec,
        wartime: modeSpec,
      },
    },
  },
} as const;

export type TownshipConfig = FromSchema<typeof townshipConfigSchema, { keepDefaultedPropertiesOptional: true }>;
export type DutyRotaData = FromSchema<typeof dutyRotaDataSchema>;
