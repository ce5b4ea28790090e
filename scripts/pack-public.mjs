// Packs every public workspace package with pnpm (so `workspace:` ranges become real versions, as
// at publish time) and returns the tarballs. Shared by `pnpm check:packages` and the
// scratch-install test of packages/package-checks.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

/** Public packages under packages/: `{ name, dir }`, sorted by name. */
export function publicPackages() {
  const dir = join(root, 'packages');
  return readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((d) => existsSync(join(d, 'package.json')))
    .map((d) => ({ dir: d, manifest: JSON.parse(readFileSync(join(d, 'package.json'), 'utf8')) }))
    .filter(({ manifest }) => !manifest.private)
    .map(({ dir: d, manifest }) => ({ name: manifest.name, dir: d }))
    .sort((a, b) => a.name.localeCompare(b.name));
}

/** Runs pnpm: the one running this script if any, else the pinned version through npx. */
export function pnpm(args, options = {}) {
  // biome-ignore lint/suspicious/noUndeclaredEnvVars: set by pnpm for the script it runs, not an input of the task
  const self = process.env.npm_execpath;
  const [cmd, pre] =
    self && /pnpm/.test(basename(self)) ? [process.execPath, [self]] : ['npx', ['-y', 'pnpm@10.34.9']];
  return execFileSync(cmd, [...pre, ...args], { encoding: 'utf8', stdio: 'pipe', ...options });
}

/** Packs each package of `packages` (built already) into `dest`; returns `{ name, dir, tarball }`. */
export function packPackages(packages, dest) {
  return packages.map((p) => {
    const before = new Set(existsSync(dest) ? readdirSync(dest) : []);
    pnpm(['pack', '--pack-destination', dest], { cwd: p.dir });
    const made = readdirSync(dest).find((f) => f.endsWith('.tgz') && !before.has(f));
    if (!made) throw new Error(`[heaplab] pnpm pack made no tarball for ${p.name}`);
    return { ...p, tarball: join(dest, made) };
  });
}

/**
 * The attw profile for a package: `strict` (node10, node16 CJS and ESM, bundler) for dual
 * packages, `esm-only` for packages whose main export has no `require` condition (the CLI).
 */
export function attwProfile(dir) {
  const manifest = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
  const main = manifest.exports?.['.'];
  return main && typeof main === 'object' && !('require' in main) ? 'esm-only' : 'strict';
}
