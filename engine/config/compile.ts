// A validated config turned into lookups and compiled validators, built once per config version.
import { createAjv, type ValidateFunction } from "#engine/ajv";
import { buildCalendar, type CalendarData, type CalendarFile, type WorkingCalendar } from "#engine/calendar";
import { OrgTree } from "#engine/org";
import { configDefaults, type ConfigDefaults } from "./defaults";
import type { TownshipConfig } from "#schemas/township-config";

type Item<T> = T extends readonly (infer U)[] ? U : never;
export type Category = Item<NonNullable<TownshipConfig["categories"]>>;
export type Grade = Item<NonNullable<TownshipConfig["grades"]>>;
type Post = Item<NonNullable<TownshipConfig["posts"]>>;
export type FormDefinition = NonNullable<TownshipConfig["forms"]>[string];
export type Workflow = NonNullable<TownshipConfig["workflows"]>[string];
export type DeadlinePolicy = NonNullable<TownshipConfig["deadlinePolicies"]>[string];

export type CompileOptions = {
  /**
   * Shipped calendars named by `calendars.<id>.base` (e.g. tenants/calendars/cn-mainland.json, read
   * by the server): the engine reads no files. See `calendarBasesNeeded`.
   */
  calendarBases?: Readonly<Record<string, CalendarFile | CalendarData>>;
};

/** The shipped calendar files a config needs passed to compileConfig. */
export function calendarBasesNeeded(config: TownshipConfig): string[] {
  return [...new Set(Object.values(config.calendars ?? {}).flatMap((c) => (c.base ? [c.base] : [])))].sort();
}

export type CompiledConfig = {
  config: TownshipConfig;
  /** What the config leaves out, resolved (main deadline, scoring fields, time zone). */
  defaults: ConfigDefaults;
  org: OrgTree;
  categories: ReadonlyMap<string, Category>;
  grades: ReadonlyMap<string, Grade>;
  posts: ReadonlyMap<string, Post>;
  forms: ReadonlyMap<string, FormDefinition>;
  workflows: ReadonlyMap<string, Workflow>;
  policies: ReadonlyMap<string, DeadlinePolicy>;
  /** Leadership post ids, in config order (the first is the principal leader by default). */
  leadershipPosts: readonly string[];
  formValidator(formId: string): ValidateFunction;
  /**
   * The working calendar `calendars.<id>` (its base plus the tenant's own dates); without an id,
   * weekends only. Throws when the base was not passed to compileConfig: a wiring error.
   */
  calendar(calendarId: string | undefined): WorkingCalendar;
};

export function compileConfig(config: TownshipConfig, options: CompileOptions = {}): CompiledConfig {
  // Form schemas were checked against the meta-schema when the config was validated.
  const ajv = createAjv({ validateSchema: false });
  const validators = new Map<string, ValidateFunction>();
  const forms = new Map(Object.entries(config.forms ?? {}));
  const calendars = new Map<string, WorkingCalendar>();
  const defaults = configDefaults(config);
  return {
    config,
    defaults,
    org: new OrgTree(config.org?.units ?? []),
    categories: new Map((config.categories ?? []).map((c) => [c.id, c])),
    grades: new Map((config.grades ?? []).map((g) => [g.id, g])),
    posts: new Map((config.posts ?? []).map((p) => [p.id, p])),
    forms,
    workflows: new Map(Object.entries(config.workflows ?? {})),
    policies: new Map(Object.entries(config.deadlinePolicies ?? {})),
    leadershipPosts: (config.posts ?? []).filter((p) => p.kind === "leadership").map((p) => p.id),
    calendar(calendarId) {
      const key = calendarId ?? "";
      let cal = calendars.get(key);
      if (!cal) {
        const def = calendarId === undefined ? undefined : config.calendars?.[calendarId];
        if (calendarId !== undefined && (!def || !Object.hasOwn(config.calendars ?? {}, calendarId)))
          throw new Error(`Unknown calendar ${calendarId}`);
        const base = def?.base === undefined ? undefined : options.calendarBases?.[def.base];
        if (def?.base !== undefined && !base)
          throw new Error(`Calendar base "${def.base}" was not passed to compileConfig (calendarBases)`);
        cal = buildCalendar(base, {
          holidays: def?.holidays ?? [],
          workdays: def?.workdays ?? [],
          timeZone: defaults.timeZone,
        });
        calendars.set(key, cal);
      }
      return cal;
    },
    formValidator(formId) {
      let v = validators.get(formId);
      if (!v) {
        const form = forms.get(formId);
        if (!form) throw new Error(`Unknown form ${formId}`);
        v = ajv.compile(form.schema);
        validators.set(formId, v);
      }
      return v;
    },
  };
}
