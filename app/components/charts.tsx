// Charts as plain server-rendered SVG (no chart library): bar, line and donut. Each is one image
// for assistive technology (role="img" with a label) and carries its numbers as a visually hidden
// table, so a screen reader gets the data rather than the drawing.
import type { CSSProperties } from "react";

export type Datum = { label: string; value: number };
export type Series = { name: string; values: number[]; colour?: string };

const PALETTE = ["#38bdf8", "#f97316", "#22c55e", "#eab308", "#a78bfa", "#f43f5e", "#14b8a6", "#94a3b8"];

const visuallyHidden: CSSProperties = {
  position: "absolute",
  width: 1,
  height: 1,
  padding: 0,
  margin: -1,
  overflow: "hidden",
  clip: "rect(0 0 0 0)",
  whiteSpace: "nowrap",
  border: 0,
};

function DataTable({ caption, head, rows }: { caption: string; head: string[]; rows: Array<Array<string | number>> }) {
  return (
    <table style={visuallyHidden}>
      <caption>{caption}</caption>
      <thead>
        <tr>
          {head.map((h) => (
            <th key={h} scope="col">
              {h}
            </th>
          ))}
        </tr>
      </thead>
      <tbody>
        {rows.map((r, i) => (
          <tr key={i}>
            {r.map((c, k) =>
              k === 0 ? (
                <th key={k} scope="row">
                  {c}
                </th>
              ) : (
                <td key={k}>{c}</td>
              ),
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const summary = (data: Datum[]) => data.map((d) => `${d.label} ${d.value}`).join("，");

/** Horizontal bars, one per datum, largest scale at the longest bar. */
export function BarChart({
  title,
  data,
  valueLabel,
  width = 480,
  testId,
}: {
  title: string;
  data: Datum[];
  valueLabel: string;
  width?: number;
  testId?: string;
}) {
  const row = 34;
  const labelW = Math.min(180, Math.max(80, ...data.map((d) => d.label.length * 15 + 10)));
  const height = Math.max(row, data.length * row) + 8;
  const max = Math.max(1, ...data.map((d) => d.value));
  const barMax = width - labelW - 56;
  return (
    <figure className="chart" data-testid={testId} style={{ position: "relative", margin: 0 }}>
      <svg
        role="img"
        aria-label={`${title}：${summary(data) || "—"}`}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        style={{ maxWidth: width }}
      >
        {data.map((d, i) => {
          const y = i * row + 4;
          const w = Math.max(d.value > 0 ? 2 : 0, (d.value / max) * barMax);
          return (
            <g key={d.label}>
              <text x={labelW - 8} y={y + row / 2} textAnchor="end" dominantBaseline="middle" className="chart-label">
                {d.label}
              </text>
              <rect x={labelW} y={y + 5} width={w} height={row - 12} rx={3} fill={PALETTE[i % PALETTE.length]} />
              <text x={labelW + w + 6} y={y + row / 2} dominantBaseline="middle" className="chart-value">
                {d.value}
              </text>
            </g>
          );
        })}
      </svg>
      <DataTable caption={title} head={["", valueLabel]} rows={data.map((d) => [d.label, d.value])} />
    </figure>
  );
}

/** A donut of shares, with its total in the middle and a legend beside it. */
export function DonutChart({
  title,
  data,
  valueLabel,
  size = 220,
  testId,
}: {
  title: string;
  data: Datum[];
  valueLabel: string;
  size?: number;
  testId?: string;
}) {
  const total = data.reduce((n, d) => n + d.value, 0);
  const r = size / 2 - 18;
  const c = 2 * Math.PI * r;
  let offset = 0;
  const legendW = 200;
  const height = Math.max(size, data.length * 26 + 10);
  return (
    <figure className="chart" data-testid={testId} style={{ position: "relative", margin: 0 }}>
      <svg
        role="img"
        aria-label={`${title}：${summary(data) || "—"}`}
        viewBox={`0 0 ${size + legendW} ${height}`}
        width="100%"
        style={{ maxWidth: size + legendW }}
      >
        <g transform={`rotate(-90 ${size / 2} ${size / 2})`}>
          <circle cx={size / 2} cy={size / 2} r={r} fill="none" stroke="#334155" strokeWidth={28} />
          {total > 0
            ? data.map((d, i) => {
                const len = (d.value / total) * c;
                const seg = (
                  <circle
                    key={d.label}
                    cx={size / 2}
                    cy={size / 2}
                    r={r}
                    fill="none"
                    stroke={PALETTE[i % PALETTE.length]}
                    strokeWidth={28}
                    strokeDasharray={`${len} ${c - len}`}
                    strokeDashoffset={-offset}
                  />
                );
                offset += len;
                return seg;
              })
            : null}
        </g>
        <text x={size / 2} y={size / 2} textAnchor="middle" dominantBaseline="middle" className="chart-total">
          {total}
        </text>
        {data.map((d, i) => (
          <g key={d.label} transform={`translate(${size + 12} ${10 + i * 26})`}>
            <rect width={14} height={14} rx={2} fill={PALETTE[i % PALETTE.length]} />
            <text x={22} y={11} className="chart-label">{`${d.label} ${d.value}`}</text>
          </g>
        ))}
      </svg>
      <DataTable caption={title} head={["", valueLabel]} rows={data.map((d) => [d.label, d.value])} />
    </figure>
  );
}

/** Lines over a shared x axis (e.g. days), with a legend; the first and last x labels are shown. */
export function LineChart({
  title,
  xLabels,
  series,
  width = 720,
  height = 240,
  testId,
}: {
  title: string;
  xLabels: string[];
  series: Series[];
  width?: number;
  height?: number;
  testId?: string;
}) {
  const pad = { l: 36, r: 12, t: 28, b: 26 };
  const max = Math.max(1, ...series.flatMap((s) => s.values));
  const n = Math.max(1, xLabels.length - 1);
  const x = (i: number) => pad.l + (i / n) * (width - pad.l - pad.r);
  const y = (v: number) => height - pad.b - (v / max) * (height - pad.t - pad.b);
  const totals = series.map((s) => `${s.name} ${s.values.reduce((a, b) => a + b, 0)}`).join("，");
  return (
    <figure className="chart" data-testid={testId} style={{ position: "relative", margin: 0 }}>
      <svg
        role="img"
        aria-label={`${title}（${xLabels[0] ?? ""}–${xLabels[xLabels.length - 1] ?? ""}）：${totals}`}
        viewBox={`0 0 ${width} ${height}`}
        width="100%"
        style={{ maxWidth: width }}
      >
        {[0, 0.5, 1].map((f) => (
          <g key={f}>
            <line
              x1={pad.l}
              x2={width - pad.r}
              y1={y(max * f)}
              y2={y(max * f)}
              stroke="#334155"
              strokeDasharray="3 4"
            />
            <text x={pad.l - 6} y={y(max * f)} textAnchor="end" dominantBaseline="middle" className="chart-axis">
              {Math.round(max * f)}
            </text>
          </g>
        ))}
        <text x={pad.l} y={height - 6} className="chart-axis">
          {xLabels[0]}
        </text>
        <text x={width - pad.r} y={height - 6} textAnchor="end" className="chart-axis">
          {xLabels[xLabels.length - 1]}
        </text>
        {series.map((s, k) => {
          const colour = s.colour ?? PALETTE[k % PALETTE.length];
          return (
            <g key={s.name}>
              <polyline
                fill="none"
                stroke={colour}
                strokeWidth={2.5}
                points={s.values.map((v, i) => `${x(i)},${y(v)}`).join(" ")}
              />
              <rect x={pad.l + k * 110} y={6} width={14} height={4} fill={colour} />
              <text x={pad.l + k * 110 + 20} y={12} className="chart-label">
                {s.name}
              </text>
            </g>
          );
        })}
      </svg>
      <DataTable
        caption={title}
        head={["", ...series.map((s) => s.name)]}
        rows={xLabels.map((l, i) => [l, ...series.map((s) => s.values[i] ?? 0)])}
      />
    </figure>
  );
}
