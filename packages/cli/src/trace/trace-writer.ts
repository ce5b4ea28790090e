import type { MutatorOp } from '@heaplab/workloads';
import { BufferedFile } from '../buffered-file.js';
import type { HeapOp } from './heap-op.js';
import type { TraceHeader } from './parse-trace-line.js';

/** Writes a trace file line by line. */
export class TraceWriter {
  private readonly file: BufferedFile;
  /** Operations written. */
  ops = 0;

  /** Opens `path` for writing (truncating it) and writes the header. */
  constructor(path: string, header: TraceHeader) {
    this.file = new BufferedFile(path);
    this.file.write(`${JSON.stringify(header)}\n`);
  }

  /** Writes one operation (a version-1 mutator operation or a version-2 heap operation). */
  write(op: MutatorOp | HeapOp): void {
    this.ops++;
    this.file.write(`${JSON.stringify(op)}\n`);
  }

  /** Flushes and closes the file. */
  close(): void {
    this.file.close();
  }
}
