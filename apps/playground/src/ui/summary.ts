import type { Snapshot } from '../session/protocol.js';

const esc = (s: string): string =>
  s.replace(/[&<>]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;' })[c]!);

/** The summary of a heap too large to draw: counts and bytes by type (and generation), with bars. */
export function renderSummary(snap: Snapshot): string {
  const rows = snap.summary;
  const max = Math.max(1, ...rows.map((r) => r.bytes));
  const gen = rows.some((r) => r.generation !== undefined);
  const body = rows
    .map(
      (r) =>
        `<tr><th scope="row">${esc(r.type)}</th>${gen ? `<td>${r.generation ?? ''}</td>` : ''}<td>${r.count}</td><td>${r.bytes}</td>` +
        `<td class="bar-cell"><span class="bar" style="width:${Math.max(1, Math.round((r.bytes / max) * 100))}%"></span></td></tr>`,
    )
    .join('');
  return (
    `<div class="summary"><p>${snap.liveObjects} live objects, ${snap.heapBytes} bytes: too many to draw, so here they are by type.</p>` +
    `<table><thead><tr><th scope="col">type</th>${gen ? '<th scope="col">gen</th>' : ''}<th scope="col">objects</th><th scope="col">bytes</th><th scope="col"><span class="sr">share</span></th></tr></thead>` +
    `<tbody>${body}</tbody></table></div>`
  );
}
