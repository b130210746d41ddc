/**
 * The server side of `npm run bench:http`: ONE Express app per child process (so
 * neither the load generator nor another app shares its event loop, heap or
 * timers), serving `GET /items/:id`. The apps differ only in what records each
 * request. Sends its port to the parent, then serves until disconnected.
 */
import 'reflect-metadata';
import {
  Controller,
  Get,
  Injectable,
  Module,
  Param,
  type CanActivate,
  type DynamicModule,
  type ExecutionContext,
  type Provider,
} from '@nestjs/common';
import { APP_GUARD, APP_INTERCEPTOR, NestFactory } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AddressInfo } from 'node:net';
import type { DataSourceOptions } from 'typeorm';
import { PromHistogramInterceptor } from './prom-histogram-peer.js';
import { SOUVENIRS_ENTITIES } from '../lib/table/souvenirs-entities.js';
import { Track } from '../lib/tracking/track.decorator.js';
import type { SouvenirsModuleOptions } from '../lib/souvenirs.options.js';
import { SouvenirsModule } from '../lib/souvenirs.module.js';

/** The apps, by name. */
export type BenchApp = 'untracked' | 'tracked' | 'prom-client';

/** The metrica the tracked app's route kicks (`@Track`); the other apps run without tracking, where it is inert. */
const ITEM_VIEWS = 'item_views';

@Controller()
class ItemsController {
  @Get('items/:id')
  @Track(ITEM_VIEWS)
  show(@Param('id') id: string) {
    return { id, name: `item ${id}` };
  }
}

/** Signs the request in from `x-user-id`, as an auth guard would (in every app alike). */
@Injectable()
class UserHeaderGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; user?: { id: string } }>();
    const id = request.headers['x-user-id'];
    if (id) request.user = { id };
    return true;
  }
}


function appModule(database: DataSourceOptions, souvenirs: SouvenirsModuleOptions, extra: Provider[]): DynamicModule {
  @Module({})
  class BenchAppModule {}
  return {
    module: BenchAppModule,
    imports: [TypeOrmModule.forRoot(database), SouvenirsModule.forRoot(souvenirs)],
    controllers: [ItemsController],
    providers: [{ provide: APP_GUARD, useClass: UserHeaderGuard }, ...extra],
  };
}

async function listen(module: DynamicModule): Promise<number> {
  const app = await NestFactory.create(module, { logger: ['error', 'warn'] });
  await app.listen(0, '127.0.0.1');
  return (app.getHttpServer().address() as AddressInfo).port;
}

/** Each app's module: the same controller and guard, differing only in what records requests. */
function moduleOf(app: BenchApp, database: DataSourceOptions, keyPrefix: string): DynamicModule {
  switch (app) {
    case 'untracked':
      return appModule(database, { track: false }, []);
    case 'tracked':
      // The defaults: activity + response_time, Redis for counters and the rate limit; plus the route's @Track kick.
      return appModule(database, { redis: 'redis://127.0.0.1:6379', keyPrefix, metricas: [{ name: ITEM_VIEWS }] }, []);
    case 'prom-client':
      return appModule(database, { track: false }, [{ provide: APP_INTERCEPTOR, useClass: PromHistogramInterceptor }]);
  }
}

async function main(): Promise<void> {
  const [app, databaseJson, keyPrefix] = process.argv.slice(2) as [BenchApp, string, string];
  // Entities cannot cross the process boundary as JSON: added back here.
  const database = { ...(JSON.parse(databaseJson) as DataSourceOptions), entities: [...SOUVENIRS_ENTITIES] } as DataSourceOptions;
  process.send!({ port: await listen(moduleOf(app, database, keyPrefix)) });
  // The parent asks for this process's CPU time around each measurement: CPU per
  // request is steadier than requests per second on a machine shared with the load.
  process.on('message', (message) => {
    if (message === 'cpu') {
      const { user, system } = process.cpuUsage();
      process.send!({ cpuMicros: user + system });
    }
  });
  process.once('disconnect', () => process.exit(0));
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
