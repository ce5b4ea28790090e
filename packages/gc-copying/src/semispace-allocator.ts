import { type AllocatorModel, type AllocatorStats, allocatorStats } from '@heaplab/core';

/** Options of {@link createSemispaceAllocator}. */
export interface SemispaceAllocatorOptions {
  /** Address where semispace A starts (default `0x200000000000`). */
  readonly base?: number;
  /** Distance between the two semispaces' start addresses (default 16 TiB: A starts at `0x200000000000`, B at `0x300000000000`). */
  readonly spacing?: number;
}

/**
 * An allocator model with two semispaces, for the copying collector: blocks are bumped upward in
 * the current space and never reused; {@link SemispaceAllocator.flip} switches to the other,
 * empty space, where the collector's copies land one after another, and new objects follow
 * them. Freeing only updates the figures: a space is reclaimed as a whole at the next flip.
 */
export interface SemispaceAllocator extends AllocatorModel {
  /** Always `'semispace'`. */
  readonly name: 'semispace';
  /** Which space allocation bumps into now: 0 (A) or 1 (B). */
  readonly current: 0 | 1;
  /** The bump pointer: the next address handed out. */
  readonly top: number;
  /** Start address of space `space`. */
  spaceBase(space: 0 | 1): number;
  /** Makes the other space current and empty: the collector's to-space. */
  flip(): void;
}

/** Whether `allocator` is a {@link SemispaceAllocator} (the copying collector then flips it). */
export function isSemispaceAllocator(allocator: AllocatorModel): allocator is SemispaceAllocator {
  return allocator.name === 'semispace' && typeof (allocator as SemispaceAllocator).flip === 'function';
}

const round = (bytes: number): number => (bytes <= 16 ? 16 : (bytes + 15) & ~15);

// #region allocator
/** Creates a {@link SemispaceAllocator}. */
export function createSemispaceAllocator(options: SemispaceAllocatorOptions = {}): SemispaceAllocator {
  const base = options.base ?? 0x200000000000;
  return new Semispaces(base, base + (options.spacing ?? 2 ** 44));
}

class Semispaces implements SemispaceAllocator {
  readonly name = 'semispace';
  current: 0 | 1 = 0;
  top: number;
  private used = 0;
  private blocks = 0;

  constructor(
    private readonly baseA: number,
    private readonly baseB: number,
  ) {
    this.top = baseA;
  }

  spaceBase(space: 0 | 1): number {
    return space === 0 ? this.baseA : this.baseB;
  }

  flip(): void {
    this.current = this.current === 0 ? 1 : 0;
    this.top = this.spaceBase(this.current);
  }

  allocate(bytes: number): number {
    const address = this.top;
    const size = round(bytes);
    this.top += size;
    this.used += size;
    this.blocks++;
    return address;
  }

  // A semispace is reclaimed whole at the next flip: freeing a block only updates the figures.
  free(_address: number, bytes: number): void {
    this.used -= round(bytes);
    this.blocks--;
  }

  blockSize(bytes: number): number {
    return round(bytes);
  }

  stats(): AllocatorStats {
    return allocatorStats('semispace', this.used, 0, { blocks: this.blocks });
  }
}
// #endregion allocator
