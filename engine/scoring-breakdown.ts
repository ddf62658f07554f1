// Breakdowns for the periodic review (复盘): the engine's period figures per platform, village …,
// and the geometry of the review's bar charts. Pure, like engine/scoring/.
import { periodFigures, type Fact, type PeriodFigures, type PeriodLike } from "./scoring";

/**
 * periodFigures for each group of a period's facts; `keyOf` names the group of a fact (its
 * platform, its village …), facts without a group are left out. Groups sorted by key.
 */
export function figuresBy(
  facts: readonly Fact[],
  period: PeriodLike,
  keyOf: (f: Fact) => string | undefined,
): Record<string, PeriodFigures> {
  const groups = new Map<string, Fact[]>();
  for (const f of facts) {
    const key = keyOf(f);
    if (!key) continue;
    let list = groups.get(key);
    if (!list) groups.set(key, (list = []));
    list.push(f);
  }
  const out: Record<string, PeriodFigures> = {};
  for (const key of [...groups.keys()].sort()) out[key] = periodFigures(groups.get(key)!, period);
  return out;
}

type Bar = { label: string; value: number; y: number; width: number; height: number };
export type BarLayout = { bars: Bar[]; width: number; height: number; labelWidth: number; max: number };

/**
 * Horizontal bars for an inline SVG chart: one row per value, widths proportional to the largest
 * absolute value (0 when all are 0). Negative values draw like positive ones; the label says the sign.
 */
export function barLayout(
  rows: ReadonlyArray<{ label: string; value: number }>,
  options: { width?: number; row?: number; gap?: number; labelWidth?: number } = {},
): BarLayout {
  const width = options.width ?? 480;
  const row = options.row ?? 18;
  const gap = options.gap ?? 6;
  const labelWidth = options.labelWidth ?? 140;
  const max = rows.reduce((m, r) => Math.max(m, Math.abs(r.value)), 0);
  const room = Math.max(0, width - labelWidth - 60);
  const bars = rows.map((r, i) => ({
    label: r.label,
    value: r.value,
    y: i * (row + gap),
    width: max === 0 ? 0 : Math.round((Math.abs(r.value) / max) * room * 10) / 10,
    height: row,
  }));
  return { bars, width, height: Math.max(row, rows.length * (row + gap) - gap), labelWidth, max };
}
