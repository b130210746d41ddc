import { describe, expect, it } from '@jest/globals';
import { InvalidOptionError } from '../../../lib/errors/index.js';
import { resolveSouvenirsOptions } from '../../../lib/souvenirs.options.js';
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

  it('keeps a valid one as given, its path defaulted', () => {
    expect(resolveSouvenirsOptions(validateSouvenirsOptions({ prometheus: { public: true, maxSeries: 50, metricas: ['orders'] } })).prometheus).toEqual({
      path: 'metrics',
      public: true,
      maxSeries: 50,
      metricas: ['orders'],
    });
    expect(resolveSouvenirsOptions(validateSouvenirsOptions({})).prometheus).toBeUndefined();
  });
});
