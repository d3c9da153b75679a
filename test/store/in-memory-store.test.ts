/** The in-memory store against the shared store contract. */
import { InMemoryStore } from '../../src/store/memory/in-memory-store.js';
import { describeStoreContract } from './store-contract.js';

describeStoreContract('InMemoryStore', async () => {
  const store = new InMemoryStore();
  await store.start();
  return { store, cleanup: () => store.close() };
});
