/** Text styling that is a no-op when colour is off. */
export interface Style {
  /** Bold. */
  bold(text: string): string;
  /** Dimmed. */
  dim(text: string): string;
  /** Red (errors). */
  red(text: string): string;
  /** Green. */
  green(text: string): string;
}

const wrap = (open: number, close: number) => (text: string) => `\u001b[${open}m${text}\u001b[${close}m`;

/** A {@link Style} emitting ANSI codes when `on`, plain text otherwise. */
export function createStyle(on: boolean): Style {
  if (!on) {
    const plain = (text: string) => text;
    return { bold: plain, dim: plain, red: plain, green: plain };
  }
  return { bold: wrap(1, 22), dim: wrap(2, 22), red: wrap(31, 39), green: wrap(32, 39) };
}

/** `text` without ANSI codes (for measuring widths). */
export function stripAnsi(text: string): string {
  return text.replace(/\u001b\[\d+m/g, '');
}
