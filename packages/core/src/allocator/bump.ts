import { type AllocatorModel, type AllocatorStats, allocatorStats } from './allocator.js';
import { SystemAllocatorModel } from './system-allocator.js';

/** Options of {@link createBumpAllocator}. */
export interface BumpAllocatorOptions {
  /** First address handed out (default `0x10000000`). */
  readonly base?: number;
}

/**
 * A simple allocator: addresses are bumped upward; freed blocks go on a free list per rounded size
 * and are reused last-in-first-out. Easy to reason about in teaching material.
 */
export function createBumpAllocator(options: BumpAllocatorOptions = {}): AllocatorModel {
  const system = new SystemAllocatorModel(options.base ?? 0x10000000);
  return {
    name: 'bump',
    allocate: (bytes) => system.allocate(bytes),
    free: (address, bytes) => system.free(address, bytes),
    blockSize: (bytes) => SystemAllocatorModel.round(bytes),
    stats: (): AllocatorStats =>
      allocatorStats('bump', system.used, system.idle, { blocks: system.blocks, largeBytes: 0 }),
  };
}
