import type { OutStream } from './io.js';

/** A progress line on a terminal; does nothing on anything else. */
export interface Progress {
  /** Shows `done` of `total`, with a label. */
  update(done: number, total: number, label: string): void;
  /** Erases the line. */
  clear(): void;
}

/** A progress bar on `stream` when it is a terminal, else a no-op. */
export function createProgress(stream: OutStream): Progress {
  if (stream.isTTY !== true) return { update() {}, clear() {} };
  let shown = false;
  return {
    update(done, total, label) {
      const width = 24;
      const filled = total === 0 ? width : Math.round((done / total) * width);
      const bar = '#'.repeat(filled) + '.'.repeat(width - filled);
      const room = Math.max(10, (stream.columns ?? 80) - width - 16);
      stream.write(`\r\u001b[K[${bar}] ${done}/${total} ${label.slice(0, room)}`);
      shown = true;
    },
    clear() {
      if (shown) stream.write('\r\u001b[K');
      shown = false;
    },
  };
}
