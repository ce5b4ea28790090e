#!/usr/bin/env node
// `pnpm check:packages`: every public package, packed as it would be published, must pass
// `publint --strict` and Are The Types Wrong (`attw`, strict profile: node10, node16 CJS and ESM,
// bundler). Packages must be built first (the root script builds them).
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { attwProfile, packPackages, publicPackages } from './pack-public.mjs';

const modules = new URL('../node_modules/', import.meta.url).pathname;
const publint = join(modules, 'publint/src/cli.js');
const attw = join(modules, '@arethetypeswrong/cli/dist/index.js');

const dest = mkdtempSync(join(tmpdir(), 'heaplab-pack-'));
let failed = 0;
try {
  for (const p of packPackages(publicPackages(), dest)) {
    for (const [tool, args] of [
      ['publint', [publint, 'run', '--strict', p.tarball]],
      ['attw', [attw, p.tarball, '--profile', attwProfile(p.dir), '--format', 'ascii', '--no-color']],
    ]) {
      try {
        execFileSync(process.execPath, args, { stdio: 'pipe', encoding: 'utf8' });
        process.stdout.write(`ok   ${tool} ${p.name}\n`);
      } catch (error) {
        failed++;
        process.stdout.write(`FAIL ${tool} ${p.name}\n${error.stdout ?? ''}${error.stderr ?? ''}\n`);
      }
    }
  }
} finally {
  rmSync(dest, { recursive: true, force: true });
}
process.exit(failed > 0 ? 1 : 0);
