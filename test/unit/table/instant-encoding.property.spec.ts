import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { dateColumnEncoding, EPOCH_MS_TRANSFORMER, instantParameter } from '../../../lib/table/sql/instant-encoding.js';

/** Every instant a JavaScript Date can hold, in milliseconds. */
const anyInstant = fc.integer({ min: -8.64e15, max: 8.64e15 });

describe('EPOCH_MS_TRANSFORMER', () => {
  it('writes any Date as its epoch milliseconds, and reads them back as the same instant, from any driver form', () => {
    fc.assert(
      fc.property(anyInstant, (ms) => {
        const stored = EPOCH_MS_TRANSFORMER.to(new Date(ms));
        expect(stored).toBe(ms);
        // node-postgres and mysql2 return a bigint as a decimal string, better-sqlite3 as a number.
        for (const fromDriver of [String(stored), stored]) {
          expect(EPOCH_MS_TRANSFORMER.from(fromDriver).getTime()).toBe(ms);
        }
      }),
      { numRuns: 10_000 },
    );
  });

  it('leaves absent values absent', () => {
    expect(EPOCH_MS_TRANSFORMER.to(undefined)).toBeUndefined();
    expect(EPOCH_MS_TRANSFORMER.from(null)).toBeNull();
  });
});

describe('instantParameter', () => {
  it('binds epoch milliseconds against an epoch-ms column, the Date itself for the driver otherwise', () => {
    fc.assert(
      fc.property(anyInstant, (ms) => {
        const instant = new Date(ms);
        expect(instantParameter(instant, 'epoch-ms')).toBe(ms);
        expect(instantParameter(instant, 'timestamp')).toBe(instant);
        expect(instantParameter(instant, 'timestamptz')).toBe(instant);
      }),
    );
  });
});

describe('dateColumnEncoding', () => {
  it.each([
    ['timestamptz', 'timestamptz'],
    ['timestamp with time zone', 'timestamptz'],
    ['timestamp', 'timestamp'],
    ['datetime', 'timestamp'],
    [Date, 'timestamp'],
    [undefined, 'timestamp'],
  ])('reads a column of type %p as %s', (type, encoding) => {
    expect(dateColumnEncoding(type)).toBe(encoding);
  });
});
