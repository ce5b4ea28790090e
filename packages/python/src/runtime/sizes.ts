/** Sizes CPython 3.11 gives int and str objects, for the allocator model and `sys.getsizeof`. */

/** Bytes of an int object with this value (CPython 3.11: 30-bit digits). */
export function intSize(v: number | bigint): number {
  let a = typeof v === 'bigint' ? (v < 0n ? -v : v) : Math.abs(v);
  if (a === 0 || a === 0n) return 24;
  let digits = 0;
  if (typeof a === 'number') {
    while (a >= 1) {
      a = Math.floor(a / 2 ** 30);
      digits++;
    }
  } else {
    while (a > 0n) {
      a >>= 30n;
      digits++;
    }
  }
  return 24 + 4 * digits;
}

/** Bytes of a str object with this text (CPython 3.11 compact strings). */
export function strSize(s: string): number {
  let max = 0;
  for (let i = 0; i < s.length; i++) max = Math.max(max, s.charCodeAt(i));
  if (max < 128) return 49 + s.length;
  if (max < 256) return 73 + s.length;
  return 74 + 2 * s.length;
}
