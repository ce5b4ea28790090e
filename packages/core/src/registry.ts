import { didYouMean } from './closest.js';
import {
  COLLECTOR_SPEC_VERSION,
  type Collector,
  type CollectorFactory,
  type CollectorTraits,
} from './collector.js';
import { HeapError } from './errors.js';

/** A collector the registry knows by a short name. */
export interface CollectorEntry {
  /** Short name (`refcount`). */
  readonly name: string;
  /** The npm package that provides it (`@heaplab/gc-refcount`). */
  readonly packageName: string;
  /** One line for listings. */
  readonly description: string;
  /** Loads the factory (a static import wrapped in a function, or a dynamic `import()`). */
  readonly load: () => CollectorFactory | Promise<CollectorFactory | { default: CollectorFactory }>;
}

/** Thrown when a collector cannot be found or loaded. */
export class CollectorLoadError extends HeapError {
  /** Creates the error. */
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'CollectorLoadError';
  }
}

/** Imports a module from a path (the CLI passes a Node importer; browsers have none). */
export type ModuleImporter = (path: string) => Promise<Record<string, unknown>>;

/** A resolved collector: how to make it and where it came from. */
export interface ResolvedCollector {
  /** The name it was asked by. */
  readonly name: string;
  /** Its package or module path. */
  readonly source: string;
  /** The factory. */
  readonly factory: CollectorFactory;
}

const looksLikePath = (spec: string): boolean =>
  /^(\.{1,2}[\\/]|[\\/]|[A-Za-z]:[\\/]|file:)/.test(spec) || /\.(m?js|cjs|ts)$/.test(spec);

/**
 * Maps short collector names to factories, and loads a user's collector module by path. A
 * module may default-export a factory, or export one named `createCollector` or any
 * `createXCollector`.
 */
export class CollectorRegistry {
  private readonly entries = new Map<string, CollectorEntry>();

  /** Creates a registry holding `entries`. */
  constructor(entries: readonly CollectorEntry[] = []) {
    for (const e of entries) this.register(e);
  }

  /** Adds (or replaces) an entry. */
  register(entry: CollectorEntry): void {
    this.entries.set(entry.name, entry);
  }

  /** Registered names, in registration order. */
  names(): string[] {
    return [...this.entries.keys()];
  }

  /** The entry for `name`, if registered. */
  entry(name: string): CollectorEntry | undefined {
    return this.entries.get(name);
  }

  /** Resolves a short name or a module path to a factory; throws {@link CollectorLoadError} saying why not. */
  async resolve(spec: string, importer?: ModuleImporter): Promise<ResolvedCollector> {
    const entry = this.entries.get(spec);
    if (entry) {
      let loaded: unknown;
      try {
        loaded = await entry.load();
      } catch (cause) {
        throw new CollectorLoadError(
          `[heaplab] could not load collector "${spec}" from ${entry.packageName}`,
          { cause },
        );
      }
      return { name: spec, source: entry.packageName, factory: pickFactory(loaded, entry.packageName) };
    }
    if (!looksLikePath(spec)) {
      throw new CollectorLoadError(
        `[heaplab] unknown collector "${spec}".${didYouMean(spec, this.names())} Known collectors: ${this.names().join(', ')}; or give a path to a module.`,
      );
    }
    if (!importer)
      throw new CollectorLoadError(`[heaplab] cannot load collector module "${spec}" here: no module loader`);
    let mod: Record<string, unknown>;
    try {
      mod = await importer(spec);
    } catch (cause) {
      const why = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
      throw new CollectorLoadError(`[heaplab] could not load collector module "${spec}": ${why}`, { cause });
    }
    return { name: spec, source: spec, factory: pickFactory(mod, spec) };
  }
}

function pickFactory(loaded: unknown, source: string): CollectorFactory {
  if (typeof loaded === 'function') return checked(loaded as CollectorFactory, source);
  if (loaded && typeof loaded === 'object') {
    const mod = loaded as Record<string, unknown>;
    if (typeof mod.default === 'function') return checked(mod.default as CollectorFactory, source);
    if (mod.default && typeof mod.default === 'object') return pickFactory(mod.default, source);
    if (typeof mod.createCollector === 'function')
      return checked(mod.createCollector as CollectorFactory, source);
    const named = Object.keys(mod).find(
      (k) => /^create\w*Collector$/.test(k) && typeof mod[k] === 'function',
    );
    if (named) return checked(mod[named] as CollectorFactory, source);
  }
  throw new CollectorLoadError(
    `[heaplab] ${source} does not export a collector factory (a default export, createCollector, or createXCollector)`,
  );
}

function checked(factory: CollectorFactory, source: string): CollectorFactory {
  return (options) => {
    const collector = factory(options) as Collector | undefined;
    if (!collector || typeof collector !== 'object') {
      throw new CollectorLoadError(`[heaplab] the factory from ${source} did not return a collector`);
    }
    if (collector.specificationVersion !== COLLECTOR_SPEC_VERSION) {
      throw new CollectorLoadError(
        `[heaplab] the collector from ${source} implements "${String(collector.specificationVersion)}"; heaplab needs "${COLLECTOR_SPEC_VERSION}"`,
      );
    }
    for (const hook of ['doAttach', 'doCollect'] as const) {
      if (typeof collector[hook] !== 'function') {
        throw new CollectorLoadError(
          `[heaplab] the collector from ${source} lacks the required hook ${hook}()`,
        );
      }
    }
    const traits = collector.traits as CollectorTraits | undefined;
    if (!traits || typeof traits.maintainsRefcounts !== 'boolean') {
      throw new CollectorLoadError(`[heaplab] the collector from ${source} does not declare its traits`);
    }
    return collector;
  };
}
