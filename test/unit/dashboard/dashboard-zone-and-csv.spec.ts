import { describe, expect, it } from '@jest/globals';
import { BadRequestException } from '@nestjs/common';
import { csvTableOf } from '../../../lib/dashboard/dashboard-csv.js';
import { renderMetrica } from '../../../lib/dashboard/dashboard-pages.js';
import { dateParam } from '../../../lib/dashboard/dashboard-query.js';

describe('dashboard since/until pickers', () => {
  it('read a bare date as local midnight in the module zone, as the CLI reads it', () => {
    expect(dateParam('since', '2026-11-28', 'Europe/Paris')?.toISOString()).toBe('2026-11-27T23:00:00.000Z');
    expect(dateParam('until', '2026-07-01', 'America/New_York')?.toISOString()).toBe('2026-07-01T04:00:00.000Z');
    // An instant with its offset stays that instant.
    expect(dateParam('since', '2026-11-28T12:00:00Z', 'Europe/Paris')?.toISOString()).toBe('2026-11-28T12:00:00.000Z');
    expect(dateParam('since', undefined, 'Europe/Paris')).toBeUndefined();
  });

  it('refuse what is not a date with a 400 naming the parameter', () => {
    expect(() => dateParam('since', 'yesterday', 'Europe/Paris')).toThrow(BadRequestException);
    expect(() => dateParam('until', '2026-02-30', 'Europe/Paris')).toThrow(/`until`/);
  });

  it('show back the local dates they were given, not the UTC date of local midnight', () => {
    const html = renderMetrica({
      base: '/souvenirs',
      timeZone: 'Europe/Paris',
      metrica: { name: 'orders', axes: [], averaged: false, scales: ['day'], total: 0, count: null },
      since: '2026-11-27T23:00:00.000Z',
      until: '2026-11-29T23:00:00.000Z',
    });
    expect(html).toContain('name="since" value="2026-11-28"');
    expect(html).toContain('name="until" value="2026-11-30"');
    expect(html).toContain('data-time-zone="Europe/Paris"');
  });
});

describe('dashboard CSV downloads', () => {
  it('keep the columns of an endpoint rows, a column some rows lack included', () => {
    expect(csvTableOf([{ t: 'a', value: 1 }, { t: 'b', value: 2, count: 3 }])).toEqual({
      headers: ['t', 'value', 'count'],
      rows: [['a', 1, null], ['b', 2, 3]],
    });
  });

  it('turn an axis breakdown into one row per value: its total, then each bucket', () => {
    const table = csvTableOf({
      axis: 'plan',
      pie: [{ label: 'free', total: 5 }, { label: 'pro', total: 2 }, { label: 'rare', total: 1 }],
      series: [
        { label: 'free', points: [{ t: 'T1', value: 4 }, { t: 'T2', value: 1 }] },
        { label: 'pro', points: [{ t: 'T1', value: 0 }, { t: 'T2', value: 2 }] },
      ],
    });
    expect(table).toEqual({
      headers: ['plan', 'total', 'T1', 'T2'],
      rows: [['free', 5, 4, 1], ['pro', 2, 0, 2], ['rare', 1, null, null]],
    });
  });
});
