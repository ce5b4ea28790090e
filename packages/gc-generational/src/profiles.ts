/** Names of the built-in profiles. */
export type ProfileName = 'cpython-3.11' | 'cpython-3.12' | 'cpython-3.13' | 'cpython-3.14';

/**
 * One CPython version's collector behaviour, as data. The collector reads these fields and
 * nothing else about versions, so a new version is a new entry.
 */
export interface GcProfile {
  /** The profile's name, e.g. `cpython-3.11`. */
  readonly name: string;
  /**
   * `generational`: three generations collected young-first (3.11 to 3.13). `incremental`: a
   * young generation and an old one split into pending and visited halves, scanned in increments
   * (3.14).
   */
  readonly design: 'generational' | 'incremental';
  /** The initial `gc.get_threshold()`. */
  readonly thresholds: readonly [number, number, number];
  /**
   * When an automatic collection runs: `allocation` — synchronously inside the allocation that
   * pushes the count over threshold 0 (3.11); `safepoint` — that allocation only schedules it
   * and it runs at the next eval-breaker check, i.e. the heap's next safepoint (3.12 on).
   */
  readonly trigger: 'allocation' | 'safepoint';
  /**
   * What `count[0]` counts: `allocations` — +1 per allocation of a container that does not come
   * from a type free list, −1 per such free, never below 0 (3.11 to 3.13); `tracking` — +1
   * whenever a container starts being tracked, −1 whenever one stops, never below 0 (3.14).
   */
  readonly youngCount: 'allocations' | 'tracking';
}

/** CPython 3.11: three generations, thresholds (700, 10, 10), collection inside allocation. */
export const CPYTHON_311: GcProfile = {
  name: 'cpython-3.11',
  design: 'generational',
  thresholds: [700, 10, 10],
  trigger: 'allocation',
  youngCount: 'allocations',
};

/** CPython 3.12: as 3.11, but the allocation only schedules the collection (eval breaker). */
export const CPYTHON_312: GcProfile = {
  ...CPYTHON_311,
  name: 'cpython-3.12',
  trigger: 'safepoint',
};

/** CPython 3.13: as 3.12 with threshold 0 raised to 2000 (the incremental collector was reverted). */
export const CPYTHON_313: GcProfile = {
  ...CPYTHON_312,
  name: 'cpython-3.13',
  thresholds: [2000, 10, 10],
};

/** CPython 3.14: the incremental collector (young plus pending/visited old spaces), (2000, 10, 0). */
export const CPYTHON_314: GcProfile = {
  name: 'cpython-3.14',
  design: 'incremental',
  thresholds: [2000, 10, 0],
  trigger: 'safepoint',
  youngCount: 'tracking',
};

/** Every built-in profile by name; `cpython-3.11` is the default. */
export const PROFILES: Readonly<Record<ProfileName, GcProfile>> = {
  'cpython-3.11': CPYTHON_311,
  'cpython-3.12': CPYTHON_312,
  'cpython-3.13': CPYTHON_313,
  'cpython-3.14': CPYTHON_314,
};

/** The default profile's name. */
export const DEFAULT_PROFILE: ProfileName = 'cpython-3.11';
