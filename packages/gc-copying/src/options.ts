/** Options of {@link createCopyingCollector}. */
export interface CopyingOptions {
  /**
   * Bytes one semispace holds (default 1 MiB). When the bytes copied at the last collection plus
   * the bytes allocated since pass this, the next allocation runs a collection.
   */
  readonly semispaceBytes?: number;
  /**
   * Share of a semispace the survivors of a collection may fill before both semispaces double
   * (default 0.5), so a growing live set does not collect at every allocation.
   */
  readonly growAbove?: number;
  /** Collect when an allocation fills the semispace (default true); false: only on request. */
  readonly collectOnAllocation?: boolean;
}

/** {@link CopyingOptions} with every default filled in. */
export interface ResolvedCopyingOptions {
  /** See {@link CopyingOptions.semispaceBytes}. */
  readonly semispaceBytes: number;
  /** See {@link CopyingOptions.growAbove}. */
  readonly growAbove: number;
  /** See {@link CopyingOptions.collectOnAllocation}. */
  readonly collectOnAllocation: boolean;
}

/** Fills in defaults and rejects values that make no sense, with a message naming the option. */
export function resolveCopyingOptions(options: CopyingOptions = {}): ResolvedCopyingOptions {
  const semispaceBytes = options.semispaceBytes ?? 1 << 20;
  const growAbove = options.growAbove ?? 0.5;
  if (!(semispaceBytes > 0) || !Number.isFinite(semispaceBytes)) {
    throw new RangeError(
      `[heaplab] [copying] semispaceBytes must be a positive number, got ${semispaceBytes}`,
    );
  }
  if (!(growAbove > 0 && growAbove <= 1)) {
    throw new RangeError(`[heaplab] [copying] growAbove must be in (0, 1], got ${growAbove}`);
  }
  return { semispaceBytes, growAbove, collectOnAllocation: options.collectOnAllocation ?? true };
}
