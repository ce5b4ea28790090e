import { MUTATOR_OP_NAMES } from '@heaplab/workloads';
import {
  type FieldKind,
  type FieldSpec,
  HEAP_OP_FIELDS,
  HEAP_TRACE_VERSION,
  OP_FIELDS,
  TRACE_FORMAT,
  TRACE_VERSIONS,
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
  collectKind: { enum: ['full', 'minor', 'increment'] },
  id: { type: 'integer', minimum: 1 },
  idOrNull: { type: ['integer', 'null'], minimum: 1 },
  indices: { type: 'array', items: { type: 'integer', minimum: 0 } },
  ops: { type: 'array', items: { $ref: '#/$defs/heap-op' } },
  object: { $ref: '#/$defs/type' },
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
    $id: `https://heaplab.dev/schema/trace-v${HEAP_TRACE_VERSION}.schema.json`,
    title: `heaplab trace, versions ${TRACE_VERSIONS.join(' and ')} (one JSON Lines line)`,
    description:
      'A heaplab trace is JSON Lines: line 1 is a header naming the format, its version and (version 1) the object types; each further line is one mutator operation. Version 1 (recorded workloads) names objects by variable (a local of the top frame, else a global) and types by name. Version 2 (recorded from a heap\'s event stream: Python programs) numbers objects in allocation order and defines types with "type" lines; what finalizers and weak-reference callbacks did is a "finalizer" or "callback" block, performed when the replaying collector runs them. Either replays under any collector.',
    anyOf: [
      { $ref: '#/$defs/header' },
      ...MUTATOR_OP_NAMES.map((op) => ({ $ref: `#/$defs/op-${op}` })),
      { $ref: '#/$defs/heap-op' },
    ],
    $defs: {
      header: {
        type: 'object',
        properties: {
          format: { const: TRACE_FORMAT },
          version: { enum: [...TRACE_VERSIONS] },
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
      'heap-op': { anyOf: Object.keys(HEAP_OP_FIELDS).map((op) => ({ $ref: `#/$defs/heap-op-${op}` })) },
      ...Object.fromEntries(
        Object.entries(HEAP_OP_FIELDS).map(([op, fields]) => [
          `heap-op-${op}`,
          objectSchema(fields, { op: { const: op } }),
        ]),
      ),
    },
  };
}
