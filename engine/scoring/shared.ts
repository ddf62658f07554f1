// What the scoring files share: the scoring config's types and small value helpers.
import type { TownshipConfig } from "#schemas/township-config";

export type ScoringConfig = NonNullable<TownshipConfig["scoring"]>;
export type ScoringRule = NonNullable<ScoringConfig["rules"]>[number];
export type RatingLevel = NonNullable<NonNullable<ScoringConfig["ratings"]>["grid"]>[number];
export type Ratings = NonNullable<ScoringConfig["ratings"]>;

export const DAY_MS = 86_400_000;

export type Json = Record<string, unknown>;
export const isRecord = (v: unknown): v is Json => typeof v === "object" && v !== null && !Array.isArray(v);
export const str = (v: unknown): string | undefined => (typeof v === "string" && v ? v : undefined);
export const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
export const iso = (at: string | Date): string => (at instanceof Date ? at : new Date(at)).toISOString();
export const ms = (at: string | Date): number => (at instanceof Date ? at.getTime() : Date.parse(at));

export const round = (n: number) => {
  const r = Math.round(n * 1e6) / 1e6;
  return r === 0 ? 0 : r;
};
