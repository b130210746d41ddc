import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { ExecutionContext } from '@nestjs/common';
import { get as httpGet } from 'node:http';
import { MetricaRegistry } from '../../lib/metricas/metrica.registry.js';
import { Souvenir } from '../../lib/table/souvenir.entity.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { CollectingLogger } from './app/collecting-logger.js';
import { PLATFORMS, startApp, type RunningApp } from './app/start-app.js';

// `track.tenant` (issue 19): the interceptor records each request's activity in the tenant the
// option finds; a tenant function that throws, or gives an invalid tenant, never fails the
// request: the failure is logged and the activity recorded without a tenant.

/** GETs `path` as `user` with an `x-tenant` header (when given); resolves to the status. */
function get(running: RunningApp, path: string, user: string, tenant?: string): Promise<number> {
  const headers: Record<string, string> = { 'x-user-id': user, ...(tenant !== undefined && { 'x-tenant': tenant }) };
  return new Promise((resolve, reject) => {
    const request = httpGet(`${running.url}${path}`, { agent: false, headers }, (response) => {
      response.resume();
      response.on('end', () => resolve(response.statusCode ?? 0));
    });
    request.on('error', reject);
  });
}

/** The tenant of the `x-tenant` header; `'boom'` throws, `'number'` gives a number, as a buggy function would. */
function tenantOf(context: ExecutionContext): string | null | undefined {
  const header = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers['x-tenant'];
  if (header === 'boom') throw new Error('no organisation on this request');
  if (header === 'number') return 42 as unknown as string;
  return header;
}

describe.each(PLATFORMS)('track.tenant on %s', (platform) => {
  const logger = new CollectingLogger();
  let database: TestDatabase;
  let running: RunningApp;

  const rowsOf = async (userId: string) =>
    (await database.dataSource.getRepository(Souvenir).find({ where: { userId }, order: { id: 'ASC' } })).map((row) => row.tenant);
  async function eventually(check: () => Promise<boolean>): Promise<void> {
    const deadline = Date.now() + 5_000;
    for (;;) {
      await running.app.get(MetricaRegistry).flush();
      if (await check()) return;
      if (Date.now() > deadline) throw new Error('tracking did not record within 5 s');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    running = await startApp(platform, database.options, { track: { tenant: tenantOf } }, logger);
  });
  afterAll(async () => {
    await running?.app.close();
    await database?.drop();
  });

  it('records activity in the request tenant, once per user and tenant per window', async () => {
    for (const tenant of ['acme', 'acme', 'globex', undefined]) expect(await get(running, '/orders', 'ann', tenant)).toBe(200);
    await eventually(async () => (await rowsOf('ann')).length === 3);
    // The second acme request was within ann's acme window; globex and no tenant are windows of their own.
    expect((await rowsOf('ann')).sort()).toEqual(['acme', 'globex', null].sort());
  });

  it('serves the request, logs and records without a tenant when the function throws', async () => {
    expect(await get(running, '/orders', 'bob', 'boom')).toBe(200);
    await eventually(async () => (await rowsOf('bob')).length === 1);
    expect(await rowsOf('bob')).toEqual([null]);
    const logged = /Tracking a request failed \(tenant\), the request was served anyway: Error: no organisation on this request/;
    expect(logger.lines.some((line) => logged.test(line))).toBe(true);
  });

  // Logged as the throw above (the warnings of one kind are rate-limited: these join its count).
  it.each([
    ['gives a number', 'number'],
    ['gives 300 characters', 'x'.repeat(300)],
    ['gives an empty string', ''],
  ])('serves the request and records without a tenant when the function %s', async (_name, header) => {
    const user = `user-${header.length}-${header.slice(0, 6)}`;
    expect(await get(running, '/orders', user, header)).toBe(200);
    await eventually(async () => (await rowsOf(user)).length === 1);
    expect(await rowsOf(user)).toEqual([null]);
  });
});
