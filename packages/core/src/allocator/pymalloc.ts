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
/** Room per pool in the free-block stacks: at least the 1021 blocks of 16 bytes a pool holds. */
const STACK_ROOM = 1024;
/** No pool (end of a pool list). */
const NONE = -1;

// A pool's record in `PymallocModel.pools`: `RECORD` values at `pool * RECORD`.
const RECORD = 8;
/** Blocks on the pool's free stack. */
const NFREE = 0;
/** Blocks in use. */
const COUNT = 1;
/** Size class, or -1 for a pool never carved (or in a released arena). */
const SZIDX = 2;
/** Offset of the next never-used block. */
const NEXTOFFSET = 3;
/** Largest offset a block can start at. */
const MAXNEXTOFFSET = 4;
/** Next pool in its size class's used list. */
const NEXT = 5;
/** Previous pool in that list. */
const PREV = 6;

/** Where pool `pool`'s free stack starts in its arena's stack array. */
function stackStart(pool: number): number {
  return (pool % POOLS_PER_ARENA) * STACK_ROOM;
}

class Arena {
  /** Empty pools (global pool numbers) returned to the arena, most recent last. */
  freepools: number[] = [];
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

/**
 * Pools are numbered from the first arena's base, `(address - arenaBase) / PYMALLOC_POOL_SIZE`,
 * and their state lives in typed arrays indexed by that number (one record per pool, one stack
 * of free blocks per pool), so a free finds its pool by arithmetic and touches a 32-byte record
 * and one stack entry, not a chain of host objects.
 */
class PymallocModel implements AllocatorModel {
  readonly name = 'pymalloc';
  /** Head pool of each size class's used list, or {@link NONE}. */
  private readonly used = new Int32Array(SIZE_CLASSES).fill(NONE);
  private readonly arenas: (Arena | undefined)[] = [];
  private usable: Arena | null = null;
  private readonly system: SystemAllocatorModel;
  private arenaCount = 0;
  private poolsInUse = 0;
  private usedBytes = 0;
  private blocks = 0;
  /** Pool records (see `RECORD`); `SZIDX` is -1 for pools that do not exist. */
  private pools: Int32Array;
  /**
   * Free blocks of each pool as offsets from the pool's base, last freed on top, one array per
   * arena (released with it): pool `p`'s stack starts at `(p % POOLS_PER_ARENA) * STACK_ROOM` in
   * `stacks[arena number]` (a fixed typed stack: freeing never allocates).
   */
  private readonly stacks: (Uint16Array | undefined)[] = [];

  constructor(
    private readonly arenaBase: number,
    systemBase: number,
  ) {
    this.system = new SystemAllocatorModel(systemBase);
    this.pools = new Int32Array(POOLS_PER_ARENA * RECORD);
    this.forgetPools(0, POOLS_PER_ARENA);
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
    if (pool === NONE) return this.allocateFromNewPool(idx);
    const pools = this.pools;
    const at = pool * RECORD;
    pools[at + COUNT]++;
    const nfree = --pools[at + NFREE];
    const address = this.poolBase(pool) + this.stackOf(pool)[stackStart(pool) + nfree];
    if (nfree === 0) this.extend(pool);
    return address;
  }

  free(address: number, bytes: number): void {
    if (bytes === 0 || bytes > PYMALLOC_SMALL_REQUEST_THRESHOLD) {
      this.system.free(address, bytes);
      return;
    }
    const pools = this.pools;
    const offset = address - this.arenaBase;
    const pool = Math.floor(offset / PYMALLOC_POOL_SIZE);
    const at = pool * RECORD;
    if (!(pool >= 0 && at < pools.length && pools[at + SZIDX] >= 0)) {
      throw new Error(`[heaplab] [pymalloc] free of 0x${address.toString(16)}, which it never allocated`);
    }
    this.usedBytes -= (pools[at + SZIDX] + 1) << 4;
    this.blocks--;
    const nfree = pools[at + NFREE];
    this.stackOf(pool)[stackStart(pool) + nfree] = offset - pool * PYMALLOC_POOL_SIZE;
    pools[at + NFREE] = nfree + 1;
    const count = --pools[at + COUNT];
    if (nfree === 0) {
      // It was full: back to the front of its size class's list.
      this.linkUsedFront(pool);
      return;
    }
    if (count !== 0) return;
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

  private stackOf(pool: number): Uint16Array {
    return this.stacks[Math.floor(pool / POOLS_PER_ARENA)]!;
  }

  private poolBase(pool: number): number {
    return this.arenaBase + pool * PYMALLOC_POOL_SIZE;
  }

  /** Marks pools `from` to `to` (exclusive) as not existing. */
  private forgetPools(from: number, to: number): void {
    for (let p = from; p < to; p++) this.pools[p * RECORD + SZIDX] = -1;
  }

  /** Bumps one never-used block onto the free stack, or retires the pool as full. */
  private extend(pool: number): void {
    const pools = this.pools;
    const at = pool * RECORD;
    const next = pools[at + NEXTOFFSET];
    if (next <= pools[at + MAXNEXTOFFSET]) {
      this.stackOf(pool)[stackStart(pool) + pools[at + NFREE]++] = next;
      pools[at + NEXTOFFSET] = next + ((pools[at + SZIDX] + 1) << 4);
    } else {
      this.unlinkUsed(pool);
    }
  }

  private allocateFromNewPool(idx: number): number {
    if (this.usable === null) this.usable = this.newArena();
    const arena = this.usable;
    const pool =
      arena.freepools.length > 0 ? arena.freepools.pop()! : arena.number * POOLS_PER_ARENA + arena.carved++;
    arena.nfreepools--;
    if (arena.nfreepools === 0) this.unlinkArena(arena);
    this.poolsInUse++;
    const pools = this.pools;
    const at = pool * RECORD;
    pools[at + COUNT] = 1;
    const base = this.poolBase(pool);
    if (pools[at + SZIDX] === idx && pools[at + NFREE] > 0) {
      // The pool last held this size class: its free stack is still good.
      this.linkUsedFront(pool);
      return base + this.stackOf(pool)[stackStart(pool) + --pools[at + NFREE]];
    }
    const size = (idx + 1) << 4;
    pools[at + SZIDX] = idx;
    pools[at + NFREE] = 1;
    this.stackOf(pool)[stackStart(pool)] = PYMALLOC_POOL_OVERHEAD + size;
    pools[at + NEXTOFFSET] = PYMALLOC_POOL_OVERHEAD + 2 * size;
    pools[at + MAXNEXTOFFSET] = PYMALLOC_POOL_SIZE - size;
    this.linkUsedFront(pool);
    return base + PYMALLOC_POOL_OVERHEAD;
  }

  private returnPoolToArena(pool: number): void {
    const arena = this.arenas[Math.floor(pool / POOLS_PER_ARENA)]!;
    arena.freepools.push(pool);
    const nf = ++arena.nfreepools;
    if (nf === POOLS_PER_ARENA && arena.next !== null) {
      this.unlinkArena(arena);
      this.arenas[arena.number] = undefined;
      this.stacks[arena.number] = undefined;
      this.forgetPools(arena.number * POOLS_PER_ARENA, (arena.number + 1) * POOLS_PER_ARENA);
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
    this.stacks[number] = new Uint16Array(POOLS_PER_ARENA * STACK_ROOM);
    this.arenaCount++;
    const end = (number + 1) * POOLS_PER_ARENA;
    if (end * RECORD > this.pools.length) this.growPools(end);
    // The arena's pools start as never carved, also where a released arena held the number.
    this.forgetPools(number * POOLS_PER_ARENA, end);
    return arena;
  }

  private growPools(needed: number): void {
    let capacity = this.pools.length / RECORD;
    while (capacity < needed) capacity *= 2;
    const pools = new Int32Array(capacity * RECORD);
    pools.set(this.pools);
    const from = this.pools.length / RECORD;
    this.pools = pools;
    this.forgetPools(from, capacity);
  }

  private unlinkArena(arena: Arena): void {
    if (arena.prev) arena.prev.next = arena.next;
    else if (this.usable === arena) this.usable = arena.next;
    if (arena.next) arena.next.prev = arena.prev;
    arena.next = arena.prev = null;
  }

  private linkUsedFront(pool: number): void {
    const pools = this.pools;
    const at = pool * RECORD;
    const szidx = pools[at + SZIDX];
    const head = this.used[szidx];
    pools[at + PREV] = NONE;
    pools[at + NEXT] = head;
    if (head !== NONE) pools[head * RECORD + PREV] = pool;
    this.used[szidx] = pool;
  }

  private unlinkUsed(pool: number): void {
    const pools = this.pools;
    const at = pool * RECORD;
    const prev = pools[at + PREV];
    const next = pools[at + NEXT];
    const szidx = pools[at + SZIDX];
    if (prev !== NONE) pools[prev * RECORD + NEXT] = next;
    else if (this.used[szidx] === pool) this.used[szidx] = next;
    if (next !== NONE) pools[next * RECORD + PREV] = prev;
    pools[at + NEXT] = pools[at + PREV] = NONE;
  }
}
