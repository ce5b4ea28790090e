import { type AllocatorModel, type AllocatorStats, allocatorStats } from './allocator.js';
import { SystemAllocatorModel } from './system-allocator.js';

/** Options of {@link createPymallocModel}. */
export interface PymallocOptions {
  /** Address of the first arena (default `0x7f3a40000000`, where a 64-bit Linux mmap lands). */
  readonly arenaBase?: number;
  /** Address the system allocator starts at, for requests above 512 bytes (default `0x55d6c8a00000`). */
  readonly systemBase?: number;
}

/** The model's constants as an enum, so that the bundle writes them into the hot paths. */
enum P {
  /** Largest request served by pymalloc. */
  SMALL_REQUEST_THRESHOLD = 512,
  /** Size-class granularity. */
  ALIGNMENT = 16,
  /** log2 of the pool size. */
  POOL_SHIFT = 14,
  /** Pool size. */
  POOL_SIZE = 1 << POOL_SHIFT,
  /** Arena size. */
  ARENA_SIZE = 1048576,
  /** Bytes of a pool taken by its header. */
  POOL_OVERHEAD = 48,
  /** Pools per arena. */
  POOLS_PER_ARENA = ARENA_SIZE / POOL_SIZE,
  /** Number of size classes. */
  SIZE_CLASSES = SMALL_REQUEST_THRESHOLD / ALIGNMENT,
  /** Room per pool in the free-block stacks: at least the 1021 blocks of 16 bytes a pool holds. */
  STACK_ROOM = 1024,
  /** No pool (end of a pool list). */
  NONE = -1,
  /** Values per pool in `PymallocModel.pools` (a pool's record is at `pool * RECORD`). */
  RECORD = 8,
  /** Record offset: blocks on the pool's free stack. */
  NFREE = 0,
  /** Record offset: blocks in use. */
  COUNT = 1,
  /** Record offset: size class, or -1 for a pool never carved (or in a released arena). */
  SZIDX = 2,
  /** Record offset: offset of the next never-used block. */
  NEXTOFFSET = 3,
  /** Record offset: largest offset a block can start at. */
  MAXNEXTOFFSET = 4,
  /** Record offset: next pool in its size class's used list. */
  NEXT = 5,
  /** Record offset: previous pool in that list. */
  PREV = 6,
}

/** Largest request served by pymalloc; larger ones go to the system allocator. */
export const PYMALLOC_SMALL_REQUEST_THRESHOLD: number = P.SMALL_REQUEST_THRESHOLD;
/** Size-class granularity. */
export const PYMALLOC_ALIGNMENT: number = P.ALIGNMENT;
/** Pool size. */
export const PYMALLOC_POOL_SIZE: number = P.POOL_SIZE;
/** Arena size. */
export const PYMALLOC_ARENA_SIZE: number = P.ARENA_SIZE;
/** Bytes of a pool taken by its header. */
export const PYMALLOC_POOL_OVERHEAD: number = P.POOL_OVERHEAD;

/**
 * The pymalloc model's pool state, lent to code that frees small blocks elsewhere (heaplab's
 * clearing of garbage in WebAssembly) on copies of these arrays, which it writes back before
 * anything else uses the model, then reports with {@link PymallocPoolState.settle}. The arrays
 * are the model's current ones: ask again after the model has allocated.
 * @internal
 */
export interface PymallocPoolState {
  /** Address of the first arena: the block at `address` is in pool `(address - arenaBase) >> 14`. */
  readonly arenaBase: number;
  /**
   * Pool records, 8 words each: blocks on the free stack, blocks in use, size class (-1: no
   * pool), next never-used offset, its limit, next and previous pool in the class's used list.
   */
  readonly pools: Int32Array;
  /** Each pool's free stack of block offsets, 1024 entries per pool, the last freed on top. */
  readonly stacks: Uint16Array;
  /** First pool of each size class's used list (-1 for none). */
  readonly used: Int32Array;
  /**
   * Takes note of frees done on the copies: `bytes` bytes in `blocks` blocks, and the `n` pools
   * of `emptied` that became empty, in order (each left its used list there; here it returns to
   * its arena).
   */
  settle(bytes: number, blocks: number, emptied: Int32Array, n: number): void;
}

/** The pool state of `model` when it is a pymalloc model (see {@link PymallocPoolState}). @internal */
export function pymallocPoolState(model: AllocatorModel): PymallocPoolState | undefined {
  return model instanceof PymallocModel ? model.poolState() : undefined;
}

/** Where pool `pool`'s free stack starts in `PymallocModel.stacks`. */
function stackStart(pool: number): number {
  return pool * P.STACK_ROOM;
}

class Arena {
  /** Empty pools (global pool numbers) returned to the arena, most recent last. */
  freepools: number[] = [];
  nfreepools = P.POOLS_PER_ARENA;
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
 * Pools are numbered from the first arena's base, `(address - arenaBase) / P.POOL_SIZE`,
 * and their state lives in typed arrays indexed by that number (one record per pool, one stack
 * of free blocks per pool), so a free finds its pool by arithmetic and touches a 32-byte record
 * and one stack entry, not a chain of host objects.
 */
class PymallocModel implements AllocatorModel {
  readonly name = 'pymalloc';
  /** Head pool of each size class's used list, or {@link P.NONE}. */
  private readonly used = new Int32Array(P.SIZE_CLASSES).fill(P.NONE);
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
   * Free blocks of each pool as offsets from the pool's base, last freed on top: pool `p`'s stack
   * starts at `p * STACK_ROOM` (a fixed typed stack: freeing never allocates). One array for all
   * pools, grown with {@link PymallocModel.pools}; a released arena's part is reused with its number.
   */
  private stacks: Uint16Array;

  constructor(
    private readonly arenaBase: number,
    systemBase: number,
  ) {
    this.system = new SystemAllocatorModel(systemBase);
    this.pools = new Int32Array(P.POOLS_PER_ARENA * P.RECORD);
    this.stacks = new Uint16Array(P.POOLS_PER_ARENA * P.STACK_ROOM);
    this.forgetPools(0, P.POOLS_PER_ARENA);
  }

  blockSize(bytes: number): number {
    if (bytes === 0 || bytes > P.SMALL_REQUEST_THRESHOLD) return SystemAllocatorModel.round(bytes);
    return (((bytes - 1) >> 4) + 1) << 4;
  }

  allocate(bytes: number): number {
    if (bytes === 0 || bytes > P.SMALL_REQUEST_THRESHOLD) return this.system.allocate(bytes);
    const idx = (bytes - 1) >> 4;
    this.usedBytes += (idx + 1) << 4;
    this.blocks++;
    const pool = this.used[idx];
    if (pool === P.NONE) return this.allocateFromNewPool(idx);
    const pools = this.pools;
    const at = pool * P.RECORD;
    pools[at + P.COUNT]++;
    const nfree = --pools[at + P.NFREE];
    const address = this.poolBase(pool) + this.stacks[stackStart(pool) + nfree];
    if (nfree === 0) this.extend(pool);
    return address;
  }

  free(address: number, bytes: number): void {
    if (bytes === 0 || bytes > P.SMALL_REQUEST_THRESHOLD) {
      this.system.free(address, bytes);
      return;
    }
    const pools = this.pools;
    const delta = address - this.arenaBase;
    // Arenas lie within 2 GiB of the first one, so offsets and pool numbers are small integers.
    const offset = delta >= 0 && delta < 2147483648 ? delta | 0 : -1;
    const pool = offset >> P.POOL_SHIFT;
    const at = pool * P.RECORD;
    if (!(offset >= 0 && at < pools.length && pools[at + P.SZIDX] >= 0)) this.foreignFree(address);
    this.usedBytes -= (pools[at + P.SZIDX] + 1) << 4;
    this.blocks--;
    const nfree = pools[at + P.NFREE];
    this.stacks[stackStart(pool) + nfree] = offset & (P.POOL_SIZE - 1);
    pools[at + P.NFREE] = nfree + 1;
    // Kept small (the rare cases in their own method) so that callers can inline it.
    if (--pools[at + P.COUNT] === 0 || nfree === 0) this.poolChanged(pool, nfree);
  }

  /** After a free in `pool`, which held `nfree` free blocks before: relinks a pool that was full or is empty. */
  private poolChanged(pool: number, nfree: number): void {
    if (nfree === 0) {
      // It was full: back to the front of its size class's list.
      this.linkUsedFront(pool);
      return;
    }
    this.unlinkUsed(pool);
    this.poolsInUse--;
    this.returnPoolToArena(pool);
  }

  /** The model's pools, lent (see {@link PymallocPoolState}). */
  poolState(): PymallocPoolState {
    return {
      arenaBase: this.arenaBase,
      pools: this.pools,
      stacks: this.stacks,
      used: this.used,
      settle: (bytes, blocks, emptied, n) => {
        this.usedBytes -= bytes;
        this.blocks -= blocks;
        this.poolsInUse -= n;
        for (let k = 0; k < n; k++) this.returnPoolToArena(emptied[k]);
      },
    };
  }

  private foreignFree(address: number): never {
    throw new Error(`[heaplab] [pymalloc] free of 0x${address.toString(16)}, which it never allocated`);
  }

  stats(): AllocatorStats {
    const held = this.arenaCount * P.ARENA_SIZE;
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

  private poolBase(pool: number): number {
    return this.arenaBase + pool * P.POOL_SIZE;
  }

  /** Marks pools `from` to `to` (exclusive) as not existing. */
  private forgetPools(from: number, to: number): void {
    for (let p = from; p < to; p++) this.pools[p * P.RECORD + P.SZIDX] = -1;
  }

  /** Bumps one never-used block onto the free stack, or retires the pool as full. */
  private extend(pool: number): void {
    const pools = this.pools;
    const at = pool * P.RECORD;
    const next = pools[at + P.NEXTOFFSET];
    if (next <= pools[at + P.MAXNEXTOFFSET]) {
      this.stacks[stackStart(pool) + pools[at + P.NFREE]++] = next;
      pools[at + P.NEXTOFFSET] = next + ((pools[at + P.SZIDX] + 1) << 4);
    } else {
      this.unlinkUsed(pool);
    }
  }

  private allocateFromNewPool(idx: number): number {
    if (this.usable === null) this.usable = this.newArena();
    const arena = this.usable;
    const pool =
      arena.freepools.length > 0 ? arena.freepools.pop()! : arena.number * P.POOLS_PER_ARENA + arena.carved++;
    arena.nfreepools--;
    if (arena.nfreepools === 0) this.unlinkArena(arena);
    this.poolsInUse++;
    const pools = this.pools;
    const at = pool * P.RECORD;
    pools[at + P.COUNT] = 1;
    const base = this.poolBase(pool);
    if (pools[at + P.SZIDX] === idx && pools[at + P.NFREE] > 0) {
      // The pool last held this size class: its free stack is still good.
      this.linkUsedFront(pool);
      return base + this.stacks[stackStart(pool) + --pools[at + P.NFREE]];
    }
    const size = (idx + 1) << 4;
    pools[at + P.SZIDX] = idx;
    pools[at + P.NFREE] = 1;
    this.stacks[stackStart(pool)] = P.POOL_OVERHEAD + size;
    pools[at + P.NEXTOFFSET] = P.POOL_OVERHEAD + 2 * size;
    pools[at + P.MAXNEXTOFFSET] = P.POOL_SIZE - size;
    this.linkUsedFront(pool);
    return base + P.POOL_OVERHEAD;
  }

  private returnPoolToArena(pool: number): void {
    const arena = this.arenas[Math.floor(pool / P.POOLS_PER_ARENA)]!;
    arena.freepools.push(pool);
    const nf = ++arena.nfreepools;
    if (nf === P.POOLS_PER_ARENA && arena.next !== null) {
      this.unlinkArena(arena);
      this.arenas[arena.number] = undefined;
      this.forgetPools(arena.number * P.POOLS_PER_ARENA, (arena.number + 1) * P.POOLS_PER_ARENA);
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
    const arena = new Arena(number, this.arenaBase + number * P.ARENA_SIZE);
    this.arenas[number] = arena;
    this.arenaCount++;
    const end = (number + 1) * P.POOLS_PER_ARENA;
    if (end * P.RECORD > this.pools.length) this.growPools(end);
    // The arena's pools start as never carved, also where a released arena held the number.
    this.forgetPools(number * P.POOLS_PER_ARENA, end);
    return arena;
  }

  private growPools(needed: number): void {
    let capacity = this.pools.length / P.RECORD;
    while (capacity < needed) capacity *= 2;
    const pools = new Int32Array(capacity * P.RECORD);
    pools.set(this.pools);
    const stacks = new Uint16Array(capacity * P.STACK_ROOM);
    stacks.set(this.stacks);
    this.stacks = stacks;
    const from = this.pools.length / P.RECORD;
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
    const at = pool * P.RECORD;
    const szidx = pools[at + P.SZIDX];
    const head = this.used[szidx];
    pools[at + P.PREV] = P.NONE;
    pools[at + P.NEXT] = head;
    if (head !== P.NONE) pools[head * P.RECORD + P.PREV] = pool;
    this.used[szidx] = pool;
  }

  private unlinkUsed(pool: number): void {
    const pools = this.pools;
    const at = pool * P.RECORD;
    const prev = pools[at + P.PREV];
    const next = pools[at + P.NEXT];
    const szidx = pools[at + P.SZIDX];
    if (prev !== P.NONE) pools[prev * P.RECORD + P.NEXT] = next;
    else if (this.used[szidx] === pool) this.used[szidx] = next;
    if (next !== P.NONE) pools[next * P.RECORD + P.PREV] = prev;
    pools[at + P.NEXT] = pools[at + P.PREV] = P.NONE;
  }
}
