import { createStyle, type Style, stripAnsi } from '../style.js';
import { formatCell, METRIC_COLUMNS, METRIC_HEADINGS, type ResultRow } from './result-row.js';

/** The output formats of `heaplab compare`. */
export const FORMATS = ['table', 'json', 'csv', 'markdown'] as const;

/** One of {@link FORMATS}. */
export type Format = (typeof FORMATS)[number];

/** Renders rows in `format` (the text ends with a newline). */
export function formatResults(
  rows: readonly ResultRow[],
  format: Format,
  style: Style = createStyle(false),
): string {
  switch (format) {
    case 'json':
      return `${JSON.stringify(rows, null, 2)}\n`;
    case 'csv':
      return toCsv(rows);
    case 'markdown':
      return toMarkdown(rows);
    default:
      return toTable(rows, style);
  }
}

const HEADER = ['workload', 'collector', ...METRIC_COLUMNS.map((c) => METRIC_HEADINGS[c])];

function cells(row: ResultRow): string[] {
  return METRIC_COLUMNS.map((c) => formatCell(c, row[c]));
}

function toTable(rows: readonly ResultRow[], style: Style): string {
  const body = rows.map((row, k) => [
    k > 0 && rows[k - 1].workload === row.workload ? '' : row.workload,
    row.collector,
    ...cells(row),
  ]);
  const widths = HEADER.map((h, c) => Math.max(h.length, ...body.map((r) => r[c].length)));
  const line = (r: string[]) =>
    r
      .map((cell, c) => (c < 2 ? cell.padEnd(widths[c]) : cell.padStart(widths[c])))
      .join('  ')
      .trimEnd();
  const out = [style.bold(line(HEADER)), style.dim(widths.map((w) => '-'.repeat(w)).join('  '))];
  for (const r of body) out.push(line(r));
  return `${out.join('\n')}\n`;
}

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

function toCsv(rows: readonly ResultRow[]): string {
  const head = ['workload', 'collector', ...METRIC_COLUMNS];
  const lines = [head.join(',')];
  for (const row of rows) {
    lines.push(
      [row.workload, row.collector, ...METRIC_COLUMNS.map((c) => (row[c] === null ? '' : String(row[c])))]
        .map(csvField)
        .join(','),
    );
  }
  return `${lines.join('\n')}\n`;
}

function toMarkdown(rows: readonly ResultRow[]): string {
  const esc = (text: string) => stripAnsi(text).replace(/\|/g, '\\|');
  const lines = [
    `| ${HEADER.join(' | ')} |`,
    `| ${HEADER.map((_, c) => (c < 2 ? '---' : '---:')).join(' | ')} |`,
  ];
  for (const row of rows)
    lines.push(`| ${[esc(row.workload), esc(row.collector), ...cells(row)].join(' | ')} |`);
  return `${lines.join('\n')}\n`;
}
