import { describe, expect, it } from '@jest/globals';
import { formatCsv, formatJson, formatTable } from '../../../lib/shared/report-output.js';

describe('show-usage outputs', () => {
  const table = {
    headers: ['month', 'start', 'registered', 'active'],
    rows: [
      ['Y06 M12', '2015-12-24', 7, 0],
      ['Y06 M09', '2015-09-24', 12345678901234, 1],
    ],
  };

  it('formatTable: python-tabulate "simple": header + 2 wide, numbers right-aligned, two-space gaps', () => {
    expect(formatTable(table)).toBe(
      [
        'month    start           registered    active',
        '-------  ----------  --------------  --------',
        'Y06 M12  2015-12-24               7         0',
        'Y06 M09  2015-09-24  12345678901234         1',
        '',
      ].join('\n'),
    );
  });

  it('formatTable: null cells are blank and the column stays numeric; no rows leaves header and rule', () => {
    expect(formatTable({ headers: ['year', 'registered'], rows: [['Y01', null], ['Y02', 3]] })).toBe(
      'year      registered\n------  ------------\nY01\nY02                3\n',
    );
    expect(formatTable({ headers: ['year', 'active'], rows: [] })).toBe('year    active\n------  --------\n');
  });

  it('formatCsv: quotes fields holding commas, quotes or line breaks; null is empty', () => {
    expect(formatCsv({ headers: ['date', 'registered'], rows: [['Mon, 4 Jan', null], ['say "hi"', 2]] })).toBe(
      'date,registered\n"Mon, 4 Jan",\n"say ""hi""",2\n',
    );
  });

  it('formatJson: objects keyed by column, numbers and null kept', () => {
    expect(JSON.parse(formatJson(table))).toEqual([
      { month: 'Y06 M12', start: '2015-12-24', registered: 7, active: 0 },
      { month: 'Y06 M09', start: '2015-09-24', registered: 12345678901234, active: 1 },
    ]);
    expect(formatJson({ headers: ['a'], rows: [] })).toBe('[]\n');
  });
});
