import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

// The differential cases @heaplab/python keeps, run the way a user runs them: `heaplab run`.
const root = join(import.meta.dirname, '..', '..', 'python', 'test', 'fixtures', 'conformance');
const cases = readdirSync(join(root, 'cases'))
  .filter((f) => f.endsWith('.py'))
  .sort();

/** The fixtures' normalization: numbered addresses, bare file names in tracebacks. */
function normalize(text: string): string {
  const seen = new Map<string, number>();
  return text
    .replace(/0x[0-9a-fA-F]{6,}/g, (m) => {
      const k = m.toLowerCase();
      if (!seen.has(k)) seen.set(k, seen.size + 1);
      return `0xADDR${seen.get(k)}`;
    })
    .replace(/File "[^"]*\/([^"/]+)"/g, 'File "$1"');
}

describe.each(['cpython-3.11', 'cpython-3.14'])(
  'heaplab run --profile %s prints what CPython prints',
  (profile) => {
    it.each(cases)('%s', async (file) => {
      const r = await runCli(['run', join(root, 'cases', file), '--profile', profile]);
      const want = readFileSync(join(root, 'expected', profile, file.replace(/\.py$/, '.out')), 'utf8');
      expect(normalize(r.stdout + r.stderr)).toBe(normalize(want));
    });
  },
);
