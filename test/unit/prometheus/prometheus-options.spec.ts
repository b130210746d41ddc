import { describe, expect, it } from '@jest/globals';
import { InvalidOptionError } from '../../../lib/errors/index.js';
import { resolvePrometheusOptions } from '../../../lib/prometheus/prometheus-module-options.js';
import { validateSouvenirsOptions } from '../../../lib/souvenirs-options.validation.js';

describe('the prometheus option', () => {
  it.each([
    [{ maxSeries: 0 }, /prometheus\.maxSeries/],
    [{ maxSeries: 2.5 }, /prometheus\.maxSeries/],
    [{ metricas: 'orders' }, /prometheus\.metricas/],
    [{ guard: 'AdminGuard' }, /prometheus\.guard/],
    [{ path: 7 }, /prometheus\.path/],
    [{ scrapeEvery: 5 }, /prometheus\.scrapeEvery/],
  ])('refuses %p, naming the option', (prometheus, named) => {
    expect(() => validateSouvenirsOptions({ prometheus } as never)).toThrow(InvalidOptionError);
    expect(() => validateSouvenirsOptions({ prometheus } as never)).toThrow(named);
  });

  it('keeps a valid one as given', () => {
    expect(resolvePrometheusOptions(validateSouvenirsOptions({ prometheus: { public: true, maxSeries: 50, metricas: ['orders'] } })).prometheus).toEqual({
      public: true,
      maxSeries: 50,
      metricas: ['orders'],
    });
    expect(resolvePrometheusOptions(validateSouvenirsOptions({})).prometheus).toBeUndefined();
  });
});
