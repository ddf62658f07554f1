// Shared by the score screens (server and browser): the three colours (三色管理) of rated grids as
// badge styles, the groups ranked, and the review's figures with their labels and formats.
import type { PeriodFigures, TargetGroup } from "#engine/scoring";
import type { MessageKey } from "#app/i18n";

export const LEVEL_CSS = `.level-green{background:#dcfae6;border-color:#17b26a;color:#085d3a}.level-yellow{background:#fef0c7;border-color:#f79009;color:#93370d}.level-red{background:#fee4e2;border-color:#d92d20;color:#912018}.alert-text{color:#b42318}`;

export const GROUPS: readonly TargetGroup[] = ["township", "department", "platform", "village", "grid", "unit", "user"];

export const FIGURE_KEYS = [
  "reported",
  "closedOnTime",
  "closedLate",
  "onTimeRate",
  "overdue",
  "sheets",
  "talks",
  "revisits",
  "satisfied",
  "dissatisfied",
  "satisfactionRate",
] as const satisfies ReadonlyArray<keyof PeriodFigures>;
export const figureLabel = (k: (typeof FIGURE_KEYS)[number]): MessageKey => `fig.${k}` as MessageKey;
export const formatFigure = (k: keyof PeriodFigures, v: number | null) =>
  v === null ? "—" : k.endsWith("Rate") ? `${Math.round(v * 1000) / 10}%` : String(v);
