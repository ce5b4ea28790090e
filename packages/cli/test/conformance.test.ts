import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { normalizeOutput as normalize } from '@heaplab/python';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers.js';

// The differential cases @heaplab/python keeps, run the way a user runs them: `heaplab run`.
const root = join(import.meta.dirname, '..', '..', 'python', 'test', 'fixtures', 'conformance');
const cases = readdirSync(join(root, 'cases'))
  .filter((f) => f.endsWith('.py'))
  .sort();

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
