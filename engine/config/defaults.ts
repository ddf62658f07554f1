// What a config may leave out, resolved once per config from the schema's `default`s: the engine
// itself names no deadline kind, form field or time zone (docs/decisions/027-defaults-compiled-into-the-config.md).
import { townshipConfigSchema, type TownshipConfig } from "#schemas/township-config";

export type ConfigDefaults = {
  /** The deadline kind a case is handled under (`mainDeadline`). */
  mainDeadline: string;
  /** scoring.closingDeadline, else the main deadline. */
  closingDeadline: string;
  feedbackDeadline: string;
  revisit: { field: string; satisfied: readonly string[]; dissatisfied: readonly string[] };
  appealEntryField: string;
  timeZone: string;
};

const top = townshipConfigSchema.properties;
const scoring = top.scoring.properties;
const SCHEMA_DEFAULTS = {
  mainDeadline: top.mainDeadline.default,
  feedbackDeadline: scoring.feedbackDeadline.default,
  revisit: {
    field: scoring.revisit.properties.field.default,
    satisfied: scoring.revisit.properties.satisfied.default,
    dissatisfied: scoring.revisit.properties.dissatisfied.default,
  },
  appealEntryField: scoring.appeal.properties.entryField.default,
  timeZone: top.timeZone.default,
} as const;

const cache = new WeakMap<TownshipConfig, ConfigDefaults>();

/** The config's own values where it has them, the schema's defaults elsewhere. */
export function configDefaults(config: TownshipConfig): ConfigDefaults {
  let d = cache.get(config);
  if (!d) {
    const s = config.scoring;
    const mainDeadline = config.mainDeadline ?? SCHEMA_DEFAULTS.mainDeadline;
    d = {
      mainDeadline,
      closingDeadline: s?.closingDeadline ?? mainDeadline,
      feedbackDeadline: s?.feedbackDeadline ?? SCHEMA_DEFAULTS.feedbackDeadline,
      revisit: {
        field: s?.revisit?.field ?? SCHEMA_DEFAULTS.revisit.field,
        satisfied: s?.revisit?.satisfied ?? SCHEMA_DEFAULTS.revisit.satisfied,
        dissatisfied: s?.revisit?.dissatisfied ?? SCHEMA_DEFAULTS.revisit.dissatisfied,
      },
      appealEntryField: s?.appeal?.entryField ?? SCHEMA_DEFAULTS.appealEntryField,
      timeZone: config.timeZone ?? SCHEMA_DEFAULTS.timeZone,
    };
    cache.set(config, d);
  }
  return d;
}
