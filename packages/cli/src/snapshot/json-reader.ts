import { closeSync, openSync, readSync } from 'node:fs';
import { StringDecoder } from 'node:string_decoder';
import { usageError } from '../errors.js';

/**
 * A pull reader over a large JSON file: reads fixed-size chunks on demand, so a caller can walk
 * huge arrays value by value without holding the text. Errors name the file, line and column.
 */
export class JsonReader {
  private buf = '';
  private pos = 0;
  private eof = false;
  private line = 1;
  private lineStart = 0;
  private readonly fd: number;
  private readonly chunk: Buffer;
  private readonly decoder = new StringDecoder('utf8');

  /** Opens `path`; `file` is the name messages show. */
  constructor(
    path: string,
    private readonly file: string,
    chunkSize = 1 << 20,
  ) {
    this.fd = openSync(path, 'r');
    this.chunk = Buffer.allocUnsafe(chunkSize);
  }

  /** Closes the file. */
  close(): void {
    closeSync(this.fd);
  }

  /** A usage error at the current position. */
  error(message: string): Error {
    return usageError(`${this.file}:${this.line}:${this.pos - this.lineStart + 1}: ${message}`);
  }

  private fill(): boolean {
    if (this.eof) return false;
    // Drop what was consumed, keeping line accounting relative to the new buffer.
    this.buf = this.buf.slice(this.pos);
    this.lineStart -= this.pos;
    this.pos = 0;
    const n = readSync(this.fd, this.chunk, 0, this.chunk.length, null);
    if (n === 0) {
      this.eof = true;
      this.buf += this.decoder.end();
      return this.buf.length > 0;
    }
    this.buf += this.decoder.write(this.chunk.subarray(0, n));
    return true;
  }

  /** The next non-blank character, without consuming it ('' at the end). */
  peek(): string {
    for (;;) {
      while (this.pos < this.buf.length) {
        const c = this.buf.charCodeAt(this.pos);
        if (c === 10) {
          this.line++;
          this.lineStart = this.pos + 1;
        } else if (c !== 32 && c !== 9 && c !== 13) return this.buf[this.pos];
        this.pos++;
      }
      if (!this.fill()) return '';
    }
  }

  /** Consumes `ch` (after blanks) or fails. */
  expect(ch: string): void {
    const got = this.peek();
    if (got !== ch)
      throw this.error(`expected "${ch}", found ${got === '' ? 'the end of the file' : `"${got}"`}`);
    this.pos++;
  }

  /** Consumes `ch` if it is next. */
  accept(ch: string): boolean {
    if (this.peek() !== ch) return false;
    this.pos++;
    return true;
  }

  /** Reads a string literal. */
  string(): string {
    if (this.peek() !== '"') throw this.error('expected a string');
    let end = this.pos + 1;
    for (;;) {
      while (end < this.buf.length) {
        const c = this.buf.charCodeAt(end);
        if (c === 92) end += 2;
        else if (c === 34) {
          const text = this.buf.slice(this.pos, end + 1);
          try {
            const value = JSON.parse(text) as string;
            this.pos = end + 1;
            return value;
          } catch {
            throw this.error('malformed string');
          }
        } else end++;
      }
      const offset = end - this.pos;
      if (!this.fill()) throw this.error('unterminated string');
      end = this.pos + offset;
    }
  }

  /** Reads a non-negative integer. */
  uint(): number {
    this.peek();
    let end = this.pos;
    for (;;) {
      while (end < this.buf.length && this.buf.charCodeAt(end) >= 48 && this.buf.charCodeAt(end) <= 57) end++;
      if (end < this.buf.length || this.eof) break;
      const offset = end - this.pos;
      this.fill();
      end = this.pos + offset;
    }
    if (end === this.pos) throw this.error('expected a whole number');
    const value = Number(this.buf.slice(this.pos, end));
    this.pos = end;
    return value;
  }

  /** Reads a number token (any JSON number). */
  number(): number {
    this.peek();
    let end = this.pos;
    for (;;) {
      while (end < this.buf.length && /[\d\-+.eE]/.test(this.buf[end])) end++;
      if (end < this.buf.length || this.eof) break;
      const offset = end - this.pos;
      this.fill();
      end = this.pos + offset;
    }
    const value = Number(this.buf.slice(this.pos, end));
    if (end === this.pos || !Number.isFinite(value)) throw this.error('expected a number');
    this.pos = end;
    return value;
  }

  /** Reads any JSON value whole, by recursive descent (for small parts such as the metadata). */
  value(): unknown {
    const c = this.peek();
    if (c === '{') {
      this.pos++;
      const out: Record<string, unknown> = {};
      if (this.accept('}')) return out;
      do {
        const key = this.string();
        this.expect(':');
        out[key] = this.value();
      } while (this.accept(','));
      this.expect('}');
      return out;
    }
    if (c === '[') {
      this.pos++;
      const out: unknown[] = [];
      if (this.accept(']')) return out;
      do out.push(this.value());
      while (this.accept(','));
      this.expect(']');
      return out;
    }
    if (c === '"') return this.string();
    for (const [word, value] of [
      ['true', true],
      ['false', false],
      ['null', null],
    ] as const) {
      if (c === word[0]) {
        while (this.buf.length - this.pos < word.length && this.fill()) {}
        if (this.buf.startsWith(word, this.pos)) {
          this.pos += word.length;
          return value;
        }
      }
    }
    if (c === '-' || (c >= '0' && c <= '9')) return this.number();
    throw this.error(c === '' ? 'unexpected end of the file' : `unexpected "${c}"`);
  }
}
