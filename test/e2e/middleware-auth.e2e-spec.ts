import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { Controller, Get, Injectable, Module, type MiddlewareConsumer, type NestMiddleware, type NestModule } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Souvenir } from '../../lib/table/souvenir.entity.js';
import { Axis } from '../../lib/metricas/axes/axis.js';
import { MetricaRegistry } from '../../lib/metricas/metrica.registry.js';
import { SouvenirsModule } from '../../lib/souvenirs.module.js';
import { requestUser } from '../../lib/tracking/request-user.js';
import { Track } from '../../lib/tracking/track.decorator.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { CollectingLogger } from './app/collecting-logger.js';
import { PLATFORMS, type Platform } from './app/start-app.js';

interface ShopUser {
  id: string;
  plan: 'free' | 'pro';
}

/**
 * Authentication as middleware (Passport's session middleware works this way): Nest
 * runs it on the raw Node request, so on Fastify `user` lands on `req.raw`, not on the
 * request that guards, interceptors and `@Track` axes see.
 */
@Injectable()
class HeaderAuthMiddleware implements NestMiddleware {
  use(req: IncomingMessage & { user?: ShopUser }, _res: ServerResponse, next: () => void): void {
    const id = req.headers['x-user-id'];
    if (typeof id === 'string') req.user = { id, plan: 'pro' };
    next();
  }
}

@Controller()
class ShopController {
  @Track('purchases', { axes: { plan: (req) => requestUser<ShopUser>(req)?.plan ?? 'free' } })
  @Get('buy')
  buy() {
    return { ok: true };
  }
}

describe.each(PLATFORMS)('authentication by middleware on %s', (platform: Platform) => {
  let database: TestDatabase;
  let app: Awaited<ReturnType<typeof boot>>;

  async function boot() {
    @Module({
      imports: [
        TypeOrmModule.forRoot(database.options),
        SouvenirsModule.forRoot({ metricas: [{ name: 'purchases', axes: { plan: new Axis({ choices: ['free', 'pro'] }) } }] }),
      ],
      controllers: [ShopController],
    })
    class ShopModule implements NestModule {
      configure(consumer: MiddlewareConsumer): void {
        consumer.apply(HeaderAuthMiddleware).forRoutes(ShopController);
      }
    }
    const moduleRef = await Test.createTestingModule({ imports: [ShopModule] }).setLogger(new CollectingLogger()).compile();
    const nest = moduleRef.createNestApplication(platform === 'express' ? new ExpressAdapter() : new FastifyAdapter());
    await nest.listen(0, '127.0.0.1');
    const { port } = nest.getHttpServer().address() as AddressInfo;
    return { nest, url: `http://127.0.0.1:${port}` };
  }

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    app = await boot();
  });
  afterAll(async () => {
    await app?.nest.close();
    await database?.drop();
  });

  it("records the middleware's user's activity, and @Track axes see the user", async () => {
    const response = await fetch(`${app.url}/buy`, { headers: { 'x-user-id': 'zoe', connection: 'close' } });
    expect(response.status).toBe(200);
    await response.arrayBuffer();

    const registry = app.nest.get(MetricaRegistry);
    const rows = () => database.dataSource.getRepository(Souvenir).countBy({ userId: 'zoe' });
    const deadline = Date.now() + 5_000;
    while ((await rows()) === 0 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 20));
    await registry.flush();

    expect(await rows()).toBe(1);
    const purchases = registry.get('purchases');
    expect(await purchases.filter({ plan: 'pro' }).total()).toBe(1);
    expect(await purchases.total()).toBe(1);
  });
});
