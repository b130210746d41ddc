import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { UnprotectedEndpointError } from '../../lib/errors/unprotected-endpoint.error.js';
import { MetricaRegistry } from '../../lib/metricas/metrica.registry.js';
import { PrometheusService } from '../../lib/prometheus/prometheus.service.js';
import { RESPONSE_TIME_BUCKETS } from '../../lib/tracking/response-time.metrica.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { startPrometheus, type PrometheusServer } from '../support/prometheus-server.js';
import { PLATFORMS, type Platform } from './app/start-app.js';
import { SLOW_MS, ScrapeTokenGuard, prometheusAppOptions, startPrometheusApp } from './prometheus/prometheus-app.js';

/** Runs `promtool check metrics` on an exposition; its exit code and output. */
function promtoolCheck(exposition: string): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.once('error', reject);
    child.once('exit', (code) => resolve({ code, output }));
    child.stdin.end(exposition);
  });
}

describe('Prometheus endpoint scraped by a real Prometheus (Express and Fastify)', () => {
  let database: TestDatabase;
  let prometheus: PrometheusServer;
  const apps = new Map<Platform, { app: INestApplication; url: string }>();
  /** The longest a client waited for a slow request: no server-side time of it can be longer. */
  const slowestWaitMs = new Map<Platform, number>();

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    for (const platform of PLATFORMS) {
      const running = await startPrometheusApp(platform, database.options, prometheusAppOptions({ public: true }));
      apps.set(platform, running);
      const registry = running.app.get(MetricaRegistry);
      // Known kicks: orders 3 free, 2 pro (+ platform-specific extra pro kicks, so the two jobs differ).
      const orders = registry.get('orders');
      const extra = platform === 'express' ? 0 : 4;
      await Promise.all([
        ...Array.from({ length: 3 }, () => orders.kick({ plan: 'free' })),
        ...Array.from({ length: 2 + extra }, () => orders.kick({ plan: 'pro' })),
        registry.get('basket').kick({ plan: 'pro' }, { value: 30 }),
        registry.get('basket').kick({ plan: 'pro' }, { value: 10 }),
      ]);
      // 20 fast requests, then 4 slow ones: p95 falls among the slow.
      await Promise.all(Array.from({ length: 20 }, () => fetch(`${running.url}/work/fast`).then((response) => response.text())));
      const waited = await Promise.all(
        Array.from({ length: 4 }, async () => {
          const sent = performance.now();
          await fetch(`${running.url}/work/slow`).then((response) => response.text());
          return performance.now() - sent;
        }),
      );
      slowestWaitMs.set(platform, Math.max(...waited));
      await registry.flush();
    }
    prometheus = await startPrometheus(
      Object.fromEntries([...apps].map(([platform, { url }]) => [platform, { target: url.replace('http://', ''), path: '/metrics' }])),
    );
  }, 30_000);

  afterAll(async () => {
    await prometheus?.stop();
    for (const { app } of apps.values()) await app.close();
    await database?.drop();
  });

  describe.each(PLATFORMS)('%s', (platform) => {
    it('exports souvenirs_<name>_total per label set equal to what was kicked', async () => {
      const promql = `souvenirs_orders_total{job="${platform}"}`;
      const expected = { free: 3, pro: platform === 'express' ? 2 : 6 };
      const samples = await prometheus.waitFor(promql, (found) => found.length === 2);
      expect(Object.fromEntries(samples.map(([labels, value]) => [labels.plan, value]))).toEqual(expected);
      const [[, sum]] = await prometheus.query(`souvenirs_basket_sum{job="${platform}",plan="pro"}`);
      const [[, count]] = await prometheus.query(`souvenirs_basket_count{job="${platform}",plan="pro"}`);
      expect([sum, count]).toEqual([40, 2]);
    }, 20_000);

    it('lands histogram_quantile(0.95) of souvenirs_response_time_seconds among the slow requests', async () => {
      const promql = `histogram_quantile(0.95, sum by (le) (souvenirs_response_time_seconds_bucket{job="${platform}"}))`;
      const samples = await prometheus.waitFor(promql, (found) => found.length === 1 && Number.isFinite(found[0][1]));
      const [[, p95]] = samples;
      // The slow requests took SLOW_MS (over 0.25 s) to what their clients waited (0.5 s at most on
      // a quiet machine, more on a loaded one): p95 lies in the buckets between.
      expect(SLOW_MS / 1000).toBeGreaterThan(0.25);
      const upperMs = RESPONSE_TIME_BUCKETS.find((bound) => bound >= slowestWaitMs.get(platform)!) ?? Infinity;
      expect(p95).toBeGreaterThanOrEqual(0.25);
      expect(p95).toBeLessThanOrEqual(upperMs / 1000);
      const [[, requests]] = await prometheus.query(`sum(souvenirs_response_time_seconds_count{job="${platform}",status="2xx"})`);
      expect(requests).toBe(24);
      const views = await prometheus.query(`sum by (view) (souvenirs_response_time_seconds_count{job="${platform}"})`);
      expect(Object.fromEntries(views.map(([labels, value]) => [labels.view, value]))).toEqual({ 'WorkController.fast': 20, 'WorkController.slow': 4 });
    }, 20_000);

    it('serves an exposition that promtool check metrics accepts', async () => {
      const response = await fetch(`${apps.get(platform)!.url}/metrics`);
      expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
      const text = await response.text();
      expect(text).toContain('# TYPE souvenirs_response_time_seconds histogram');
      const { code, output } = await promtoolCheck(text);
      expect({ code, output }).toEqual({ code: 0, output: '' });
    });
    it('streams the exposition (chunked, no Content-Length) and it equals the whole text', async () => {
      const { app, url } = apps.get(platform)!;
      const response = await fetch(`${url}/metrics`);
      expect(response.headers.get('content-length')).toBeNull();
      expect(response.headers.get('transfer-encoding')).toBe('chunked');
      expect(response.headers.get('cache-control')).toBe('no-store');
      expect(await response.text()).toBe(await app.get(PrometheusService).scrape());
    });
  });

  it('answers every query of the Grafana dashboard (docs/grafana) with our series', async () => {
    const dashboard = JSON.parse(await readFile(new URL('../../docs/grafana/souvenirs-dashboard.json', import.meta.url), 'utf8')) as {
      panels: Array<{ title: string; targets?: Array<{ expr: string }> }>;
    };
    const variables: Record<string, string> = { __rate_interval: '10s', __range: '5m', view: '.*', metric: 'souvenirs_orders_total', axis: 'plan' };
    const queries = dashboard.panels.flatMap(({ title, targets = [] }) => targets.map(({ expr }) => ({ title, expr: expr.replace(/\$(\w+)/g, (_m, name: string) => variables[name] ?? `$${name}`) })));
    expect(queries.length).toBeGreaterThanOrEqual(8);
    for (const { title, expr } of queries) {
      if (title.startsWith('Errors')) {
        await prometheus.query(expr); // valid PromQL (it throws otherwise); no 5xx in this workload
        continue;
      }
      const samples = await prometheus.waitFor(expr, (found) => found.length > 0, 10_000);
      expect({ title, expr, found: samples.length > 0 }).toEqual({ title, expr, found: true });
    }
  }, 60_000);

  describe('protection', () => {
    it('refuses to boot without a guard or public: true', async () => {
      const boot = startPrometheusApp('express', database.options, prometheusAppOptions({}));
      await expect(boot).rejects.toBeInstanceOf(UnprotectedEndpointError);
      await expect(boot).rejects.toMatchObject({ option: 'prometheus' });
    });

    it.each(PLATFORMS)('answers 403 without the guard’s token and 200 with it, on its configured path (%s)', async (platform) => {
      const { app, url } = await startPrometheusApp(platform, database.options, prometheusAppOptions({ guard: ScrapeTokenGuard, path: '/internal/metrics' }));
      try {
        expect((await fetch(`${url}/internal/metrics`)).status).toBe(403);
        const allowed = await fetch(`${url}/internal/metrics`, { headers: { authorization: 'Bearer scrape' } });
        expect(allowed.status).toBe(200);
        expect(await allowed.text()).toContain('# TYPE souvenirs_orders_total counter');
        expect((await fetch(`${url}/metrics`)).status).toBe(404);
      } finally {
        await app.close();
      }
    });
  });
});
