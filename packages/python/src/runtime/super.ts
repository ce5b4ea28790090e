/** `super()`: finding the class a method was defined in and making the super object. */
import { NULL_REF, type Ref } from '@heaplab/core';
import { type PyType, raise } from './pytype.js';
import type { Runtime } from './runtime.js';

/** `super(...)`: pushes a super object. */
export function makeSuper(rt: Runtime, args: Ref[]): Ref {
  let start: PyType;
  let obj: Ref;
  if (args.length >= 2) {
    start = rt.pl<PyType>(args[0]);
    obj = args[1];
  } else {
    const frame = rt.vm.current;
    obj = frame?.code.localNames.length ? rt.heap.roots.getLocal(0) : NULL_REF;
    if (!frame || obj === NULL_REF) raise('RuntimeError', 'super(): no arguments');
    const mro = rt.kindOf(obj) === 'type' ? rt.pl<PyType>(obj).mro : rt.typeOf(obj).mro;
    const fn = frame.fn;
    const owner = mro.find(
      (c) =>
        c.user &&
        [...c.attrSlots.values()].some((k) => {
          const v = rt.heap.get(c.ref, k);
          return (
            v === fn ||
            (v !== NULL_REF &&
              rt.heap.length(v) > 0 &&
              (rt.kindOf(v) === 'classmethod' ||
                rt.kindOf(v) === 'staticmethod' ||
                rt.kindOf(v) === 'property') &&
              rt.heap.referents(v).includes(fn))
          );
        }),
    );
    if (!owner) raise('RuntimeError', 'super(): __class__ cell not found');
    start = owner;
  }
  const sup = rt.heap.allocWith(rt.ht.super, { slots: 1, payload: { start } });
  rt.heap.set(sup, 0, obj);
  return sup;
}
