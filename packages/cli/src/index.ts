/**
 * `@heaplab/cli`: the `heaplab` command line. {@link main} runs it with any streams, which is how
 * tests and other tools embed it.
 *
 * @packageDocumentation
 */
export type { Command } from './commands/command.js';
export { CliError, EXIT_FAILED, EXIT_OK, EXIT_USAGE } from './errors.js';
export { FORMATS, type Format, formatResults } from './format/format-results.js';
export { METRIC_COLUMNS, type MetricColumn, type ResultRow, resultRow } from './format/result-row.js';
export type { CliIo, OutStream } from './io.js';
export { COMMANDS, main } from './main.js';
export { type ReportOptions, renderReport } from './report/render-report.js';
export { createStyle, type Style } from './style.js';
export type { TraceHeader } from './trace/parse-trace-line.js';
export {
  type FieldKind,
  type FieldSpec,
  OP_FIELDS,
  TRACE_FORMAT,
  TRACE_VERSION,
} from './trace/trace-fields.js';
export { traceSchema } from './trace/trace-schema.js';
