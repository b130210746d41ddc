import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { SouvenirsModule } from '../../lib/souvenirs.module.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { dashboardOptions, startDashboardApp, type RunningDashboardApp } from './dashboard/dashboard-app.js';

describe('the dashboard with the retention option', () => {
  let database: TestDatabase;
  let running: RunningDashboardApp | undefined;
  const start = async (retention?: { days: number }) => {
    await running?.app.close();
    running = await startDashboardApp(database.options, SouvenirsModule.forRoot({ ...dashboardOptions({ public: true }), ...(retention && { retention }) }));
    return (await fetch(`${running.url}/souvenirs`)).text();
  };
  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterAll(async () => {
    await running?.app.close();
    await database?.drop();
  });

  it('shows the horizon on the overview, and keeps the range picker after it', async () => {
    const html = await start({ days: 30 });
    const now = dashboardOptions({ public: true }).now!();
    const horizon = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - 30 * 86_400_000).toISOString().slice(0, 10);
    expect(html).toContain(`Activity is kept from ${horizon} on (retention)`);
    expect(html).toContain(`min="${horizon}"`);
    // Its default 90 days start after the horizon (and the 29 days the MAU looks back): every chart answers.
    await start({ days: 60 });
    for (const path of ['api/active-users', 'api/comparison', 'api/usage/monthly']) expect((await fetch(`${running!.url}/souvenirs/${path}`)).status).toBe(200);
    expect(await start()).not.toContain('Activity is kept from');
  });
});
