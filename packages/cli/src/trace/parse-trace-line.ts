import { didYouMean, type TypeSpec } from '@heaplab/core';
import { MUTATOR_OP_NAMES, type MutatorOp, type MutatorOpName } from '@heaplab/workloads';
import { usageError } from '../errors.js';
import type { HeapOp } from './heap-op.js';
import {
  type FieldKind,
  type FieldSpec,
  HEAP_OP_FIELDS,
  OP_FIELDS,
  TRACE_FORMAT,
  TRACE_VERSIONS,
  TYPE_ENUMS,
  TYPE_FIELDS,
} from './trace-fields.js';

/** The first line of a trace. */
export interface TraceHeader {
  /** Always {@link TRACE_FORMAT}. */
  readonly format: typeof TRACE_FORMAT;
  /** The format version. */
  readonly version: number;
  /** What was recorded. */
  readonly source?: string;
  /** The collector it was recorded under. */
  readonly collector?: string;
  /** The workload seed. */
  readonly seed?: number;
  /** The workload parameters. */
  readonly params?: Readonly<Record<string, number>>;
  /** The object types, defined in this order before replay. */
  readonly types: readonly TypeSpec[];
}

/** Where a line came from, for messages: `file:line`. */
export interface LineRef {
  /** The file as the user named it. */
  readonly file: string;
  /** 1-based line number. */
  readonly line: number;
}

const fail = (at: LineRef, message: string) => usageError(`${at.file}:${at.line}: ${message}`);

/** Parses a line as a JSON object; a syntax error names the line and column. */
export function parseJsonLine(text: string, at: LineRef): Record<string, unknown> {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const pos = /position (\d+)/.exec(message);
    const column = pos ? `:${Number(pos[1]) + 1}` : '';
    throw usageError(
      `${at.file}:${at.line}${column}: not valid JSON (${message.replace(/ in JSON at position \d+.*$/, '')})`,
    );
  }
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    throw fail(at, 'each line of a trace must be a JSON object');
  }
  return value as Record<string, unknown>;
}

function describe(value: unknown): string {
  return value === undefined ? 'nothing' : JSON.stringify(value);
}

function checkKind(kind: FieldKind, value: unknown): string | null {
  switch (kind) {
    case 'string':
      return typeof value === 'string' ? null : 'a string';
    case 'name':
      return typeof value === 'string' && value !== '' ? null : 'a variable name';
    case 'nameOrNull':
      return value === null || (typeof value === 'string' && value !== '') ? null : 'a variable name or null';
    case 'index':
      return Number.isSafeInteger(value) && (value as number) >= 0 ? null : 'a whole number of at least 0';
    case 'boolean':
      return typeof value === 'boolean' ? null : 'true or false';
    case 'scalar':
      return ['string', 'number', 'boolean'].includes(typeof value) ? null : 'a string, number or boolean';
    case 'names':
      return Array.isArray(value) && value.every((v) => typeof v === 'string' && v !== '')
        ? null
        : 'a list of variable names';
    case 'collectKind':
      return value === 'full' || value === 'minor' || value === 'increment'
        ? null
        : '"full", "minor" or "increment"';
    case 'id':
      return Number.isSafeInteger(value) && (value as number) >= 1 ? null : 'an object number (1 or more)';
    case 'idOrNull':
      return value === null || (Number.isSafeInteger(value) && (value as number) >= 1)
        ? null
        : 'an object number or null';
    case 'indices':
      return Array.isArray(value) && value.every((v) => Number.isSafeInteger(v) && v >= 0)
        ? null
        : 'a list of whole numbers';
    case 'ops':
      return Array.isArray(value) ? null : 'a list of operations';
    case 'object':
      return value !== null && typeof value === 'object' && !Array.isArray(value) ? null : 'an object';
  }
}

function checkFields(
  obj: Record<string, unknown>,
  fields: Readonly<Record<string, FieldSpec>>,
  skip: readonly string[],
  at: LineRef,
  what: string,
): void {
  for (const [name, spec] of Object.entries(fields)) {
    if (!(name in obj)) {
      if (spec.required) throw fail(at, `${what} lacks the field "${name}"`);
      continue;
    }
    const expected = checkKind(spec.kind, obj[name]);
    if (expected)
      throw fail(at, `field "${name}" of ${what} must be ${expected}, got ${describe(obj[name])}`);
  }
  for (const key of Object.keys(obj)) {
    if (!(key in fields) && !skip.includes(key)) {
      throw fail(at, `${what} has an unknown field "${key}".${didYouMean(key, Object.keys(fields))}`);
    }
  }
}

/** Checks an operation line and returns it as a {@link MutatorOp}. */
export function parseOp(obj: Record<string, unknown>, at: LineRef): MutatorOp {
  const op = obj.op;
  if (typeof op !== 'string') throw fail(at, `field "op" must name an operation, got ${describe(op)}`);
  if (!(MUTATOR_OP_NAMES as readonly string[]).includes(op)) {
    throw fail(at, `field "op": unknown operation "${op}".${didYouMean(op, MUTATOR_OP_NAMES)}`);
  }
  checkFields(obj, OP_FIELDS[op as MutatorOpName], ['op'], at, `operation "${op}"`);
  return obj as unknown as MutatorOp;
}

/** Checks a type's plain-data spec; `where` names it in messages (`types[2]`, `spec`). */
export function parseTypeSpec(t: unknown, at: LineRef, where: string): TypeSpec {
  if (t === null || typeof t !== 'object' || Array.isArray(t))
    throw fail(at, `field "${where}" must be an object`);
  const type = t as Record<string, unknown>;
  checkFields(type, TYPE_FIELDS, [...Object.keys(TYPE_ENUMS), 'freeList'], at, where);
  for (const [name, words] of Object.entries(TYPE_ENUMS)) {
    if (name in type && !words.includes(type[name] as string)) {
      throw fail(
        at,
        `field "${where}.${name}" must be one of ${words.join(', ')}, got ${describe(type[name])}`,
      );
    }
  }
  return type as unknown as TypeSpec;
}

/**
 * Checks a version-2 line (a heap operation), and the operations nested in a `finalizer` or
 * `callback` block; `path` prefixes field names in messages (`ops[3].`).
 */
export function parseHeapOp(obj: unknown, at: LineRef, path = ''): HeapOp {
  if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
    throw fail(at, `${path ? `field "${path.slice(0, -1)}"` : 'the line'} must be a JSON object`);
  }
  const line = obj as Record<string, unknown>;
  const op = line.op;
  const names = Object.keys(HEAP_OP_FIELDS);
  if (typeof op !== 'string') throw fail(at, `field "${path}op" must name an operation, got ${describe(op)}`);
  if (!names.includes(op)) {
    throw fail(at, `field "${path}op": unknown operation "${op}".${didYouMean(op, names)}`);
  }
  const fields = HEAP_OP_FIELDS[op];
  for (const [name, spec] of Object.entries(fields)) {
    if (!(name in line)) {
      if (spec.required) throw fail(at, `operation "${op}" lacks the field "${path}${name}"`);
      continue;
    }
    const expected = checkKind(spec.kind, line[name]);
    if (expected) {
      throw fail(
        at,
        `field "${path}${name}" of operation "${op}" must be ${expected}, got ${describe(line[name])}`,
      );
    }
  }
  for (const key of Object.keys(line)) {
    if (key !== 'op' && !(key in fields)) {
      throw fail(
        at,
        `operation "${op}" has an unknown field "${path}${key}".${didYouMean(key, Object.keys(fields))}`,
      );
    }
  }
  if (op === 'type') parseTypeSpec(line.spec, at, `${path}spec`);
  if (op === 'finalizer' || op === 'callback') {
    (line.ops as unknown[]).forEach((inner, k) => {
      parseHeapOp(inner, at, `${path}ops[${k}].`);
    });
  }
  return line as unknown as HeapOp;
}

/** Checks the header line. */
export function parseHeader(obj: Record<string, unknown>, at: LineRef): TraceHeader {
  if (obj.format !== TRACE_FORMAT) {
    throw fail(
      at,
      `not a heaplab trace: the first line must have "format": "${TRACE_FORMAT}", got ${describe(obj.format)}`,
    );
  }
  if (!TRACE_VERSIONS.includes(obj.version as number)) {
    throw fail(
      at,
      `field "version": this heaplab reads trace versions ${TRACE_VERSIONS.join(' and ')}, got ${describe(obj.version)}`,
    );
  }
  if (!Array.isArray(obj.types))
    throw fail(at, `field "types" must be a list of types, got ${describe(obj.types)}`);
  obj.types.forEach((t: unknown, k: number) => {
    parseTypeSpec(t, at, `types[${k}]`);
  });
  const known = ['format', 'version', 'source', 'collector', 'seed', 'params', 'types'];
  for (const key of Object.keys(obj)) {
    if (!known.includes(key))
      throw fail(at, `the header has an unknown field "${key}".${didYouMean(key, known)}`);
  }
  return obj as unknown as TraceHeader;
}
