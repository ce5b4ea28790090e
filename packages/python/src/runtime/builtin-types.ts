/**
 * The builtin types' {@link PyType} records. Their order here is the order their static type
 * objects get addresses in, so it is part of what a run prints.
 */
import type { HeapTypes } from './heap-types.js';
import { type Kind, PyType } from './pytype.js';
import type { Runtime } from './runtime.js';

/** Registers the builtin types of `ht` in `rt.types` and `rt.typeById`. */
export function defineBuiltinTypes(rt: Runtime, ht: HeapTypes): void {
  const mk = (name: string, heapType: number, kind: Kind, base: PyType | null, offset = 0) => {
    const t = new PyType(name, heapType, kind);
    t.headerOffset = offset;
    t.bases = base ? [base] : [];
    t.mro = [t, ...(base ? base.mro : [])];
    rt.types.set(name, t);
    if (rt.typeById[heapType] === undefined) rt.typeById[heapType] = t;
    return t;
  };
  const object = mk('object', ht.object, 'object', null);
  const typeType = mk('type', ht.type, 'type', object, 16);
  typeType.weakrefable = true;
  const int = mk('int', ht.int, 'int', object);
  mk('bool', ht.bool, 'bool', int);
  mk('float', ht.float, 'float', object);
  mk('str', ht.str, 'str', object);
  mk('NoneType', ht.none, 'none', object);
  mk('tuple', ht.tuple, 'tuple', object, 16);
  mk('list', ht.list, 'list', object, 16);
  mk('dict', ht.dict, 'dict', object, 16);
  mk('set', ht.set, 'set', object, 16).weakrefable = true;
  mk('frozenset', ht.frozenset, 'frozenset', object, 16).weakrefable = true;
  mk('function', ht.function, 'function', object, 16).weakrefable = true;
  mk('builtin_function_or_method', ht.builtin, 'builtin', object, 16);
  mk('method_descriptor', ht.descriptor, 'descriptor', object, 16);
  mk('method', ht.method, 'method', object, 16);
  mk('cell', ht.cell, 'cell', object, 16);
  mk('module', ht.module, 'module', object, 16).weakrefable = true;
  const wr = mk('ReferenceType', ht.weakref, 'weakref', object, 16);
  (wr as { module: string }).module = 'weakref';
  mk('ProxyType', ht.proxy, 'proxy', object, 16);
  mk('generator', ht.generator, 'generator', object, 16).weakrefable = true;
  mk('range', ht.range, 'range', object);
  mk('iterator', ht.iterator, 'iterator', object, 16);
  mk('range_iterator', ht.plainIterator, 'iterator', object);
  mk('slice', ht.slice, 'slice', object, 16);
  mk('property', ht.property, 'property', object, 16);
  mk('staticmethod', ht.staticmethod, 'staticmethod', object, 16);
  mk('classmethod', ht.classmethod, 'classmethod', object, 16);
  mk('super', ht.super, 'super', object, 16);
  mk('NotImplementedType', ht.singleton, 'singleton', object);
  mk('ellipsis', ht.singleton, 'singleton', object);
}
