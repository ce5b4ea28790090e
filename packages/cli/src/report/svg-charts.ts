/** A named series of points for a chart. */
export interface ChartSeries {
  /** Legend label. */
  readonly label: string;
  /** Colour (CSS). */
  readonly colour: string;
  /** Points, x increasing. */
  readonly points: readonly (readonly [number, number])[];
  /** x positions to mark (collections), each drawn on the line. */
  readonly markers?: readonly number[];
}

const W = 640;
const H = 220;
const PAD = { left: 64, right: 12, top: 12, bottom: 28 };

/** Escapes text for HTML and SVG. */
export function esc(text: string): string {
  return text.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

/** A compact number: 1.2k, 3.4M. */
export function compact(n: number): string {
  const a = Math.abs(n);
  if (a >= 1e9) return `${(n / 1e9).toFixed(1)}G`;
  if (a >= 1e6) return `${(n / 1e6).toFixed(1)}M`;
  if (a >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}

function frame(title: string, maxX: number, maxY: number, xLabel: string, body: string): string {
  const ticks = [0, 0.5, 1]
    .map((f) => {
      const y = PAD.top + (1 - f) * (H - PAD.top - PAD.bottom);
      return `<text x="${PAD.left - 6}" y="${y + 4}" text-anchor="end">${compact(maxY * f)}</text><line x1="${PAD.left}" x2="${W - PAD.right}" y1="${y}" y2="${y}" class="grid"/>`;
    })
    .join('');
  return `<svg viewBox="0 0 ${W} ${H}" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg">${ticks}<text x="${W - PAD.right}" y="${H - 6}" text-anchor="end">${esc(xLabel)} (0..${compact(maxX)})</text>${body}</svg>`;
}

function scaler(maxX: number, maxY: number) {
  const sx = (x: number) => PAD.left + (maxX === 0 ? 0 : (x / maxX) * (W - PAD.left - PAD.right));
  const sy = (y: number) => PAD.top + (1 - (maxY === 0 ? 0 : y / maxY)) * (H - PAD.top - PAD.bottom);
  return { sx, sy };
}

/** The y of a step-wise series at `x` (the last point at or before it). */
function valueAt(points: readonly (readonly [number, number])[], x: number): number {
  let v = points.length > 0 ? points[0][1] : 0;
  for (const [px, py] of points) {
    if (px > x) break;
    v = py;
  }
  return v;
}

/** Overlaid lines, one per series, with marker ticks (collections) on them. */
export function lineChart(title: string, xLabel: string, series: readonly ChartSeries[]): string {
  const maxX = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p[0])));
  const maxY = Math.max(1, ...series.flatMap((s) => s.points.map((p) => p[1])));
  const { sx, sy } = scaler(maxX, maxY);
  // Dashes tell overlapping lines apart (two collectors often share a curve).
  const dashes = ['', '7 4', '2 3', '10 3 2 3'];
  const body = series
    .map((s, k) => {
      const dash = dashes[k % dashes.length] ? ` stroke-dasharray="${dashes[k % dashes.length]}"` : '';
      const path = s.points.map(([x, y]) => `${sx(x).toFixed(1)},${sy(y).toFixed(1)}`).join(' ');
      const marks = (s.markers ?? [])
        .map(
          (x) =>
            `<circle cx="${sx(x).toFixed(1)}" cy="${sy(valueAt(s.points, x)).toFixed(1)}" r="2.5" fill="${s.colour}" class="mark"/>`,
        )
        .join('');
      return `<polyline points="${path}" fill="none" stroke="${s.colour}" stroke-width="1.5"${dash}><title>${esc(s.label)}</title></polyline>${marks}`;
    })
    .join('');
  return frame(title, maxX, maxY, xLabel, body);
}

/** Each series' values as dots in its own row (a strip plot): the distribution of pauses. */
export function stripChart(
  title: string,
  xLabel: string,
  rows: readonly { label: string; colour: string; values: readonly number[] }[],
): string {
  const maxX = Math.max(1, ...rows.flatMap((r) => r.values));
  const rowH = 22;
  const h = PAD.top + rows.length * rowH + PAD.bottom;
  const sx = (x: number) => 120 + (x / maxX) * (W - 120 - PAD.right);
  const body = rows
    .map((r, k) => {
      const y = PAD.top + k * rowH + rowH / 2;
      const dots = r.values
        .map(
          (v) => `<circle cx="${sx(v).toFixed(1)}" cy="${y}" r="3" fill="${r.colour}" fill-opacity="0.45"/>`,
        )
        .join('');
      const note =
        r.values.length === 0 ? `<text x="124" y="${y + 4}" class="muted">no collections</text>` : '';
      return `<text x="112" y="${y + 4}" text-anchor="end">${esc(r.label)}</text><line x1="120" x2="${W - PAD.right}" y1="${y}" y2="${y}" class="grid"/>${dots}${note}`;
    })
    .join('');
  return `<svg viewBox="0 0 ${W} ${h}" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg">${body}<text x="${W - PAD.right}" y="${h - 6}" text-anchor="end">${esc(xLabel)} (0..${compact(maxX)})</text></svg>`;
}

/** Horizontal bars, one per row; `null` values are shown as "n/a". */
export function barChart(
  title: string,
  unit: string,
  rows: readonly { label: string; colour: string; value: number | null }[],
): string {
  const maxX = Math.max(1, ...rows.map((r) => r.value ?? 0));
  const rowH = 22;
  const h = PAD.top + rows.length * rowH + 8;
  const body = rows
    .map((r, k) => {
      const y = PAD.top + k * rowH;
      const w = r.value === null ? 0 : (r.value / maxX) * (W - 120 - 90);
      const text = r.value === null ? 'n/a' : `${compact(r.value)} ${unit}`;
      return `<text x="112" y="${y + 15}" text-anchor="end">${esc(r.label)}</text><rect x="120" y="${y + 4}" width="${w.toFixed(1)}" height="14" fill="${r.colour}"/><text x="${(124 + w).toFixed(1)}" y="${y + 15}">${esc(text)}</text>`;
    })
    .join('');
  return `<svg viewBox="0 0 ${W} ${h}" role="img" aria-label="${esc(title)}" xmlns="http://www.w3.org/2000/svg">${body}</svg>`;
}
