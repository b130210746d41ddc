import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { NEVER, from } from 'rxjs';
import { MetricaRegistry } from '../../../lib/metricas/metrica.registry.js';
import { SouvenirsModule } from '../../../lib/souvenirs.module.js';
import { Track } from '../../../lib/tracking/track.decorator.js';
import { RESPONSE_TIME_METRICA } from '../../../lib/tracking/tracking.constants.js';
import { SouvenirsInterceptor } from '../../../lib/tracking/souvenirs.interceptor.js';
import { createTestDatabase } from '../../support/databases.js';

class EventsController {
  /** Streams its chunks (an SSE route): `@Track` weighs the first, the result. */
  @Track('chunks', { value: (_req, result: { size: number }) => result.size })
  stream() {
    return undefined;
  }
}

const httpContext = () => {
  const context = new ExecutionContextHost([{ user: { id: 'streamer' } }, { statusCode: 200 }, () => undefined], EventsController, EventsController.prototype.stream);
  context.setType('http');
  return context;
};

describe('SouvenirsInterceptor and what a request answered', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let moduleRef: TestingModule;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    moduleRef = await Test.createTestingModule({
      imports: [TypeOrmModule.forRoot(database.options), SouvenirsModule.forRoot({ metricas: [{ name: 'chunks' }] })],
    }).compile();
    await moduleRef.init();
  });

  afterAll(async () => {
    await moduleRef?.close();
    await database?.drop();
  });

  const recorded = async () => {
    await new Promise((resolve) => setImmediate(resolve));
    const registry = moduleRef.get(MetricaRegistry);
    await registry.flush();
    return { responseTimes: await registry.get(RESPONSE_TIME_METRICA).count(), chunks: await registry.get('chunks').total() };
  };

  it('records a streamed response once, its first value as the result, and every value reaches the client', async () => {
    const interceptor = moduleRef.get(SouvenirsInterceptor);
    const before = await recorded();
    const seen: unknown[] = [];
    const answer = interceptor.intercept(httpContext(), { handle: () => from([{ size: 3 }, { size: 40 }, { size: 500 }]) });
    await new Promise<void>((resolve, reject) => answer.subscribe({ next: (value) => seen.push(value), complete: resolve, error: reject }));

    expect(seen).toEqual([{ size: 3 }, { size: 40 }, { size: 500 }]);
    expect(await recorded()).toEqual({ responseTimes: before.responseTimes + 1, chunks: before.chunks + 3 });
  });

  it('records nothing for a request whose client left before any answer', async () => {
    const interceptor = moduleRef.get(SouvenirsInterceptor);
    const before = await recorded();
    const subscription = interceptor.intercept(httpContext(), { handle: () => NEVER }).subscribe();
    subscription.unsubscribe();

    expect(await recorded()).toEqual(before);
  });
});
