import type { RunResult } from '@heaplab/workloads';
import { formatCell, METRIC_COLUMNS, METRIC_HEADINGS, resultRow } from '../format/result-row.js';
import { barChart, esc, lineChart, stripChart } from './svg-charts.js';

const PALETTE = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];

/** Options of {@link renderReport}. */
export interface ReportOptions {
  /** The seed the runs used. */
  readonly seed: number;
}

const STYLE = `body{font:14px/1.45 system-ui,sans-serif;margin:2rem auto;max-width:980px;padding:0 1rem;color:#222}
h1{font-size:1.5rem}h2{margin-top:2.5rem;border-bottom:1px solid #ccc}h3{font-size:1rem;margin:1.2rem 0 .3rem}
table{border-collapse:collapse;font-variant-numeric:tabular-nums;font-size:12px}td,th{padding:2px 8px;border-bottom:1px solid #eee;text-align:right}
td:first-child,th:first-child{text-align:left}svg{width:100%;max-width:640px;display:block}svg text{font-size:11px;fill:#444}
.grid{stroke:#e4e4e4}.muted{fill:#999}.legend span{display:inline-block;margin-right:1rem}.legend i{display:inline-block;width:12px;height:12px;margin-right:4px;vertical-align:-1px}`;

/**
 * One self-contained HTML page (inline CSS and SVG, no scripts, nothing fetched): per input, the
 * metrics table, heap bytes over time per collector with collection markers, the distribution of
 * pause work, and mean promptness.
 */
export function renderReport(results: readonly RunResult[], options: ReportOptions): string {
  const collectors = [...new Set(results.map((r) => r.collector))];
  const colour = (c: string) => PALETTE[collectors.indexOf(c) % PALETTE.length];
  const legend = `<p class="legend">${collectors.map((c) => `<span><i style="background:${colour(c)}"></i>${esc(c)}</span>`).join('')}</p>`;
  const sections: string[] = [];
  for (const workload of [...new Set(results.map((r) => r.workload))]) {
    const runs = results.filter((r) => r.workload === workload);
    const head = `<tr><th>collector</th>${METRIC_COLUMNS.map((c) => `<th>${esc(METRIC_HEADINGS[c])}</th>`).join('')}</tr>`;
    const rows = runs
      .map((r) => {
        const row = resultRow(r);
        return `<tr><td>${esc(r.collector)}</td>${METRIC_COLUMNS.map((c) => `<td>${formatCell(c, row[c])}</td>`).join('')}</tr>`;
      })
      .join('');
    const heap = lineChart(
      `heap bytes over time: ${workload}`,
      'mutator step',
      runs.map((r) => ({
        label: r.collector,
        colour: colour(r.collector),
        points: r.heapBytes.map((p) => [p.step, p.value] as const),
        markers: r.collections.filter((c) => c.reason !== 'end').map((c) => c.step),
      })),
    );
    const pauses = stripChart(
      `pause work: ${workload}`,
      'work per collection',
      runs.map((r) => ({
        label: r.collector,
        colour: colour(r.collector),
        values: r.collections.filter((c) => c.reason !== 'end').map((c) => c.work),
      })),
    );
    const promptness = barChart(
      `mean promptness: ${workload}`,
      'steps',
      runs.map((r) => ({ label: r.collector, colour: colour(r.collector), value: r.summary.meanPromptness })),
    );
    sections.push(`<section id="${esc(workload)}"><h2>${esc(workload)}</h2>
<table>${head}${rows}</table>
<h3>Heap bytes over time (dots: collections)</h3>${legend}${heap}
<h3>Pause distribution (work per collection)</h3>${pauses}
<h3>Promptness (mean steps from unreachable to freed; lower is sooner)</h3>${promptness}</section>`);
  }
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>heaplab comparison</title><style>${STYLE}</style></head>
<body><h1>heaplab comparison</h1>
<p>${results.length} runs: ${[...new Set(results.map((r) => r.workload))].length} inputs under ${collectors.map(esc).join(', ')} (seed ${options.seed}).</p>
${sections.join('\n')}
</body></html>
`;
}
