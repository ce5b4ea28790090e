import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { normalizeOutput, type RunOptions, runPython } from '../src/index.js';

const HERE = dirname(fileURLToPath(import.meta.url));

/** The fixture sets: the shared conformance cases and heaplab's own cases, same layout. */
export const FIXTURE_SETS = {
  conformance: join(HERE, 'fixtures', 'conformance'),
  own: join(HERE, 'fixtures', 'own'),
} as const;

/** A fixture set's name. */
export type FixtureSet = keyof typeof FIXTURE_SETS;

/** The README's normalization (see {@link normalizeOutput}). */
export const normalize = normalizeOutput;

/** Case names (without `.py`), sorted. */
export function caseNames(set: FixtureSet): string[] {
  return readdirSync(join(FIXTURE_SETS[set], 'cases'))
    .filter((f) => f.endsWith('.py'))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** Runs a case and returns its merged, normalized stdout and stderr. */
export function runCase(set: FixtureSet, name: string, options: Partial<RunOptions> = {}): string {
  let out = '';
  runPython(readFileSync(join(FIXTURE_SETS[set], 'cases', `${name}.py`), 'utf8'), {
    fileName: `/cases/${name}.py`,
    stdout: (t) => {
      out += t;
    },
    stderr: (t) => {
      out += t;
    },
    maxSteps: 5_000_000,
    ...options,
  });
  return normalize(out);
}

/** The recorded output of a case for a profile. */
export function expected(set: FixtureSet, name: string, profile = 'cpython-3.11'): string {
  return readFileSync(join(FIXTURE_SETS[set], 'expected', profile, `${name}.out`), 'utf8');
}

/** Whether a case has a recording for a profile. */
export function hasExpected(set: FixtureSet, name: string, profile: string): boolean {
  return existsSync(join(FIXTURE_SETS[set], 'expected', profile, `${name}.out`));
}

/** The generational collector's factory (profile cpython-3.11). */
export { createGenerationalCollector } from '@heaplab/gc-generational';
