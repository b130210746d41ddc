import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { lastValueFrom, of } from 'rxjs';
import { ActivityService } from '../../../lib/activity/activity.service.js';
import { MetricaRegistry } from '../../../lib/metricas/metrica.registry.js';
import { SouvenirsModule } from '../../../lib/souvenirs.module.js';
import { RESPONSE_TIME_METRICA } from '../../../lib/tracking/tracking.constants.js';
import { SouvenirsInterceptor } from '../../../lib/tracking/souvenirs.interceptor.js';
import { createTestDatabase } from '../../support/databases.js';

class OrdersGateway {
  handle() {
    return 'pong';
  }
}

describe('SouvenirsInterceptor outside HTTP', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let moduleRef: TestingModule;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    moduleRef = await Test.createTestingModule({
      imports: [TypeOrmModule.forRoot(database.options), SouvenirsModule.forRoot({ rateLimitSeconds: 0 })],
    }).compile();
    await moduleRef.init();
  });

  afterAll(async () => {
    await moduleRef?.close();
    await database?.drop();
  });

  it.each(['rpc', 'ws'] as const)('passes a %s context through untouched and records nothing', async (type) => {
    const context = new ExecutionContextHost([{ user: { id: 'socket-user' } }, {}, {}], OrdersGateway, OrdersGateway.prototype.handle);
    context.setType(type);
    const handled = of('pong');
    const returned = moduleRef.get(SouvenirsInterceptor).intercept(context, { handle: () => handled });

    expect(returned).toBe(handled);
    expect(await lastValueFrom(returned)).toBe('pong');
    const registry = moduleRef.get(MetricaRegistry);
    await registry.flush();
    await new Promise((resolve) => setImmediate(resolve));
    await registry.flush();
    expect(await registry.get(RESPONSE_TIME_METRICA).count()).toBe(0);
    expect(await moduleRef.get(ActivityService).countActiveUsers()).toBe(0);
  });
});
