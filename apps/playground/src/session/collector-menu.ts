/** A collector the playground offers, as the page lists it (the worker holds the factories). */
export interface CollectorInfo {
  /** Short name (`refcount`, `marksweep`...), used in URLs. */
  readonly name: string;
  /** Name shown in the page. */
  readonly title: string;
  /** One line on what it does. */
  readonly blurb: string;
}

/** Mark-sweep collects once this many bytes were allocated since the last collection (small, so examples show it). */
export const MARKSWEEP_MINIMUM_BYTES = 8192;

/** The collectors offered, in menu order. */
export const COLLECTOR_MENU: readonly CollectorInfo[] = [
  {
    name: 'refcount',
    title: 'Reference counting',
    blurb: 'frees an object the moment its count reaches zero; cycles leak',
  },
  {
    name: 'marksweep',
    title: 'Mark-sweep',
    blurb: `traces from the roots when the heap has grown (at least ${MARKSWEEP_MINIMUM_BYTES / 1024} KiB) or at gc.collect(), frees the rest`,
  },
  {
    name: 'generational',
    title: 'CPython generational',
    blurb: 'reference counting plus CPython’s cycle detector over three generations',
  },
  {
    name: 'copying',
    title: 'Semispace copying',
    blurb:
      'copies what is reachable to the other half of the heap at each collection: survivors move, so id() changes',
  },
  {
    name: 'none',
    title: 'None (baseline)',
    blurb: 'never frees anything: every other collector is measured against it',
  },
];

/** The menu entry of collector `name`, or undefined. */
export function findCollectorInfo(name: string): CollectorInfo | undefined {
  return COLLECTOR_MENU.find((c) => c.name === name);
}
