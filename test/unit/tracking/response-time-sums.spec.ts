import { describe, expect, it } from '@jest/globals';
import { histogramBucketIndex } from '../../../lib/metricas/histogram/histogram-buckets.js';
import { RESPONSE_TIME_BUCKETS } from '../../../lib/tracking/response-time.metrica.js';
import { ResponseTimeSums } from '../../../lib/tracking/souvenirs.interceptor.js';

describe('ResponseTimeSums (one busy turn of response times)', () => {
  const axes = { view: 'Items.show', exception: null, status: '2xx' as const };

  it('sums requests of one view, status and histogram bucket into one kick', () => {
    const sums = new ResponseTimeSums();
    sums.add(axes, 3);
    sums.add(axes, 4);
    expect([...sums.values()]).toEqual([{ axes, elapsedMs: 7, events: 2 }]);
  });

  it('keeps requests of different histogram buckets apart, so each summed kick lands in its own bucket', () => {
    const sums = new ResponseTimeSums();
    for (const elapsedMs of [3, 300, 4, 320]) sums.add(axes, elapsedMs);
    const kicks = [...sums.values()];
    expect(kicks.map(({ elapsedMs, events }) => [elapsedMs, events])).toEqual([[7, 2], [620, 2]]);
    // The planner counts a summed kick in the bucket of its mean: the bucket its requests share.
    expect(kicks.map(({ elapsedMs, events }) => histogramBucketIndex(RESPONSE_TIME_BUCKETS, elapsedMs / events))).toEqual([
      histogramBucketIndex(RESPONSE_TIME_BUCKETS, 3),
      histogramBucketIndex(RESPONSE_TIME_BUCKETS, 300),
    ]);
  });
});
