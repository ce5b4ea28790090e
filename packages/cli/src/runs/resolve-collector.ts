import { isAbsolute, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createCollectorRegistry } from '@heaplab/collectors';
import type { ModuleImporter, ResolvedCollector } from '@heaplab/core';
import { CliError, EXIT_USAGE, messageOf } from '../errors.js';

const registry = createCollectorRegistry();
const cache = new Map<string, Promise<ResolvedCollector>>();

/** Imports a user's collector module from a file path. */
export const nodeImporter: ModuleImporter = (path) =>
  import(pathToFileURL(path).href) as Promise<Record<string, unknown>>;

/** The names of the registered collectors. */
export function collectorNames(): string[] {
  return registry.names();
}

/** Short names stay as they are; paths become absolute (so worker threads can load them too). */
export function normalizeCollectorSpec(spec: string, cwd: string): string {
  if (registry.entry(spec)) return spec;
  const pathLike = /[\\/]|\.(m?js|cjs|ts)$/.test(spec);
  return pathLike && !spec.startsWith('file:') && !isAbsolute(spec) ? resolve(cwd, spec) : spec;
}

/** Resolves a collector by short name or module path; a failure is a usage error. */
export function resolveCollector(spec: string): Promise<ResolvedCollector> {
  let found = cache.get(spec);
  if (!found) {
    found = registry.resolve(spec, nodeImporter).catch((error: unknown) => {
      cache.delete(spec);
      throw new CliError(messageOf(error), EXIT_USAGE, { cause: error });
    });
    cache.set(spec, found);
  }
  return found;
}
