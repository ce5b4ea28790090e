/** What an allocator model reports about the memory it manages. */
export interface AllocatorStats {
  /** The model's name. */
  readonly allocator: string;
  /** Bytes in blocks handed out and not yet freed (block sizes, so rounding is included). */
  readonly usedBytes: number;
  /** Bytes the model holds from the system but has not handed out. */
  readonly freeBytes: number;
  /** `freeBytes / (usedBytes + freeBytes)`: the share of held memory that is idle (0 when empty). */
  readonly fragmentation: number;
  /** Arenas held (pymalloc model; 0 for models without arenas). */
  readonly arenas: number;
  /** Pools holding at least one block (pymalloc model). */
  readonly pools: number;
  /** Bytes of requests too large for the small-object allocator, served by the system allocator. */
  readonly largeBytes: number;
  /** Blocks currently handed out. */
  readonly blocks: number;
}

/**
 * A model of a memory allocator: it decides the address every object gets and so what `id()`
 * shows and when addresses are reused. Models are pluggable; see {@link createPymallocModel} and
 * {@link createBumpAllocator}.
 */
export interface AllocatorModel {
  /** Short name, e.g. `pymalloc`. */
  readonly name: string;
  /** Reserves a block of at least `bytes` bytes and returns its address. */
  allocate(bytes: number): number;
  /** Returns the block at `address`, which was allocated with `bytes` bytes. */
  free(address: number, bytes: number): void;
  /** The block size a request of `bytes` bytes really takes (rounding included). */
  blockSize(bytes: number): number;
  /** Current figures. */
  stats(): AllocatorStats;
}

/** Builds an {@link AllocatorStats} from used and free byte counts. */
export function allocatorStats(
  allocator: string,
  usedBytes: number,
  freeBytes: number,
  extra: { arenas?: number; pools?: number; largeBytes?: number; blocks: number },
): AllocatorStats {
  const held = usedBytes + freeBytes;
  return {
    allocator,
    usedBytes,
    freeBytes,
    fragmentation: held === 0 ? 0 : freeBytes / held,
    arenas: extra.arenas ?? 0,
    pools: extra.pools ?? 0,
    largeBytes: extra.largeBytes ?? 0,
    blocks: extra.blocks,
  };
}
