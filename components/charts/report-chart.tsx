import { AxisBottom, AxisLeft } from "@visx/axis";
import { GridRows } from "@visx/grid";
import { Group } from "@visx/group";
import { scaleBand, scaleLinear, scalePoint } from "@visx/scale";
import { Bar, LinePath } from "@visx/shape";
import { hasData, labelStep, plotNumber, tickLabel, yDomain, type ChartCategory, type ChartSeries, type ValueFormat } from "./chart-math";

export type { ChartCategory, ChartSeries, ChartValue, ValueFormat } from "./chart-math";

/**
 * A bar or line chart of one or more series over categories (months, ageing buckets, stages).
 *
 * Props (all plain data, so a dashboard can drop it in for a small chart such as spend by month):
 * - `title`: shown above the chart and the chart's accessible name;
 * - `kind`: "bar" (grouped bars, one per series) or "line" (one line per series, with points);
 * - `categories`: the x axis in order, `{ key, label, shortLabel? }` (e.g. `{ key: "2026-03", label: "Mar 2026",
 *   shortLabel: "Mar 26" }`; the compact layout prints `shortLabel` when given);
 * - `series`: `{ key, label, values }`, `values[i]` belongs to `categories[i]`; null is "no value";
 * - `format`: how values read (`{ kind: "money", currency }` with bigint minor units, `count`, `days`);
 * - `xLabel`, `yLabel`: the axis titles;
 * - `emptyMessage`: shown instead of the chart when no value is non-zero (never a chart of zeros);
 * - `size`: "regular" (reports) or "small" (dashboard cards: shorter).
 *
 * It is plain SVG rendered on the server (visx draws with React, no DOM measuring), so the page
 * arrives with the chart drawn and its box sized: nothing moves at hydration. The box keeps a
 * fixed aspect ratio from the viewBox; two layouts are rendered and CSS shows one: a compact one
 * (fewer labels, larger relative text) below 640 px, a wide one above, so the text stays readable
 * at 375 px without the chart measuring its container. Pair it with a DataTable of the same
 * figures: the chart is a picture of the table, which is what assistive technology and tests read.
 */
export function ReportChart({
  title,
  kind,
  categories,
  series,
  format,
  xLabel,
  yLabel,
  emptyMessage,
  size = "regular",
}: {
  title: string;
  kind: "bar" | "line";
  categories: readonly ChartCategory[];
  series: readonly ChartSeries[];
  format: ValueFormat;
  xLabel: string;
  yLabel: string;
  emptyMessage: string;
  size?: "regular" | "small";
}) {
  const titleId = `chart-${slug(title)}`;
  if (categories.length === 0 || !hasData(series)) {
    return (
      <figure aria-labelledby={titleId} className="rounded-lg border border-dashed border-slate-300 bg-white p-4" data-testid="chart-empty">
        <figcaption id={titleId} className="text-sm font-semibold text-slate-900">
          {title}
        </figcaption>
        <p className="mt-1 text-sm text-slate-600">{emptyMessage}</p>
      </figure>
    );
  }
  const description = `${kind === "bar" ? "Bar" : "Line"} chart of ${series.map((s) => s.label).join(", ")} by ${xLabel.toLowerCase()}. The table has the same figures.`;
  return (
    <figure aria-labelledby={titleId} className="rounded-lg border border-slate-200 bg-white p-3 shadow-sm sm:p-4" data-testid="chart">
      <figcaption id={titleId} className="text-sm font-semibold text-slate-900">
        {title}
      </figcaption>
      {series.length > 1 && <Legend series={series} kind={kind} />}
      <div className="sm:hidden">
        <ChartSvg layout={layouts[size].compact} {...{ kind, categories, series, format, xLabel, yLabel, title, description }} />
      </div>
      <div className="hidden sm:block">
        <ChartSvg layout={layouts[size].wide} {...{ kind, categories, series, format, xLabel, yLabel, title, description }} />
      </div>
    </figure>
  );
}

type Layout = { compact: boolean; maxWidthClass: string; width: number; height: number; margin: { top: number; right: number; bottom: number; left: number }; font: number; maxLabels: number; yTicks: number };

// viewBox sizes. The compact one is drawn near its real size on a phone (343 px wide at 375 px
// with the page padding), so its 11-unit text is about 10.5 px on screen.
const layouts: Record<"regular" | "small", { compact: Layout; wide: Layout }> = {
  regular: {
    compact: { compact: true, maxWidthClass: "max-w-[480px]", width: 360, height: 260, margin: { top: 12, right: 8, bottom: 48, left: 58 }, font: 11, maxLabels: 6, yTicks: 4 },
    wide: { compact: false, maxWidthClass: "max-w-[760px]", width: 760, height: 320, margin: { top: 16, right: 16, bottom: 52, left: 80 }, font: 12, maxLabels: 12, yTicks: 6 },
  },
  small: {
    compact: { compact: true, maxWidthClass: "max-w-[480px]", width: 360, height: 200, margin: { top: 10, right: 8, bottom: 44, left: 58 }, font: 11, maxLabels: 6, yTicks: 3 },
    wide: { compact: false, maxWidthClass: "max-w-[560px]", width: 560, height: 220, margin: { top: 12, right: 12, bottom: 48, left: 72 }, font: 12, maxLabels: 12, yTicks: 4 },
  },
};

// Tailwind's 700/600 shades: at least 4.5:1 on white, and told apart by the dash pattern as well as hue.
const palette = ["#4338ca", "#0f766e", "#b45309", "#be123c", "#6d28d9", "#334155"];
const dashes = ["", "6 3", "2 3", "8 3 2 3", "4 4", "1 2"];

function Legend({ series, kind }: { series: readonly ChartSeries[]; kind: "bar" | "line" }) {
  return (
    <ul className="mt-2 flex flex-wrap gap-x-4 gap-y-1 text-xs text-slate-700" aria-hidden="true">
      {series.map((s, i) => (
        <li key={s.key} className="flex items-center gap-1.5">
          <svg width="18" height="10" viewBox="0 0 18 10" aria-hidden="true">
            {kind === "bar" ? (
              <rect x="3" y="0" width="12" height="10" fill={palette[i % palette.length]} />
            ) : (
              <line x1="0" y1="5" x2="18" y2="5" stroke={palette[i % palette.length]} strokeWidth="2.5" strokeDasharray={dashes[i % dashes.length]} />
            )}
          </svg>
          {s.label}
        </li>
      ))}
    </ul>
  );
}

function ChartSvg({
  layout,
  kind,
  categories,
  series,
  format,
  xLabel,
  yLabel,
  title,
  description,
}: {
  layout: Layout;
  kind: "bar" | "line";
  categories: readonly ChartCategory[];
  series: readonly ChartSeries[];
  format: ValueFormat;
  xLabel: string;
  yLabel: string;
  title: string;
  description: string;
}) {
  const { width, height, margin, font } = layout;
  const innerWidth = width - margin.left - margin.right;
  const innerHeight = height - margin.top - margin.bottom;
  const numbers = series.map((s) => s.values.map((v) => plotNumber(v, format)));
  const y = scaleLinear<number>({ domain: yDomain(numbers.flat()), range: [innerHeight, 0], nice: true });
  const keys = categories.map((c) => c.key);
  // Long labels ("Mar 2026") only when they fit: the wide layout with at most 8 categories.
  const useShort = layout.compact || categories.length > 8;
  const labels = new Map(categories.map((c) => [c.key, useShort ? (c.shortLabel ?? c.label) : c.label]));
  const step = labelStep(categories.length, layout.maxLabels);
  const shown = new Set(keys.filter((_, i) => i % step === 0));
  const tickProps = { fontSize: font, fill: "#334155", fontFamily: "inherit" } as const;
  const axisLabelProps = { fontSize: font, fill: "#0f172a", fontWeight: 600, textAnchor: "middle" } as const;

  const x = kind === "bar" ? scaleBand<string>({ domain: keys, range: [0, innerWidth], padding: 0.2 }) : scalePoint<string>({ domain: keys, range: [0, innerWidth], padding: 0.5 });
  const inner = kind === "bar" ? scaleBand<string>({ domain: series.map((s) => s.key), range: [0, (x as ReturnType<typeof scaleBand<string>>).bandwidth()], padding: 0.08 }) : null;
  const zero = y(0);

  return (
    <svg
      viewBox={`0 0 ${width} ${height}`}
      // The width and height attributes give the box its aspect ratio from the HTML alone (as an
      // <img>'s do); the classes make it fluid. No style attribute: the page's CSP refuses inline styles,
      // including the overflow: visible visx puts on the <svg> around each label (labels left of the
      // axis were clipped away), so [&_svg]:overflow-visible says it from the stylesheet.
      width={width}
      height={height}
      role="img"
      aria-label={`${title}. ${description}`}
      className={`mt-2 block h-auto w-full overflow-visible [&_svg]:overflow-visible ${layout.maxWidthClass}`}
    >
      <Group left={margin.left} top={margin.top}>
        <GridRows scale={y} width={innerWidth} numTicks={layout.yTicks} stroke="#e2e8f0" />
        {kind === "bar" &&
          inner &&
          numbers.map((values, si) =>
            values.map((v, ci) => {
              if (v === null) return null;
              const band = x as ReturnType<typeof scaleBand<string>>;
              const top = y(Math.max(v, 0));
              const barHeight = Math.abs(y(v) - zero);
              return (
                <Bar
                  key={`${series[si]!.key}-${keys[ci]}`}
                  x={(band(keys[ci]!) ?? 0) + (inner(series[si]!.key) ?? 0)}
                  y={top}
                  width={inner.bandwidth()}
                  height={Math.max(barHeight, v === 0 ? 0 : 1)}
                  fill={palette[si % palette.length]}
                />
              );
            }),
          )}
        {kind === "line" &&
          numbers.map((values, si) => {
            const points = values.map((v, ci) => ({ key: keys[ci]!, v })).filter((p): p is { key: string; v: number } => p.v !== null);
            const px = (p: { key: string }) => x(p.key) ?? 0;
            const color = palette[si % palette.length];
            return (
              <g key={series[si]!.key}>
                <LinePath data={points} x={px} y={(p) => y(p.v)} stroke={color} strokeWidth={2.5} strokeDasharray={dashes[si % dashes.length]} />
                {points.map((p) => (
                  <circle key={p.key} cx={px(p)} cy={y(p.v)} r={3} fill={color} />
                ))}
              </g>
            );
          })}
        <AxisLeft
          scale={y}
          numTicks={layout.yTicks}
          tickFormat={(v) => tickLabel(Number(v), format)}
          tickLabelProps={{ ...tickProps, textAnchor: "end", verticalAnchor: "middle" }}
          stroke="#64748b"
          tickStroke="#64748b"
        />
        <AxisBottom
          top={innerHeight}
          scale={x}
          tickValues={keys.filter((k) => shown.has(k))}
          tickFormat={(k) => labels.get(String(k)) ?? String(k)}
          tickLabelProps={{ ...tickProps, textAnchor: "middle" }}
          stroke="#64748b"
          tickStroke="#64748b"
        />
      </Group>
      {/* Axis titles as plain text, placed from the layout's margins. */}
      <text x={margin.left + innerWidth / 2} y={height - 6} {...axisLabelProps}>
        {xLabel}
      </text>
      <text transform={`translate(${font + 2}, ${margin.top + innerHeight / 2}) rotate(-90)`} {...axisLabelProps}>
        {yLabel}
      </text>
    </svg>
  );
}

function slug(text: string): string {
  return text
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, "-")
    .replace(/^-|-$/g, "");
}
