// Names of config things in the user's language, for screens generated from the config.
import type { CompiledConfig } from "#engine/config/index";
import { pickText, type Locale } from "#engine/i18n";

export type Labels = {
  township: string;
  categories: Record<string, string>;
  grades: Record<string, string>;
  units: Record<string, string>;
  posts: Record<string, string>;
  states: Record<string, Record<string, { name: string; color: string }>>;
};

export function labelsFor(compiled: CompiledConfig, locale: Locale): Labels {
  const c = compiled.config;
  const names = <T extends { id: string; name: { zh: string; en?: string } }>(items: readonly T[] | undefined) =>
    Object.fromEntries((items ?? []).map((i) => [i.id, pickText(i.name, locale)]));
  return {
    township: pickText(c.name, locale),
    categories: names(c.categories),
    grades: names(c.grades),
    units: names(c.org?.units),
    posts: names(c.posts),
    states: Object.fromEntries(
      [...compiled.workflows].map(([id, wf]) => [
        id,
        Object.fromEntries(
          Object.entries(wf.states).map(([sid, s]) => [
            sid,
            { name: pickText(s.name, locale), color: s.color ?? "blue" },
          ]),
        ),
      ]),
    ),
  };
}
