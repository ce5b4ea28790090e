import { closeSync, openSync, writeSync } from 'node:fs';
import type { MutatorOp } from '@heaplab/workloads';
import type { TraceHeader } from './parse-trace-line.js';

/** Writes a trace file line by line, buffering writes in blocks. */
export class TraceWriter {
  private readonly fd: number;
  private buffer: string[] = [];
  private size = 0;
  /** Operations written. */
  ops = 0;

  /** Opens `path` for writing (truncating it) and writes the header. */
  constructor(path: string, header: TraceHeader) {
    this.fd = openSync(path, 'w');
    this.line(header);
  }

  /** Writes one operation. */
  write(op: MutatorOp): void {
    this.ops++;
    this.line(op);
  }

  private line(value: unknown): void {
    const text = `${JSON.stringify(value)}\n`;
    this.buffer.push(text);
    this.size += text.length;
    if (this.size >= 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.buffer.length > 0) writeSync(this.fd, this.buffer.join(''));
    this.buffer = [];
    this.size = 0;
  }

  /** Flushes and closes the file. */
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
