import { describe, expect, it } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAULT_TABLE_END, FAULT_TABLE_START, readFaultFigures, renderFaultTable, replaceFaultTable } from '../../../bench/fault-table.js';
import type { FaultFigure } from '../../support/fault-figures.js';

const figure = (id: string, note?: string): FaultFigure => ({
  id,
  fault: 'Redis killed',
  duration: 'one cut',
  load: '4 × 10',
  lost: 1,
  doubled: 2,
  failedRequests: 3,
  note,
});

describe('the fault table of bench/README.md', () => {
  it('renders every record found, sorted by id, one row each', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'fault-table-'));
    try {
      await writeFile(join(folder, 'b.json'), JSON.stringify(figure('b', 'a | b')));
      await writeFile(join(folder, 'a.json'), JSON.stringify(figure('a')));
      await writeFile(join(folder, 'ignored.txt'), 'not a record');
      const table = renderFaultTable(await readFaultFigures(folder));
      expect(table.split('\n').slice(2)).toEqual([
        '| a | Redis killed | one cut | 4 × 10 | 1 | 2 | 3 |  |',
        '| b | Redis killed | one cut | 4 × 10 | 1 | 2 | 3 | a \\| b |',
      ]);
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('replaces only the marked section, and adds it when missing', () => {
    const readme = `# Title\n\nbefore\n${FAULT_TABLE_START}\nold\n${FAULT_TABLE_END}\nafter\n`;
    expect(replaceFaultTable(readme, 'new')).toBe(`# Title\n\nbefore\n${FAULT_TABLE_START}\nnew\n${FAULT_TABLE_END}\nafter\n`);
    expect(replaceFaultTable('# Title\n', 'new')).toBe(`# Title\n\n${FAULT_TABLE_START}\nnew\n${FAULT_TABLE_END}\n`);
  });
});
