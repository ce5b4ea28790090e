import fc from 'fast-check';
import { KIT_VARIABLES, type KitOp } from './program.js';

/** Options of {@link kitProgram}. */
export interface KitProgramOptions {
  /** Fewest operations (default 1). */
  readonly minLength?: number;
  /** Most operations (default 300). */
  readonly maxLength?: number;
  /** Generations a `collect` operation may name (default 3: 0, 1, 2). */
  readonly generations?: number;
  /** Largest `churn` burst (default 40). */
  readonly maxChurn?: number;
  /**
   * fast-check's size for the program length (default `'max'`: lengths spread over the whole
   * range; fast-check's own default, `'small'`, rarely goes past ten operations).
   */
  readonly size?: fc.SizeForArbitrary;
}

/** A fast-check arbitrary of kit programs: allocation, rewiring, frames, weak references, finalizers that resurrect, collections. */
export function kitProgram(options: KitProgramOptions = {}): fc.Arbitrary<KitOp[]> {
  const v = fc.integer({ min: 0, max: KIT_VARIABLES - 1 });
  const generations = options.generations ?? 3;
  const op: fc.Arbitrary<KitOp> = fc.oneof(
    {
      weight: 6,
      arbitrary: fc.record({
        op: fc.constant('new' as const),
        v,
        kind: fc.constantFrom(
          'plain' as const,
          'plain' as const,
          'leaf' as const,
          'list' as const,
          'fin' as const,
        ),
        slots: fc.integer({ min: 1, max: 3 }),
        resurrect: fc.boolean(),
      }),
    },
    {
      weight: 8,
      arbitrary: fc.record({
        op: fc.constant('link' as const),
        v,
        slot: fc.integer({ min: 0, max: 5 }),
        to: fc.option(v, { freq: 5 }),
      }),
    },
    {
      weight: 3,
      arbitrary: fc.record({
        op: fc.constant('load' as const),
        v,
        from: v,
        slot: fc.integer({ min: 0, max: 5 }),
      }),
    },
    { weight: 2, arbitrary: fc.record({ op: fc.constant('copy' as const), v, from: v }) },
    { weight: 5, arbitrary: fc.record({ op: fc.constant('unbind' as const), v }) },
    { weight: 1, arbitrary: fc.constant({ op: 'call' as const }) },
    { weight: 1, arbitrary: fc.constant({ op: 'return' as const }) },
    {
      weight: 2,
      arbitrary: fc.record({ op: fc.constant('weakref' as const), v, target: v, callback: fc.boolean() }),
    },
    { weight: 1, arbitrary: fc.record({ op: fc.constant('deref' as const), v, from: v }) },
    {
      weight: 2,
      arbitrary: fc.record({
        op: fc.constant('collect' as const),
        kind: fc.constantFrom('full' as const, 'minor' as const),
        generation: fc.integer({ min: 0, max: Math.max(0, generations - 1) }),
      }),
    },
    { weight: 1, arbitrary: fc.constant({ op: 'unsave' as const }) },
    {
      weight: 1,
      arbitrary: fc.record({
        op: fc.constant('churn' as const),
        n: fc.integer({ min: 1, max: options.maxChurn ?? 40 }),
        cyclic: fc.boolean(),
      }),
    },
  );
  return fc.array(op, {
    minLength: options.minLength ?? 1,
    maxLength: options.maxLength ?? 300,
    size: options.size ?? 'max',
  });
}
