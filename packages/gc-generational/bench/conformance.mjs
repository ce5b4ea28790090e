#!/usr/bin/env node
// Runs every case of the shared conformance set through @heaplab/python with this collector,
// once per profile, and reports how many match the recorded CPython output exactly (after the
// set's normalization). Build first: `npx tsup` here and in packages/python.
// Usage: node bench/conformance.mjs [--cases DIR] [--json]. DIR holds `cases/` and
// `expected/<profile>/` (default: @heaplab/python's fixtures; profiles without recordings there
// are skipped). The shared set with every profile: --cases ../shared/conformance.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeOutput as normalize, runPython } from '../../python/dist/index.js';
import { createGenerationalCollector, PROFILES } from '../dist/index.js';

const args = process.argv.slice(2);
const k = args.indexOf('--cases');
const here = dirname(fileURLToPath(import.meta.url));
const root = k >= 0 ? args[k + 1] : join(here, '..', '..', 'python', 'test', 'fixtures', 'conformance');
const json = args.includes('--json');

const cases = readdirSync(join(root, 'cases'))
  .filter((f) => f.endsWith('.py'))
  .map((f) => f.slice(0, -3))
  .sort();
for (const profile of Object.keys(PROFILES)) {
  if (!existsSync(join(root, 'expected', profile))) continue;
  const differ = [];
  for (const name of cases) {
    let out = '';
    const write = (t) => {
      out += t;
    };
    try {
      runPython(readFileSync(join(root, 'cases', `${name}.py`), 'utf8'), {
        fileName: `/cases/${name}.py`,
        profile,
        collector: () => createGenerationalCollector({ profile }),
        stdout: write,
        stderr: write,
        maxSteps: 5_000_000,
      });
    } catch (error) {
      out += String(error);
    }
    const want = readFileSync(join(root, 'expected', profile, `${name}.out`), 'utf8');
    if (normalize(out) !== want) differ.push(name);
  }
  const matched = cases.length - differ.length;
  if (json) {
    process.stdout.write(
      `${JSON.stringify({ name: `conformance-${profile}`, value: matched, unit: 'cases' })}\n`,
    );
  } else {
    process.stdout.write(
      `${profile}: ${matched}/${cases.length} match${differ.length ? `; differ: ${differ.join(' ')}` : ''}\n`,
    );
  }
}
