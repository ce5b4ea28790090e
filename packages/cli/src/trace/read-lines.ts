import { closeSync, openSync, readSync } from 'node:fs';

/**
 * Calls `onLine` with each line of a file (without its line break) and its 1-based number,
 * reading in fixed-size chunks: memory stays bounded by the longest line, however large the file.
 */
export function readLinesSync(
  path: string,
  onLine: (line: string, number: number) => void,
  chunkSize = 1 << 16,
): void {
  const fd = openSync(path, 'r');
  try {
    const chunk = Buffer.allocUnsafe(chunkSize);
    let pending: Buffer = Buffer.alloc(0);
    let number = 0;
    for (;;) {
      const n = readSync(fd, chunk, 0, chunkSize, null);
      if (n === 0) break;
      let data = pending.length > 0 ? Buffer.concat([pending, chunk.subarray(0, n)]) : chunk.subarray(0, n);
      let start = 0;
      for (let nl = data.indexOf(10, start); nl >= 0; nl = data.indexOf(10, start)) {
        const end = nl > start && data[nl - 1] === 13 ? nl - 1 : nl;
        onLine(data.toString('utf8', start, end), ++number);
        start = nl + 1;
      }
      data = data.subarray(start);
      // Copy the tail: `chunk` is reused by the next read.
      pending = Buffer.from(data);
    }
    if (pending.length > 0) onLine(pending.toString('utf8'), ++number);
  } finally {
    closeSync(fd);
  }
}
