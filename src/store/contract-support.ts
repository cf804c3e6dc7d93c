/** Shared plumbing of the store contract suites (`*.contract.ts`). */
import { afterEach } from 'vitest';
import type { Store } from './store.js';

/**
 * Inside a `describe`: returns `fresh()`, which opens a new store with `make` for the calling test;
 * the store is closed after that test.
 */
export function freshStorePerTest(make: () => Promise<Store>): () => Promise<Store> {
  let store: Store | undefined;
  afterEach(async () => {
    await store?.close();
    store = undefined;
  });
  return async () => {
    store = await make();
    return store;
  };
}
