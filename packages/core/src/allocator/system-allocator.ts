/**
 * A model of the C library allocator behind large requests: blocks are 16-byte aligned, a freed
 * block is reused last-in-first-out by the next request of the same rounded size, otherwise the
 * break moves up. Used by the pymalloc model for requests above 512 bytes and by the bump model.
 */
export class SystemAllocatorModel {
  private brk: number;
  private readonly freeBySize = new Map<number, number[]>();
  /** Bytes in live blocks. */
  used = 0;
  /** Bytes in freed blocks kept for reuse. */
  idle = 0;
  /** Live blocks. */
  blocks = 0;

  /** Creates a model whose first block starts at `base`. */
  constructor(base: number) {
    this.brk = base;
  }

  /** The size a request takes: rounded up to 16 bytes, at least 16. */
  static round(bytes: number): number {
    return bytes <= 16 ? 16 : (bytes + 15) & ~15;
  }

  /** Allocates a block. */
  allocate(bytes: number): number {
    const size = SystemAllocatorModel.round(bytes);
    this.used += size;
    this.blocks++;
    const list = this.freeBySize.get(size);
    if (list !== undefined && list.length > 0) {
      this.idle -= size;
      return list.pop()!;
    }
    const address = this.brk;
    this.brk += size;
    return address;
  }

  /** Frees a block. */
  free(address: number, bytes: number): void {
    const size = SystemAllocatorModel.round(bytes);
    this.used -= size;
    this.idle += size;
    this.blocks--;
    let list = this.freeBySize.get(size);
    if (list === undefined) {
      list = [];
      this.freeBySize.set(size, list);
    }
    list.push(address);
  }
}
