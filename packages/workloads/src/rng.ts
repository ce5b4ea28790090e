/** A small deterministic random source: the same seed gives the same numbers on every platform. */
export interface Rng {
  /** The next 32-bit unsigned integer. */
  next(): number;
  /** An integer in `0 .. n - 1`. */
  int(n: number): number;
  /** A float in `[0, 1)`. */
  float(): number;
  /** True with probability `p`. */
  chance(p: number): boolean;
}

/**
 * A xorshift32 generator. The seed is mixed first so that small consecutive seeds give unrelated
 * streams; a zero state is avoided.
 */
export function createRng(seed: number): Rng {
  let s = Math.imul((seed | 0) ^ 0x9e3779b9, 0x85ebca6b) >>> 0;
  s = (s ^ (s >>> 13)) >>> 0;
  if (s === 0) s = 2463534242;
  const next = (): number => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
  return {
    next,
    int: (n) => (n <= 1 ? 0 : next() % n),
    float: () => next() / 4294967296,
    chance: (p) => next() / 4294967296 < p,
  };
}
