/** printf-style string formatting (`fmt % args`). */
import type { Ref } from '@heaplab/core';
import { raise } from './pytype.js';
import { pyRepr, pyStr } from './repr.js';
import type { Runtime } from './runtime.js';

/** `fmt % args` for str. */
export function percentFormat(rt: Runtime, fmt: string, args: Ref): string {
  const items = rt.kindOf(args) === 'tuple' ? rt.heap.referents(args) : [args];
  let k = 0;
  const out = fmt.replace(
    /%([-+ 0#]*)(\d+)?(?:\.(\d+))?([sdrifx%])/g,
    (_m, flags: string, width: string, prec: string, conv: string) => {
      if (conv === '%') return '%';
      if (k >= items.length) raise('TypeError', 'not enough arguments for format string');
      const v = items[k++];
      let s: string;
      if (conv === 's') s = pyStr(rt, v);
      else if (conv === 'r') s = pyRepr(rt, v);
      else if (conv === 'f') s = Number(rt.pl<number>(v)).toFixed(prec ? Number(prec) : 6);
      else if (conv === 'x') s = rt.index(v).toString(16);
      else s = String(Math.trunc(Number(rt.pl<number>(v))));
      const w = width ? Number(width) : 0;
      if (s.length < w)
        s = flags.includes('-') ? s.padEnd(w) : s.padStart(w, flags.includes('0') ? '0' : ' ');
      return s;
    },
  );
  if (k < items.length && rt.kindOf(args) === 'tuple')
    raise('TypeError', 'not all arguments converted during string formatting');
  return out;
}
