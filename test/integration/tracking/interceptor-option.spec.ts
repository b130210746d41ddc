import 'reflect-metadata';
import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { Controller, Get, Injectable, type CanActivate, type ExecutionContext, type INestApplication } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { ExpressAdapter } from '@nestjs/platform-express';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AddressInfo } from 'node:net';
import { ActivityService } from '../../../lib/activity/activity.service.js';
import { InvalidOptionError } from '../../../lib/errors/invalid-option.error.js';
import { MetricaRegistry } from '../../../lib/metricas/metrica.registry.js';
import type { TrackOptions } from '../../../lib/souvenirs.options.js';
import { SouvenirsModule } from '../../../lib/souvenirs.module.js';
import { RESPONSE_TIME_METRICA } from '../../../lib/tracking/tracking.constants.js';
import { SouvenirsInterceptor } from '../../../lib/tracking/souvenirs.interceptor.js';
import { createTestDatabase, type TestDatabase } from '../../support/databases.js';

@Controller()
class PingController {
  @Get('ping')
  ping() {
    return 'pong';
  }
}

/** Signs every request in as `ann`. */
@Injectable()
class AnnGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    context.switchToHttp().getRequest<{ user?: { id: string } }>().user = { id: 'ann' };
    return true;
  }
}

/** A user's subclass: views named after the API version. */
@Injectable()
class VersionedViewInterceptor extends SouvenirsInterceptor {
  protected override viewOf(context: ExecutionContext): string {
    return `v2:${super.viewOf(context)}`;
  }
}

class NotAnInterceptor {}

describe('track.interceptor', () => {
  let database: TestDatabase;
  let app: INestApplication | undefined;

  // A fresh database per test: activity recorded by one must not count in the next.
  beforeEach(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterEach(async () => {
    await app?.close();
    app = undefined;
    await database?.drop();
  });

  async function boot(track: TrackOptions | false): Promise<string> {
    const moduleRef = await Test.createTestingModule({
      imports: [TypeOrmModule.forRoot(database.options), SouvenirsModule.forRoot({ rateLimitSeconds: 0, track })],
      controllers: [PingController],
      providers: [{ provide: APP_GUARD, useClass: AnnGuard }],
    }).compile();
    app = moduleRef.createNestApplication(new ExpressAdapter(), { logger: false });
    await app.listen(0, '127.0.0.1');
    return `http://127.0.0.1:${(app.getHttpServer().address() as AddressInfo).port}`;
  }

  async function ping(url: string, times: number): Promise<void> {
    for (let i = 0; i < times; i++) {
      const response = await fetch(`${url}/ping`, { headers: { connection: 'close' } });
      expect(await response.text()).toBe('pong');
    }
    // Recording runs after the response, on a later turn; then the buffered kicks are written.
    await new Promise((resolve) => setTimeout(resolve, 50));
    await app!.get(MetricaRegistry).flush();
  }

  it('registers the subclass in place of SouvenirsInterceptor: its view, each request recorded once', async () => {
    const url = await boot({ interceptor: VersionedViewInterceptor });
    expect(app!.get(SouvenirsInterceptor)).toBeInstanceOf(VersionedViewInterceptor);
    await ping(url, 3);

    const responseTime = app!.get(MetricaRegistry).get(RESPONSE_TIME_METRICA);
    expect(await responseTime.choices('view')).toEqual(['v2:PingController.ping']);
    expect(await responseTime.count()).toBe(3);
    expect(await app!.get(ActivityService).countActiveUsers()).toBe(1);
  });

  it('registers none under track: false: nothing is recorded', async () => {
    const url = await boot(false);
    await ping(url, 2);
    const registry = app!.get(MetricaRegistry);
    expect(registry.list().map((metrica) => metrica.name)).not.toContain(RESPONSE_TIME_METRICA);
    expect(await app!.get(ActivityService).countActiveUsers()).toBe(0);
  });

  it('fails the boot when it is not a SouvenirsInterceptor subclass', async () => {
    const booted = boot({ interceptor: NotAnInterceptor as never });
    await expect(booted).rejects.toThrow(InvalidOptionError);
    await expect(booted).rejects.toThrow(/track\.interceptor.*subclass of SouvenirsInterceptor/);
  });
});
