/** What a shared link carries. */
export interface SharedState {
  /** The program. */
  readonly source: string;
  /** Collector names, one per pane. */
  readonly collectors: readonly string[];
  /** Play speed, 1 to 10. */
  readonly speed: number;
}

/** Longest encoded state a link may carry (characters after `#`). */
export const SHARE_LIMIT = 16_000;

function toBase64Url(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let bin = '';
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(text: string): string {
  const bin = atob(text.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = Uint8Array.from(bin, (c) => c.charCodeAt(0));
  return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
}

/** The URL fragment for `state`, or null when it is longer than {@link SHARE_LIMIT}. */
export function encodeShare(state: SharedState): string | null {
  const hash = `s=${toBase64Url(JSON.stringify({ v: 1, s: state.source, c: state.collectors, sp: state.speed }))}`;
  return hash.length > SHARE_LIMIT ? null : hash;
}

/**
 * Reads a URL fragment written by {@link encodeShare}. It is data only: parsed as JSON, every
 * field checked, unknown collectors dropped; anything malformed gives null.
 */
export function decodeShare(hash: string, knownCollectors: readonly string[]): SharedState | null {
  const body = hash.replace(/^#/, '');
  if (!body.startsWith('s=') || body.length > SHARE_LIMIT) return null;
  let data: unknown;
  try {
    data = JSON.parse(fromBase64Url(body.slice(2)));
  } catch {
    return null;
  }
  if (typeof data !== 'object' || data === null) return null;
  const { v, s, c, sp } = data as Record<string, unknown>;
  if (v !== 1 || typeof s !== 'string' || !Array.isArray(c)) return null;
  const collectors = c
    .filter((x): x is string => typeof x === 'string' && knownCollectors.includes(x))
    .slice(0, 3);
  const speed = typeof sp === 'number' && Number.isInteger(sp) && sp >= 1 && sp <= 10 ? sp : 4;
  return { source: s, collectors, speed };
}
