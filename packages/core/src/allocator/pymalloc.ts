import { type AllocatorModel, type AllocatorStats, allocatorStats } from './allocator.js';
import { SystemAllocatorModel } from './system-allocator.js';

/** Options of {@link createPymallocModel}. */
export interface PymallocOptions {
  /** Address of the first arena (default `0x7f3a40000000`, where a 64-bit Linux mmap lands). */
  readonly arenaBase?: number;
  /** Address the system allocator starts at, for requests above 512 bytes (default `0x55d6c8a00000`). */
  readonly systemBase?: number;
}

/** Largest request served by pymalloc; larger ones go to the system allocator. */
export const PYMALLOC_SMALL_REQUEST_THRESHOLD = 512;
/** Size-class granularity. */
export const PYMALLOC_ALIGNMENT = 16;
/** Pool size. */
export const PYMALLOC_POOL_SIZE = 16 * 1024;
/** Arena size. */
export const PYMALLOC_ARENA_SIZE = 1024 * 1024;
/** Bytes of a pool taken by its header. */
export const PYMALLOC_POOL_OVERHEAD = 48;

const POOLS_PER_ARENA = PYMALLOC_ARENA_SIZE / PYMALLOC_POOL_SIZE;
const SIZE_CLASSES = PYMALLOC_SMALL_REQUEST_THRESHOLD / PYMALLOC_ALIGNMENT;
const MAX_BLOCKS_PER_POOL = Math.ceil((PYMALLOC_POOL_SIZE - PYMALLOC_POOL_OVERHEAD) / PYMALLOC_ALIGNMENT);

class Pool {
  /**
   * Free blocks as offsets from the pool's base, last freed on top (the pool's free list): a
   * fixed typed stack, so freeing never allocates host memory.
   */
  readonly free = new Uint16Array(MAX_BLOCKS_PER_POOL);
  /** Number of blocks on {@link free}. */
  nfree = 0;
  count = 0;
  szidx = -1;
  nextoffset = 0;
  maxnextoffset = 0;
  next: Pool | null = null;
  prev: Pool | null = null;
  constructor(
    readonly base: number,
    readonly arena: Arena,
  ) {}
}

class Arena {
  readonly pools: (Pool | undefined)[] = new Array(POOLS_PER_ARENA);
  /** Empty pools returned to the arena, most recent first. */
  freepools: Pool[] = [];
  nfreepools = POOLS_PER_ARENA;
  /** Index of the next pool never carved from this arena. */
  carved = 0;
  next: Arena | null = null;
  prev: Arena | null = null;
  constructor(
    readonly number: number,
    readonly base: number,
  ) {}
}

/**
 * A model of CPython's small-object allocator (`Objects/obmalloc.c`, 64-bit): 32 size classes of
 * 16 bytes up to 512, 16 KiB pools with a 48-byte header, 1 MiB arenas. A size class allocates
 * from the pool at the head of its used-pool list, popping the pool's free list (last freed
 * first) and otherwise bumping into never-used space. A pool that fills leaves the list; a full
 * pool that gets a block back goes to the front; an empty pool returns to its arena. New pools
 * come from the usable arena with the fewest free pools, so nearly empty arenas drain and are
 * released. Larger requests go to a {@link SystemAllocatorModel}.
 */
export function createPymallocModel(options: PymallocOptions = {}): AllocatorModel {
  return new PymallocModel(options.arenaBase ?? 0x7f3a40000000, options.systemBase ?? 0x55d6c8a00000);
}

class PymallocModel implements AllocatorModel {
  readonly name = 'pymalloc';
  private readonly used: (Pool | null)[] = new Array(SIZE_CLASSES).fill(null);
  private readonly arenas: (Arena | undefined)[] = [];
  private usable: Arena | null = null;
  private readonly system: SystemAllocatorModel;
  private arenaCount = 0;
  private poolsInUse = 0;
  private usedBytes = 0;
  private blocks = 0;

  constructor(
    private readonly arenaBase: number,
    systemBase: number,
  ) {
    this.system = new SystemAllocatorModel(systemBase);
  }

  blockSize(bytes: number): number {
    if (bytes === 0 || bytes > PYMALLOC_SMALL_REQUEST_THRESHOLD) return SystemAllocatorModel.round(bytes);
    return (((bytes - 1) >> 4) + 1) << 4;
  }

  allocate(bytes: number): number {
    if (bytes === 0 || bytes > PYMALLOC_SMALL_REQUEST_THRESHOLD) return this.system.allocate(bytes);
    const idx = (bytes - 1) >> 4;
    this.usedBytes += (idx + 1) << 4;
    this.blocks++;
    const pool = this.used[idx];
    if (pool === null) return this.allocateFromNewPool(idx);
    pool.count++;
    const address = pool.base + pool.free[--pool.nfree];
    if (pool.nfree === 0) this.extend(pool);
    return address;
  }

  free(address: number, bytes: number): void {
    if (bytes === 0 || bytes > PYMALLOC_SMALL_REQUEST_THRESHOLD) {
      this.system.free(address, bytes);
      return;
    }
    const pool = this.poolOf(address);
    this.usedBytes -= (pool.szidx + 1) << 4;
    this.blocks--;
    const wasFull = pool.nfree === 0;
    pool.free[pool.nfree++] = address - pool.base;
    pool.count--;
    if (wasFull) {
      this.linkUsedFront(pool);
      return;
    }
    if (pool.count !== 0) return;
    this.unlinkUsed(pool);
    this.poolsInUse--;
    this.returnPoolToArena(pool);
  }

  stats(): AllocatorStats {
    const held = this.arenaCount * PYMALLOC_ARENA_SIZE;
    return allocatorStats(
      'pymalloc',
      this.usedBytes + this.system.used,
      held - this.usedBytes + this.system.idle,
      {
        arenas: this.arenaCount,
        pools: this.poolsInUse,
        largeBytes: this.system.used,
        blocks: this.blocks + this.system.blocks,
      },
    );
  }

  private poolOf(address: number): Pool {
    const offset = address - this.arenaBase;
    const number = Math.floor(offset / PYMALLOC_ARENA_SIZE);
    const arena = this.arenas[number];
    // Subtracting instead of `%`: a floating-point remainder is a slow call on most engines.
    const pool = arena?.pools[Math.floor((offset - number * PYMALLOC_ARENA_SIZE) / PYMALLOC_POOL_SIZE)];
    if (pool === undefined || pool.szidx < 0) {
      throw new Error(`[heaplab] [pymalloc] free of 0x${address.toString(16)}, which it never allocated`);
    }
    return pool;
  }

  /** Bumps one never-used block onto the free list, or retires the pool as full. */
  private extend(pool: Pool): void {
    if (pool.nextoffset <= pool.maxnextoffset) {
      pool.free[pool.nfree++] = pool.nextoffset;
      pool.nextoffset += (pool.szidx + 1) << 4;
    } else {
      this.unlinkUsed(pool);
    }
  }

  private allocateFromNewPool(idx: number): number {
    if (this.usable === null) this.usable = this.newArena();
    const arena = this.usable;
    let pool: Pool;
    if (arena.freepools.length > 0) {
      pool = arena.freepools.pop()!;
    } else {
      pool = new Pool(arena.base + arena.carved * PYMALLOC_POOL_SIZE, arena);
      arena.pools[arena.carved++] = pool;
    }
    arena.nfreepools--;
    if (arena.nfreepools === 0) this.unlinkArena(arena);
    this.poolsInUse++;
    pool.count = 1;
    if (pool.szidx === idx && pool.nfree > 0) {
      // The pool last held this size class: its free list is still good.
      this.linkUsedFront(pool);
      return pool.base + pool.free[--pool.nfree];
    }
    const size = (idx + 1) << 4;
    pool.szidx = idx;
    pool.nfree = 0;
    pool.free[pool.nfree++] = PYMALLOC_POOL_OVERHEAD + size;
    pool.nextoffset = PYMALLOC_POOL_OVERHEAD + 2 * size;
    pool.maxnextoffset = PYMALLOC_POOL_SIZE - size;
    this.linkUsedFront(pool);
    return pool.base + PYMALLOC_POOL_OVERHEAD;
  }

  private returnPoolToArena(pool: Pool): void {
    const arena = pool.arena;
    arena.freepools.push(pool);
    const nf = ++arena.nfreepools;
    if (nf === POOLS_PER_ARENA && arena.next !== null) {
      this.unlinkArena(arena);
      this.arenas[arena.number] = undefined;
      this.arenaCount--;
      return;
    }
    if (nf === 1) {
      arena.prev = null;
      arena.next = this.usable;
      if (this.usable) this.usable.prev = arena;
      this.usable = arena;
      return;
    }
    // Keep usable arenas sorted by free pools, fullest first: slide right past arenas with fewer.
    let after = arena;
    while (after.next !== null && after.next.nfreepools < nf) after = after.next;
    if (after === arena) return;
    this.unlinkArena(arena);
    arena.prev = after;
    arena.next = after.next;
    if (after.next) after.next.prev = arena;
    after.next = arena;
  }

  private newArena(): Arena {
    let number = 0;
    while (this.arenas[number] !== undefined) number++;
    const arena = new Arena(number, this.arenaBase + number * PYMALLOC_ARENA_SIZE);
    this.arenas[number] = arena;
    this.arenaCount++;
    return arena;
  }

  private unlinkArena(arena: Arena): void {
    if (arena.prev) arena.prev.next = arena.next;
    else if (this.usable === arena) this.usable = arena.next;
    if (arena.next) arena.next.prev = arena.prev;
    arena.next = arena.prev = null;
  }

  private linkUsedFront(pool: Pool): void {
    const head = this.used[pool.szidx];
    pool.prev = null;
    pool.next = head;
    if (head) head.prev = pool;
    this.used[pool.szidx] = pool;
  }

  private unlinkUsed(pool: Pool): void {
    if (pool.prev) pool.prev.next = pool.next;
    else if (this.used[pool.szidx] === pool) this.used[pool.szidx] = pool.next;
    if (pool.next) pool.next.prev = pool.prev;
    pool.next = pool.prev = null;
  }
}
