import type { ObjectView, Snapshot } from '../session/protocol.js';
import { BOX, type Layout, layoutSnapshot } from './layout.js';

/** Objects to highlight while a collection's phases play. */
export interface Highlight {
  /** Phase name shown over the diagram. */
  readonly phase?: string;
  /** What the phase's set holds: survivors (marked), garbage (unreachable, swept), or other. */
  readonly kind?: 'kept' | 'garbage' | 'other';
  /** Keys in the phase's result set. */
  readonly objects?: ReadonlySet<number>;
}

const esc = (s: string): string =>
  s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);

function stateLine(o: ObjectView, long = false): string {
  const parts: string[] = [];
  if (o.refcount !== null) parts.push(o.refcount < 0 ? 'immortal' : `rc ${o.refcount}`);
  if (o.generation !== undefined) parts.push(`gen ${o.generation}`);
  parts.push(`${o.size} B`);
  if (long && !o.reachable) parts.push('unreachable');
  return parts.join(' · ');
}

const short = (t: string): string => (t.length > 19 ? `${t.slice(0, 18)}…` : t);

function edgePath(x1: number, y1: number, x2: number, y2: number, bh: number = BOX.h): string {
  if (x2 > x1 + 10) {
    const dx = Math.max(30, (x2 - x1) / 2);
    return `M${x1},${y1} C${x1 + dx},${y1} ${x2 - dx},${y2} ${x2},${y2}`;
  }
  // Backward or same-column reference: loop around below.
  const drop = Math.max(y1, y2) + bh * 0.9;
  return `M${x1},${y1} C${x1 + 50},${drop} ${x2 - 50},${drop} ${x2},${y2}`;
}

/**
 * The heap as SVG: the roots column on the left, objects as boxes (type and value, `hex(id)`,
 * refcount or generation, size), references as arrows (strong solid, weak dashed). `leaving`
 * objects (freed by the last statement) are drawn fading out where they were.
 */
export function renderDiagram(
  snap: Snapshot,
  leaving: readonly ObjectView[],
  highlight: Highlight,
  selected: number,
): { svg: string; layout: Layout } {
  const layout = layoutSnapshot(snap, leaving);
  const objects = [...(snap.objects ?? []), ...leaving];
  const gone = new Set(leaving.map((o) => o.key));
  // Tooltips on every arrow cost more than they help once the diagram is crowded.
  const titles = objects.length <= 80;
  const parts: string[] = [];
  const w = layout.width;
  const h = layout.height;
  parts.push(
    `<svg class="heap" viewBox="0 0 ${w} ${h}" width="${w}" height="${h}" role="group" aria-label="heap diagram">`,
    '<defs><marker id="ah" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L8,4L0,8z" class="ah"/></marker>',
    '<marker id="ahw" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0,0L8,4L0,8z" class="ahw"/></marker></defs>',
  );
  if (layout.garbageX !== null) {
    parts.push(
      `<rect class="garbage-zone" x="${layout.garbageX - BOX.colGap / 2}" y="0" width="${w - layout.garbageX + BOX.colGap / 2}" height="${h}"/>`,
      `<text class="zone-label" x="${layout.garbageX}" y="${h - 4}">unreachable</text>`,
    );
  }
  // Arrows first so boxes sit on top.
  const at = layout.at;
  const bh = layout.boxH;
  const compact = bh < BOX.h;
  for (const r of layout.roots) {
    const to = at.get(r.to);
    if (r.heading || !to) continue;
    const y1 = r.y + BOX.rootH / 2;
    parts.push(
      `<path class="edge" marker-end="url(#ah)" d="${edgePath(BOX.pad + BOX.rootW, y1, to.x, to.y + bh / 2)}"/>`,
    );
  }
  // In a crowded diagram, references to runtime machinery (every instance's class) are left out.
  const machinery = new Set(compact ? objects.filter((o) => o.opaque).map((o) => o.key) : []);
  for (const o of objects) {
    const from = at.get(o.key);
    if (!from) continue;
    for (const e of o.edges) {
      const to = at.get(e.to);
      if (!to || machinery.has(e.to)) continue;
      const cls = `edge${e.weak ? ' weak' : ''}${gone.has(o.key) ? ' leaving' : ''}`;
      const d = edgePath(from.x + BOX.w, from.y + bh / 2, to.x, to.y + bh / 2, bh);
      parts.push(
        `<path class="${cls}" marker-end="url(#${e.weak ? 'ahw' : 'ah'})" d="${d}">${titles ? `<title>${esc(e.name)}${e.weak ? ' (weak)' : ''}</title>` : ''}</path>`,
      );
    }
  }
  for (const r of layout.roots) {
    if (r.heading) {
      parts.push(`<text class="frame-head" x="${BOX.pad}" y="${r.y + 16}">frame ${esc(r.name)}</text>`);
      continue;
    }
    parts.push(
      `<g class="root"><rect x="${BOX.pad}" y="${r.y}" width="${BOX.rootW}" height="${BOX.rootH}" rx="4"/>`,
      `<text x="${BOX.pad + 8}" y="${r.y + 16}">${esc(r.name)}</text></g>`,
    );
  }
  for (const o of objects) {
    const p = at.get(o.key);
    if (!p) continue;
    const cls = [
      'obj',
      o.reachable ? '' : 'garbage',
      gone.has(o.key) ? 'leaving' : '',
      highlight.objects?.has(o.key) ? `hl-${highlight.kind ?? 'other'}` : '',
      o.key === selected ? 'selected' : '',
    ]
      .filter(Boolean)
      .join(' ');
    const title = `${o.type}${o.label ? ` ${o.label}` : ''}`;
    const aria = `${title} at ${o.address}, ${stateLine(o, true)}${gone.has(o.key) ? ', freed' : ''}`;
    parts.push(
      `<g class="${cls}" data-key="${o.key}" tabindex="0" role="button" aria-label="${esc(aria)}">`,
      `<rect x="${p.x}" y="${p.y}" width="${BOX.w}" height="${bh}" rx="${compact ? 3 : 6}"/>`,
      `<text class="t1" x="${p.x + 8}" y="${p.y + (compact ? 15 : 16)}">${esc(short(compact ? `${title} ${o.refcount !== null && o.refcount >= 0 ? `rc ${o.refcount}` : ''}` : title))}</text>`,
      compact ? '</g>' : `<text class="t2" x="${p.x + 8}" y="${p.y + 31}">${esc(o.address)}</text>`,
      compact ? '' : `<text class="t3" x="${p.x + 8}" y="${p.y + 45}">${esc(stateLine(o))}</text></g>`,
    );
  }
  if (highlight.phase) {
    parts.push(
      `<text class="phase-label" x="${w - 8}" y="16" text-anchor="end">${esc(highlight.phase)}</text>`,
    );
  }
  parts.push('</svg>');
  return { svg: parts.join(''), layout };
}
