// A horizontal bar chart as inline SVG, rendered on the server (no chart library); prints as is.
import { barLayout } from "#engine/scoring-breakdown";

export function BarChart({
  rows,
  title,
  format = String,
  testId,
}: {
  rows: ReadonlyArray<{ label: string; value: number }>;
  title: string;
  format?: (v: number) => string;
  testId?: string;
}) {
  const layout = barLayout(rows);
  return (
    <figure className="bar-chart" data-testid={testId}>
      <figcaption>{title}</figcaption>
      <svg
        width={layout.width}
        height={layout.height}
        viewBox={`0 0 ${layout.width} ${layout.height}`}
        role="img"
        aria-label={title}
      >
        {layout.bars.map((b) => (
          <g key={b.label} transform={`translate(0 ${b.y})`}>
            <text x={layout.labelWidth - 6} y={b.height - 5} textAnchor="end" fontSize="12">
              {b.label}
            </text>
            <rect
              x={layout.labelWidth}
              y={0}
              width={b.width}
              height={b.height}
              fill={b.value < 0 ? "#b42318" : "#1d6fb8"}
              rx="2"
            />
            <text x={layout.labelWidth + b.width + 4} y={b.height - 5} fontSize="12">
              {format(b.value)}
            </text>
          </g>
        ))}
      </svg>
    </figure>
  );
}
