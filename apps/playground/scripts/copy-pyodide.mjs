#!/usr/bin/env node
// Copies the files pyodide needs at run time from the `pyodide` package into public/pyodide/, so
// the build serves them as static assets and the "Real CPython" panel loads them on demand.
import { copyFileSync, existsSync, mkdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const from = dirname(createRequire(import.meta.url).resolve('pyodide/package.json'));
const to = join(here, '..', 'public', 'pyodide');
const files = [
  'pyodide.mjs',
  'pyodide.asm.mjs',
  'pyodide.asm.wasm',
  'python_stdlib.zip',
  'pyodide-lock.json',
];
mkdirSync(to, { recursive: true });
for (const name of files) {
  const src = join(from, name);
  const dest = join(to, name);
  if (existsSync(dest) && statSync(dest).size === statSync(src).size) continue;
  copyFileSync(src, dest);
}
