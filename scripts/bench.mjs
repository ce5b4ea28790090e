#!/usr/bin/env node
// Runs every package's benchmark (bench/run.mjs) after building, passing arguments through,
// so `pnpm bench --json` prints clean JSON lines: {"name","value","unit"}.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

const args = process.argv.slice(2);
const only = args.find((a) => a.startsWith('--filter='))?.slice('--filter='.length);
const passed = args.filter((a) => !a.startsWith('--filter='));
const build = spawnSync(
  'npx',
  ['turbo', 'run', 'build', '--filter=./packages/*', '--output-logs=errors-only'],
  {
    stdio: ['ignore', 'ignore', 'inherit'],
    shell: process.platform === 'win32',
  },
);
if (build.status !== 0) {
  process.stderr.write('[heaplab] bench: the build failed\n');
  process.exit(build.status ?? 1);
}
let status = 0;
for (const dir of ['packages', 'apps']) {
  for (const name of readdirSync(dir)) {
    const runner = join(dir, name, 'bench', 'run.mjs');
    if (!existsSync(runner) || (only && !name.includes(only))) continue;
    if (!passed.includes('--json')) process.stdout.write(`\n# ${name}\n`);
    const run = spawnSync(process.execPath, ['--expose-gc', runner, ...passed], { stdio: 'inherit' });
    if (run.status !== 0) status = run.status ?? 1;
  }
}
process.exit(status);
