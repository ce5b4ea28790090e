import { MUTATOR_OP_NAMES } from '@heaplab/workloads';
import {
  type FieldKind,
  type FieldSpec,
  OP_FIELDS,
  TRACE_FORMAT,
  TRACE_VERSION,
  TYPE_ENUMS,
  TYPE_FIELDS,
} from './trace-fields.js';

const KIND_SCHEMAS: Record<FieldKind, object> = {
  string: { type: 'string' },
  name: { type: 'string', minLength: 1 },
  nameOrNull: { type: ['string', 'null'], minLength: 1 },
  index: { type: 'integer', minimum: 0 },
  boolean: { type: 'boolean' },
  scalar: { type: ['string', 'number', 'boolean'] },
  names: { type: 'array', items: { type: 'string', minLength: 1 } },
  collectKind: { enum: ['full', 'minor'] },
};

function objectSchema(fields: Readonly<Record<string, FieldSpec>>, extra: Record<string, object> = {}) {
  const properties: Record<string, object> = { ...extra };
  for (const [name, spec] of Object.entries(fields)) properties[name] = KIND_SCHEMAS[spec.kind];
  const required = [
    ...Object.keys(extra),
    ...Object.entries(fields)
      .filter(([, s]) => s.required)
      .map(([n]) => n),
  ];
  return { type: 'object', properties, required, additionalProperties: false };
}

/**
 * The JSON Schema of one line of a heaplab trace (JSON Lines): the first line is the header,
 * every other line one mutator operation. Generated from the same tables the reader checks
 * against; the published copy is `schema/trace.schema.json`.
 */
export function traceSchema(): object {
  const typeSchema = objectSchema(TYPE_FIELDS) as { properties: Record<string, object> };
  for (const [name, words] of Object.entries(TYPE_ENUMS)) typeSchema.properties[name] = { enum: [...words] };
  typeSchema.properties.freeList = {
    type: 'object',
    properties: {
      capacity: { type: 'integer', minimum: 0 },
      byLength: { type: 'boolean' },
      maxLength: { type: 'integer', minimum: 0 },
    },
    required: ['capacity'],
    additionalProperties: false,
  };
  return {
    $schema: 'https://json-schema.org/draft/2020-12/schema',
    $id: `https://heaplab.dev/schema/trace-v${TRACE_VERSION}.schema.json`,
    title: `heaplab trace, version ${TRACE_VERSION} (one JSON Lines line)`,
    description:
      'A heaplab trace is JSON Lines: line 1 is a header naming the format, its version and the object types; each further line is one mutator operation. Objects are named by variable (a local of the top frame, else a global) and types by name, so a trace replays under any collector.',
    oneOf: [{ $ref: '#/$defs/header' }, ...MUTATOR_OP_NAMES.map((op) => ({ $ref: `#/$defs/op-${op}` }))],
    $defs: {
      header: {
        type: 'object',
        properties: {
          format: { const: TRACE_FORMAT },
          version: { const: TRACE_VERSION },
          source: { type: 'string', description: 'what was recorded (workload:NAME or a file name)' },
          collector: { type: 'string', description: 'the collector it was recorded under' },
          seed: { type: 'integer' },
          params: { type: 'object', additionalProperties: { type: 'number' } },
          types: { type: 'array', items: { $ref: '#/$defs/type' } },
        },
        required: ['format', 'version', 'types'],
        additionalProperties: false,
      },
      type: typeSchema,
      ...Object.fromEntries(
        MUTATOR_OP_NAMES.map((op) => [`op-${op}`, objectSchema(OP_FIELDS[op], { op: { const: op } })]),
      ),
    },
  };
}
