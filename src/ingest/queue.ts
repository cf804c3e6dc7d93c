/**
 * A keyed FIFO queue: tasks with the same key run one after another, in arrival order; tasks with
 * different keys do not wait for each other here. Ingest serialises each model's writes through it.
 */

/** Serial execution per key. */
export class KeyedQueue {
  private readonly tails = new Map<string, Promise<unknown>>();
  private pending = 0;

  /** Tasks queued or running, over all keys. */
  get depth(): number {
    return this.pending;
  }

  /** Runs `task` after every task queued before it under `key`. */
  run<T>(key: string, task: () => Promise<T>): Promise<T> {
    this.pending++;
    const prev = this.tails.get(key) ?? Promise.resolve();
    const result = prev.then(task, task);
    const tail = result.then(
      () => undefined,
      () => undefined,
    );
    this.tails.set(key, tail);
    void tail.then(() => {
      this.pending--;
      if (this.tails.get(key) === tail) this.tails.delete(key);
    });
    return result;
  }
}
