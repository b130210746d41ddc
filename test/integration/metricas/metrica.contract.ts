import { afterAll, beforeAll, describe } from '@jest/globals';
import { averagedCases } from './contract/averaged.cases.js';
import { axesCases } from './contract/axes.cases.js';
import { bufferCases } from './contract/buffer.cases.js';
import { countingCases } from './contract/counting.cases.js';
import { datesCases } from './contract/dates.cases.js';
import { histogramCases } from './contract/histogram.cases.js';
import { histogramLayoutCases } from './contract/histogram-layout.cases.js';
import { histogramRollupCases } from './contract/histogram-rollups.cases.js';
import { snapshotCases } from './contract/snapshot.cases.js';
import { contractContext, type StoreFactory } from './contract/harness.js';

export type { StoreFactory } from './contract/harness.js';

/**
 * The metricas contract: the same suite against any store. `open` is called once
 * (in `beforeAll`); each test takes fresh, isolated stores from the factory.
 */
export function metricaContract(label: string, open: () => Promise<StoreFactory>): void {
  describe(`metricas on ${label}`, () => {
    let factory: StoreFactory | undefined;
    beforeAll(async () => {
      factory = await open();
    });
    afterAll(async () => {
      await factory?.close();
    });
    const context = contractContext(() => {
      if (!factory) throw new Error('the store factory is not open yet');
      return factory;
    });
    countingCases(context);
    datesCases(context);
    axesCases(context);
    averagedCases(context);
    bufferCases(context);
    histogramCases(context);
    histogramLayoutCases(context);
    histogramRollupCases(context);
    snapshotCases(context);
  });
}
