import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Collector } from '@heaplab/core';
import { type RunOptions, runPython } from '../src/index.js';

/** The conformance fixtures folder. */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'conformance');

/**
 * The README's normalization: addresses of six or more hex digits become `0xADDR<k>` numbered by
 * first appearance; traceback file paths keep only the file name.
 */
export function normalize(text: string): string {
  const seen = new Map<string, number>();
  return text
    .replace(/0x[0-9a-fA-F]{6,}/g, (m) => {
      const k = m.toLowerCase();
      if (!seen.has(k)) seen.set(k, seen.size + 1);
      return `0xADDR${seen.get(k)}`;
    })
    .replace(/File "[^"]*\/([^"/]+)"/g, 'File "$1"');
}

/** Case names (without `.py`), sorted. */
export function caseNames(): string[] {
  return readdirSync(join(FIXTURES, 'cases'))
    .filter((f) => f.endsWith('.py'))
    .map((f) => f.slice(0, -3))
    .sort();
}

/** Runs a case and returns its merged, normalized stdout and stderr. */
export function runCase(name: string, options: Partial<RunOptions> = {}): string {
  let out = '';
  runPython(readFileSync(join(FIXTURES, 'cases', `${name}.py`), 'utf8'), {
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
export function expected(name: string, profile = 'cpython-3.11'): string {
  return readFileSync(join(FIXTURES, 'expected', profile, `${name}.out`), 'utf8');
}

/** The generational collector's factory, when its package is in the workspace. */
export async function loadGenerational(): Promise<(() => Collector) | undefined> {
  const entry = join(
    dirname(fileURLToPath(import.meta.url)),
    '..',
    '..',
    'gc-generational',
    'src',
    'index.ts',
  );
  if (!existsSync(entry)) return undefined;
  const mod = (await import(/* @vite-ignore */ entry)) as Record<string, unknown>;
  const factory = (mod.default ?? mod.createGenerationalCollector) as (() => Collector) | undefined;
  return typeof factory === 'function' ? factory : undefined;
}
