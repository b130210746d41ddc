import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { NotFoundException } from '@nestjs/common';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { lastValueFrom, of, throwError } from 'rxjs';
import { MetricaRegistry } from '../../../lib/metricas/metrica.registry.js';
import { SouvenirsModule } from '../../../lib/souvenirs.module.js';
import { RESPONSE_TIME_METRICA } from '../../../lib/tracking/tracking.constants.js';
import { SouvenirsInterceptor } from '../../../lib/tracking/souvenirs.interceptor.js';
import { createTestDatabase } from '../../support/databases.js';

class ItemsController {
  show() {
    return 'item';
  }
  list() {
    return ['item'];
  }
}

const httpContext = (handler: () => unknown, statusCode = 200) => {
  const context = new ExecutionContextHost([{}, { statusCode }, () => undefined], ItemsController, handler);
  context.setType('http');
  return context;
};

describe('SouvenirsInterceptor response times of one busy turn', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let moduleRef: TestingModule;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    moduleRef = await Test.createTestingModule({
      imports: [TypeOrmModule.forRoot(database.options), SouvenirsModule.forRoot()],
    }).compile();
    await moduleRef.init();
  });

  afterAll(async () => {
    await moduleRef?.close();
    await database?.drop();
  });

  it('counts every request, though requests of the same view and status share one kick', async () => {
    const interceptor = moduleRef.get(SouvenirsInterceptor);
    const requests = [
      lastValueFrom(interceptor.intercept(httpContext(ItemsController.prototype.show), { handle: () => of('item') })),
      lastValueFrom(interceptor.intercept(httpContext(ItemsController.prototype.show), { handle: () => of('item') })),
      lastValueFrom(interceptor.intercept(httpContext(ItemsController.prototype.show), { handle: () => of('item') })),
      lastValueFrom(interceptor.intercept(httpContext(ItemsController.prototype.list), { handle: () => of(['item']) })),
      lastValueFrom(
        interceptor.intercept(httpContext(ItemsController.prototype.show), { handle: () => throwError(() => new NotFoundException()) }),
      ).catch((error: unknown) => error),
    ];
    await Promise.all(requests);
    await new Promise((resolve) => setImmediate(resolve));
    const registry = moduleRef.get(MetricaRegistry);
    await registry.flush();
    const responseTime = registry.get(RESPONSE_TIME_METRICA);

    expect(await responseTime.count()).toBe(5);
    expect(await responseTime.filter({ view: 'ItemsController.show' }).count()).toBe(4);
    expect(await responseTime.filter({ view: 'ItemsController.show', status: '2xx' }).count()).toBe(3);
    expect(await responseTime.filter({ view: 'ItemsController.show', exception: 'NotFoundException' }).count()).toBe(1);
    expect(await responseTime.filter({ status: '4xx' }).count()).toBe(1);
    expect(await responseTime.filter({ view: 'ItemsController.list' }).count()).toBe(1);
  });
});
