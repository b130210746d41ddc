import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import type { AddressInfo } from 'node:net';
import { MetricaRegistry } from '../../lib/metricas/metrica.registry.js';
import { SouvenirsModule } from '../../lib/souvenirs.module.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { PLATFORMS } from './app/start-app.js';
import { createDashboardApp, dashboardOptions } from './dashboard/dashboard-app.js';
import { get } from './dashboard/http-get.js';

// `app.setGlobalPrefix('api')` moves every route of the app, the dashboard's and the
// Prometheus endpoint's included: a scrape config must say `metrics_path: /api/metrics`.
// The pages find their own links (assets, JSON, CSV, analytics) under the prefix.

describe.each(PLATFORMS)('a global prefix moves the dashboard and the Prometheus endpoint (%s)', (platform) => {
  let database: TestDatabase;
  let app: INestApplication;
  let url: string;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    app = await createDashboardApp(database.options, SouvenirsModule.forRoot({ ...dashboardOptions({ public: true }), prometheus: { public: true } }), platform);
    app.setGlobalPrefix('api');
    await app.listen(0, '127.0.0.1');
    url = `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
    await app.get(MetricaRegistry).get('orders').kick({ plan: 'pro' });
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it('serves the Prometheus exposition at /api/metrics, not /metrics', async () => {
    const scrape = await get(`${url}/api/metrics`);
    expect(scrape.status).toBe(200);
    expect(scrape.contentType).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(scrape.body).toContain('souvenirs_orders_total{plan="pro"} 1');
    expect((await get(`${url}/metrics`)).status).toBe(404);
  });

  it('serves the dashboard under /api/souvenirs, its pages linking assets, JSON, CSV and analytics under the prefix', async () => {
    expect((await get(`${url}/souvenirs`)).status).toBe(404);
    for (const page of ['/api/souvenirs', '/api/souvenirs/analytics', '/api/souvenirs/metricas/orders']) {
      const answer = await get(url + page);
      expect({ page, status: answer.status }).toEqual({ page, status: 200 });
      const links = [...answer.body.matchAll(/(?:href|src|data-src)="([^"#]+)"/g)].map((match) => match[1].replaceAll('&amp;', '&'));
      expect(links.length).toBeGreaterThan(3);
      for (const link of links) {
        expect({ page, link }).toEqual({ page, link: expect.stringMatching(/^\/api\/souvenirs(\/|\?|$)/) });
        expect({ page, link, status: (await get(url + link)).status }).toEqual({ page, link, status: 200 });
      }
    }
  });

  it('answers the JSON endpoints and their CSV under the prefix', async () => {
    const metricas = await get(`${url}/api/souvenirs/api/metricas`);
    expect(metricas.json<Array<{ name: string }>>().map((metrica) => metrica.name)).toContain('orders');
    const csv = await get(`${url}/api/souvenirs/api/analytics/lifecycle?format=csv`);
    expect({ status: csv.status, type: csv.contentType }).toEqual({ status: 200, type: 'text/csv; charset=utf-8' });
  });
});
