import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { metricaContract } from './metrica.contract.js';

metricaContract('the memory store', async () => {
  const stores: MemorySouvenirsStore[] = [];
  return {
    async create() {
      const store = new MemorySouvenirsStore();
      stores.push(store);
      return store;
    },
    async close() {
      stores.forEach((store) => store.onModuleDestroy());
    },
  };
});
