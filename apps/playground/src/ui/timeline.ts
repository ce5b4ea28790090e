import type { Trace } from '../session/protocol.js';

/** One collector's line on the timeline. */
export interface TimelineSeries {
  /** Collector name. */
  readonly name: string;
  /** CSS colour class index (0-2). */
  readonly index: number;
  /** The run. */
  readonly trace: Trace;
}

const W = 720;
const H = 150;
const M = { l: 56, r: 10, t: 10, b: 24 };

/**
 * Heap bytes before each statement for every collector on one chart, a marker per collection
 * (with its pause as a tooltip and in the table below), and the current step as a cursor.
 */
export function renderTimeline(series: readonly TimelineSeries[], step: number): string {
  if (series.length === 0) return '<p class="hint">Run or step the program to see its heap over time.</p>';
  const n = Math.max(2, ...series.map((s) => s.trace.bytes.length));
  const maxBytes = Math.max(1, ...series.flatMap((s) => s.trace.bytes));
  const x = (i: number): number => M.l + ((W - M.l - M.r) * i) / (n - 1);
  // Clamped: a bad figure must not send a point millions of pixels off the chart.
  const y = (b: number): number =>
    H - M.b - ((H - M.t - M.b) * Math.min(maxBytes, Math.max(0, b))) / maxBytes;
  const parts: string[] = [
    `<svg class="timeline-chart" viewBox="0 0 ${W} ${H}" role="img" aria-label="heap bytes per statement for each collector">`,
    `<line class="axis" x1="${M.l}" y1="${H - M.b}" x2="${W - M.r}" y2="${H - M.b}"/>`,
    `<line class="axis" x1="${M.l}" y1="${M.t}" x2="${M.l}" y2="${H - M.b}"/>`,
    `<text class="tick" x="${M.l - 4}" y="${M.t + 8}" text-anchor="end">${maxBytes} B</text>`,
    `<text class="tick" x="${M.l - 4}" y="${H - M.b}" text-anchor="end">0</text>`,
    `<text class="tick" x="${M.l}" y="${H - 6}">statement 1</text>`,
    `<text class="tick" x="${W - M.r}" y="${H - 6}" text-anchor="end">end</text>`,
  ];
  for (const s of series) {
    const pts = s.trace.bytes.map((b, i) => `${x(i).toFixed(1)},${y(b).toFixed(1)}`).join(' ');
    parts.push(`<polyline class="series s${s.index}" points="${pts}"><title>${s.name}</title></polyline>`);
    for (const c of s.trace.collections) {
      const cx = x(Math.max(0, c.step - 1));
      parts.push(
        `<path class="gc s${s.index}" d="M${cx - 5},${H - M.b + 9} L${cx + 5},${H - M.b + 9} L${cx},${H - M.b + 1}z">` +
          `<title>${s.name}: collection at statement ${c.step} (${c.reason}): ${c.ms.toFixed(3)} ms, work ${c.work}, freed ${c.freed}</title></path>`,
      );
    }
  }
  const cx = x(Math.min(n - 1, step - 1));
  parts.push(`<line class="cursor" x1="${cx}" y1="${M.t}" x2="${cx}" y2="${H - M.b}"/>`, '</svg>');
  const rows = series
    .map((s) => {
      const cs = s.trace.collections;
      const max = cs.reduce((m, c) => (c.ms > m.ms ? c : m), cs[0]);
      const pause = max ? `${cs.length}, longest pause ${max.ms.toFixed(3)} ms (work ${max.work})` : 'none';
      return `<li><span class="key s${s.index}"></span>${s.name}: peak ${s.trace.peakBytes} B; collections: ${pause}</li>`;
    })
    .join('');
  return `${parts.join('')}<ul class="legend">${rows}</ul>`;
}

/** The statement (1-based) under a click at `clientX` on the chart element. */
export function stepAt(svg: SVGSVGElement, clientX: number, steps: number): number {
  const box = svg.getBoundingClientRect();
  const vx = ((clientX - box.left) / box.width) * W;
  const i = Math.round(((vx - M.l) / (W - M.l - M.r)) * (Math.max(2, steps) - 1));
  return Math.min(steps, Math.max(1, i + 1));
}
