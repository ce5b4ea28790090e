// Draws a heap as an SVG picture: global roots on the left, objects in columns by distance from
// the roots, unreachable objects in a last column, strong references as arrows and weak ones dashed.
import { F_ALIVE, type Heap, hexAddress, type ObjIndex, reachableMarks } from '@heaplab/core';

/** How one object is drawn. */
export type ObjectStyle = 'live' | 'garbage' | 'new';

/** What to draw. */
export interface HeapPicture {
  readonly title: string;
  readonly heap: Heap;
  /** A short third line under the type and address (a count, a mark, a generation). */
  readonly note?: (i: ObjIndex) => string | undefined;
  /** Default: reachable objects are live, the others garbage. */
  readonly style?: (i: ObjIndex) => ObjectStyle;
}

const W = 150;
const H = 52;
const GAP_X = 70;
const GAP_Y = 22;
const TOP = 56;
const LEFT = 120;
const FILL: Record<ObjectStyle, string> = { live: '#ffffff', garbage: '#eeeeee', new: '#e8f4ff' };
const xml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

export function drawHeap(picture: HeapPicture): string {
  const { heap } = picture;
  const t = heap.tables;
  const marks = reachableMarks(heap);
  const column = new Map<ObjIndex, number>();
  let frontier: ObjIndex[] = [];
  const globals = heap.roots.globals();
  for (const { ref } of globals) {
    const i = heap.index(ref);
    if (column.has(i)) continue;
    column.set(i, 0);
    frontier.push(i);
  }
  for (let depth = 1; frontier.length > 0; depth++) {
    const next: ObjIndex[] = [];
    for (const o of frontier) {
      for (let k = 0; k < t.slotLen(o); k++) {
        const c = heap.slots.data[t.slotOff(o) + k];
        if (c === 0 || column.has(c)) continue;
        column.set(c, depth);
        next.push(c);
      }
    }
    frontier = next;
  }
  const last = Math.max(0, ...column.values()) + 1;
  heap.forEachLive((i) => {
    if (!column.has(i)) column.set(i, last);
  });
  const rows = new Map<number, number>();
  const at = new Map<ObjIndex, { x: number; y: number }>();
  for (const [i, c] of column) {
    const r = rows.get(c) ?? 0;
    rows.set(c, r + 1);
    at.set(i, { x: LEFT + c * (W + GAP_X), y: TOP + r * (H + GAP_Y) });
  }
  const width = LEFT + (last + 1) * (W + GAP_X);
  const height = TOP + Math.max(globals.length, ...rows.values()) * (H + GAP_Y) + 10;
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" font-family="monospace" font-size="12" role="img" aria-label="${xml(picture.title)}">`,
    `<title>${xml(picture.title)}</title>`,
    '<defs><marker id="arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" orient="auto"><path d="M0,0 L10,5 L0,10 z" fill="#333"/></marker></defs>',
    `<rect width="${width}" height="${height}" fill="#fafafa"/>`,
    `<text x="12" y="24" font-size="14" font-weight="bold">${xml(picture.title)}</text>`,
  ];
  const arrow = (x1: number, y1: number, x2: number, y2: number, dashed: boolean) => {
    // Same column: an arc on the right side; backwards: a curve below; forwards: a straight line.
    let path = `M${x1},${y1} L${x2},${y2}`;
    if (x2 === x1) path = `M${x1},${y1} C${x1 + 45},${y1} ${x1 + 45},${y2} ${x1},${y2}`;
    else if (x2 < x1) path = `M${x1},${y1} Q${(x1 + x2) / 2},${Math.max(y1, y2) + H} ${x2},${y2}`;
    out.push(
      `<path d="${path}" fill="none" stroke="#333" marker-end="url(#arrow)"${dashed ? ' stroke-dasharray="5,4"' : ''}/>`,
    );
  };
  globals.forEach(({ name, ref }, r) => {
    const y = TOP + r * (H + GAP_Y) + H / 2;
    out.push(`<text x="12" y="${y + 4}">${xml(name)}</text>`);
    const to = at.get(heap.index(ref))!;
    arrow(60, y, to.x, to.y + H / 2, false);
  });
  for (const [i, p] of at) {
    for (let k = 0; k < t.slotLen(i); k++) {
      const c = heap.slots.data[t.slotOff(i) + k];
      if (c === 0) continue;
      const q = at.get(c)!;
      arrow(p.x + W, p.y + H / 2, q.x === p.x ? q.x + W : q.x, q.y + H / 2, false);
    }
    const target = t.hasWeakTables ? t.wrTarget[i] : 0;
    if (target !== 0 && t.flags(target) & F_ALIVE) {
      const q = at.get(target)!;
      arrow(p.x + W / 2, p.y + H, q.x + W / 2, q.y + H, true);
    }
  }
  for (const [i, p] of at) {
    const style = picture.style?.(i) ?? (marks[i] ? 'live' : 'garbage');
    const ink = style === 'garbage' ? '#888888' : '#222222';
    const dash = style === 'garbage' ? ' stroke-dasharray="4,3"' : '';
    out.push(
      `<rect x="${p.x}" y="${p.y}" width="${W}" height="${H}" rx="6" fill="${FILL[style]}" stroke="${ink}"${dash}/>`,
    );
    const type = heap.types.get(t.type(i)).name;
    out.push(
      `<text x="${p.x + 8}" y="${p.y + 15}" fill="${ink}" font-weight="bold">${xml(type)} #${i}</text>`,
    );
    out.push(`<text x="${p.x + 8}" y="${p.y + 30}" fill="${ink}">${hexAddress(t.addr(i))}</text>`);
    const note = picture.note?.(i);
    if (note) out.push(`<text x="${p.x + 8}" y="${p.y + 45}" fill="#b03a2e">${xml(note)}</text>`);
  }
  out.push('</svg>');
  return `${out.join('\n')}\n`;
}
