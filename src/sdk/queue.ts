/** A bounded FIFO with O(1) push and shift (a growable ring would do too; this compacts lazily). */
export class BoundedQueue<T> {
  private items: (T | undefined)[] = [];
  private head = 0;

  constructor(readonly capacity: number) {
    if (!(Number.isInteger(capacity) && capacity > 0)) {
      throw new RangeError(`invalid maxQueue: ${capacity} (expected a positive integer)`);
    }
  }

  /** Number of queued items. */
  get length(): number {
    return this.items.length - this.head;
  }

  /** Appends; when full, drops the oldest (`'oldest'`) or the new item (`'newest'`); returns whether one was dropped. */
  push(item: T, drop: 'oldest' | 'newest'): boolean {
    if (this.length >= this.capacity) {
      if (drop === 'newest') return true;
      this.shift();
      this.items.push(item);
      return true;
    }
    this.items.push(item);
    return false;
  }

  /** Removes and returns the oldest item. */
  shift(): T | undefined {
    if (this.length === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head++] = undefined;
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  /** Removes and returns up to `n` oldest items. */
  take(n: number): T[] {
    const out: T[] = [];
    while (out.length < n && this.length > 0) out.push(this.shift() as T);
    return out;
  }
}
