import { closeSync, openSync, writeSync } from 'node:fs';

/** A file written through a buffer of about 64 KiB, so large outputs never sit whole in memory. */
export class BufferedFile {
  private readonly fd: number;
  private parts: string[] = [];
  private size = 0;

  /** Opens (and truncates) `path`. */
  constructor(path: string) {
    this.fd = openSync(path, 'w');
  }

  /** Appends text. */
  write(text: string): void {
    this.parts.push(text);
    this.size += text.length;
    if (this.size >= 1 << 16) this.flush();
  }

  private flush(): void {
    if (this.parts.length > 0) writeSync(this.fd, this.parts.join(''));
    this.parts = [];
    this.size = 0;
  }

  /** Flushes and closes. */
  close(): void {
    this.flush();
    closeSync(this.fd);
  }
}
