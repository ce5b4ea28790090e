import { execFile, execFileSync } from 'node:child_process';
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { attwProfile, packPackages, publicPackages } from '../../../scripts/pack-public.mjs';

interface Packed {
  name: string;
  dir: string;
  tarball: string;
}

const root = new URL('../../../', import.meta.url).pathname;
const manifest = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));
// Only packages this one depends on: turbo builds them before the test runs.
const checked = (publicPackages() as { name: string; dir: string }[]).filter(
  (p) => p.name in manifest.devDependencies,
);
const node = (args: string[], cwd?: string) =>
  execFileSync(process.execPath, args, { cwd, encoding: 'utf8', stdio: 'pipe' });

const run = promisify(execFile);
// The scratch project uses core and one collector; neither needs anything from the registry.
const SCRATCH = ['@heaplab/core', '@heaplab/gc-copying'];

let work: string;
let packed: Packed[];

beforeAll(() => {
  work = mkdtempSync(join(tmpdir(), 'heaplab-package-checks-'));
  packed = packPackages(checked, join(work, 'tarballs'));
});
afterAll(() => rmSync(work, { recursive: true, force: true }));

describe('public packages as published', () => {
  it('every public package is checked here (add new ones to devDependencies)', () => {
    const all = (publicPackages() as { name: string }[]).map((p) => p.name);
    expect(checked.map((p) => p.name)).toEqual(all);
  });

  // Runs a checker on every tarball at once; failures are collected so one report names them all.
  const failures = async (args: (p: Packed) => string[]) => {
    const results = await Promise.all(
      packed.map((p) =>
        run(process.execPath, args(p), { encoding: 'utf8' }).then(
          () => '',
          (e: { stdout?: string; stderr?: string }) => `${p.name}:\n${e.stdout ?? ''}${e.stderr ?? ''}`,
        ),
      ),
    );
    return results.filter((r) => r !== '');
  };

  it('publint --strict passes on every tarball', async () => {
    const publint = join(root, 'node_modules/publint/src/cli.js');
    expect(await failures((p) => [publint, 'run', '--strict', p.tarball])).toEqual([]);
  });

  it('attw passes on every tarball (strict for dual packages, esm-only for ESM-only ones)', async () => {
    const attw = join(root, 'node_modules/@arethetypeswrong/cli/dist/index.js');
    expect(
      await failures((p) => [
        attw,
        p.tarball,
        '--profile',
        attwProfile(p.dir),
        '--format',
        'ascii',
        '--no-color',
      ]),
    ).toEqual([]);
  });

  it('installs with plain npm outside the workspace and runs under ESM and CommonJS', () => {
    const scratch = join(work, 'scratch');
    execFileSync('mkdir', ['-p', scratch]);
    writeFileSync(join(scratch, 'package.json'), JSON.stringify({ name: 'scratch', private: true }));
    execFileSync(
      'npm',
      [
        'install',
        '--no-audit',
        '--no-fund',
        '--prefer-offline',
        ...packed.filter((p) => SCRATCH.includes(p.name)).map((p) => p.tarball),
      ],
      {
        cwd: scratch,
        stdio: 'pipe',
      },
    );
    const installed = JSON.parse(
      readFileSync(join(scratch, 'node_modules/@heaplab/core/package.json'), 'utf8'),
    );
    expect(installed.version).toMatch(/^\d+\.\d+\.\d+/);
    for (const file of ['program.cjs', 'esm.mjs', 'cjs.cjs'])
      copyFileSync(new URL(`../fixtures/${file}`, import.meta.url), join(scratch, file));
    expect(JSON.parse(node(['esm.mjs'], scratch))).toEqual({ module: 'esm', freed: 1, moved: true });
    expect(JSON.parse(node(['cjs.cjs'], scratch))).toEqual({ module: 'cjs', freed: 1, moved: true });
  });
});
