import type { ObjectView, Snapshot } from '../session/protocol.js';

/** Box geometry of the diagram. */
export const BOX = { w: 140, h: 52, colGap: 34, rowGap: 12, rootW: 100, rootH: 24, pad: 8 } as const;

/** Where a variable of the roots column sits. */
export interface RootSlot {
  /** Display name (`x`, `f: y`). */
  readonly name: string;
  /** The object key it refers to (0: unbound). */
  readonly to: number;
  /** Top edge. */
  readonly y: number;
  /** A frame heading instead of a variable. */
  readonly heading?: boolean;
}

/** The placed diagram. */
export interface Layout {
  /** Roots column. */
  readonly roots: readonly RootSlot[];
  /** Top-left corner of each object by key. */
  readonly at: ReadonlyMap<number, { x: number; y: number }>;
  /** Total width. */
  readonly width: number;
  /** Total height. */
  readonly height: number;
  /** The x of the first column of garbage (unreachable objects), when there is any. */
  readonly garbageX: number | null;
  /** Box height: {@link BOX}.h, or one line high in a crowded diagram. */
  readonly boxH: number;
}

/** Above this many objects, boxes shrink to one line. */
export const COMPACT_ABOVE = 100;

/**
 * Places objects in columns by their distance from the roots (breadth first, in variable order),
 * so a reference mostly points right; unreachable objects get a last column of their own.
 */
export function layoutSnapshot(snap: Snapshot, extra: readonly ObjectView[] = []): Layout {
  const roots: RootSlot[] = [];
  let y: number = BOX.pad;
  for (const g of snap.globals) {
    roots.push({ name: g.name, to: g.to, y });
    y += BOX.rootH + 6;
  }
  for (const f of snap.frames) {
    roots.push({ name: f.name, to: 0, y, heading: true });
    y += BOX.rootH;
    for (const v of f.vars) {
      roots.push({ name: v.name, to: v.to, y });
      y += BOX.rootH + 6;
    }
  }
  const objects = [...(snap.objects ?? []), ...extra];
  const byKey = new Map(objects.map((o) => [o.key, o]));
  const depth = new Map<number, number>();
  let frontier = roots.filter((r) => r.to !== 0 && byKey.has(r.to)).map((r) => r.to);
  for (const k of frontier) depth.set(k, 1);
  frontier = [...new Set(frontier)];
  for (let d = 1; frontier.length > 0; d++) {
    const next: number[] = [];
    for (const k of frontier) {
      for (const e of byKey.get(k)?.edges ?? []) {
        if (!depth.has(e.to) && byKey.has(e.to)) {
          depth.set(e.to, d + 1);
          next.push(e.to);
        }
      }
    }
    frontier = next;
  }
  const maxDepth = Math.max(0, ...depth.values());
  const columns: number[][] = [];
  for (const o of objects) {
    const col = (depth.get(o.key) ?? maxDepth + 1) - 1;
    (columns[col] ??= []).push(o.key);
  }
  const boxH = objects.length > COMPACT_ABOVE ? 22 : BOX.h;
  const rowGap = objects.length > COMPACT_ABOVE ? 6 : BOX.rowGap;
  const at = new Map<number, { x: number; y: number }>();
  const x0 = BOX.pad + BOX.rootW + BOX.colGap;
  let height = y;
  columns.forEach((keys, c) => {
    keys.forEach((k, r) => {
      const pos = { x: x0 + c * (BOX.w + BOX.colGap), y: BOX.pad + r * (boxH + rowGap) };
      at.set(k, pos);
      height = Math.max(height, pos.y + boxH + BOX.pad);
    });
  });
  const garbage = objects.some((o) => !depth.has(o.key));
  return {
    roots,
    at,
    width: x0 + Math.max(1, columns.length) * (BOX.w + BOX.colGap),
    height: Math.max(height, 80) + 18,
    garbageX: garbage ? x0 + maxDepth * (BOX.w + BOX.colGap) : null,
    boxH,
  };
}
