import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { decodeSegment, escapeText, fieldProduct, scalarToken, segmentToken, unescapeText } from '../../../lib/metricas/axes/axis-encoding.js';

describe('axis encoding', () => {
  it('escapes any text into one without %, :, / or lone surrogates, and back', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (text) => {
        const escaped = escapeText(text);
        expect(escaped).not.toMatch(/[:/]|%(?!25|3A|2F|u[0-9A-F]{4})/);
        expect(escaped).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
        expect(unescapeText(escaped)).toBe(text);
      }),
      { numRuns: 500 },
    );
  });

  it('gives distinct tokens to values that print alike', () => {
    const values = ['18', 18, 'true', true, 'false', false, 'null', null, '', '*', '__all__', '%', '%25', ':', '/'];
    const tokens = values.map((value) => scalarToken(value));
    expect(new Set(tokens).size).toBe(values.length);
    expect(tokens).not.toContain('*');
  });

  it('round-trips path segments with their type', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.double({ noNaN: true, noDefaultInfinity: true })), (segment) => {
        expect(decodeSegment(segmentToken(segment))).toBe(Object.is(segment, -0) ? 0 : segment);
      }),
    );
  });

  it('builds the product of every axis part', () => {
    expect(fieldProduct([])).toEqual(['*']);
    expect(fieldProduct([['*', 'sa'], ['*', 'n1', 'n2']])).toEqual(['*:*', '*:n1', '*:n2', 'sa:*', 'sa:n1', 'sa:n2']);
  });
});
