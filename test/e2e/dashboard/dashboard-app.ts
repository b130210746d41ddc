import { Controller, Get, Injectable, type CanActivate, type DynamicModule, type ExecutionContext, type INestApplication } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import type { AddressInfo } from 'node:net';
import type { DataSourceOptions } from 'typeorm';
import { Axis } from '../../../lib/metricas/axes/axis.js';
import type { SouvenirsModuleOptions } from '../../../lib/souvenirs.options.js';
import { SouvenirsModule } from '../../../lib/souvenirs.module.js';
import type { Platform } from '../app/start-app.js';

/** The fixed clock of the dashboard specs: 2026-03-15 12:00 UTC. */
export const NOW = new Date('2026-03-15T12:00:00Z');

/** A route the interceptor times, so `response_time` has a view. */
@Controller('ping')
export class PingController {
  @Get()
  ping(): { pong: true } {
    return { pong: true };
  }
}

/** Lets in requests carrying `x-admin: yes`, as an operator's admin guard would. */
@Injectable()
export class AdminHeaderGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers['x-admin'] === 'yes';
  }
}

/** The souvenirs options the specs share: UTC, the fixed clock, an `orders` metrica by plan. */
export function dashboardOptions(dashboard: SouvenirsModuleOptions['dashboard']): SouvenirsModuleOptions {
  return {
    timeZone: 'UTC',
    now: () => NOW,
    rateLimitSeconds: 0,
    metricas: [{ name: 'orders', axes: { plan: new Axis({ choices: ['free', 'pro'] }) } }],
    kickBuffer: { trackingFlushIntervalMs: 0 },
    dashboard,
  };
}

/** A running app and its base URL. */
export interface RunningDashboardApp {
  readonly app: INestApplication;
  readonly url: string;
}

/** Boots an Express app with `souvenirs` (a `forRoot` or `forRootAsync` module) on a free loopback port. */
export async function startDashboardApp(database: DataSourceOptions, souvenirs: DynamicModule): Promise<RunningDashboardApp> {
  const app = await createDashboardApp(database, souvenirs);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}` };
}

/**
 * The app of the dashboard specs (`souvenirs` beside TypeORM and a `/ping` route), silent,
 * on `platform`, not started: for specs that set it up first (a global prefix) or only init it.
 */
export async function createDashboardApp(database: DataSourceOptions, souvenirs: DynamicModule, platform: Platform = 'express'): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [TypeOrmModule.forRoot(database), souvenirs],
    controllers: [PingController],
  })
    .setLogger({ log() {}, warn() {}, error() {} })
    .compile();
  return moduleRef.createNestApplication(platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
}

/** Boots with `SouvenirsModule.forRoot(dashboardOptions(dashboard))`. */
export function startWithDashboard(database: DataSourceOptions, dashboard: SouvenirsModuleOptions['dashboard']): Promise<RunningDashboardApp> {
  return startDashboardApp(database, SouvenirsModule.forRoot(dashboardOptions(dashboard)));
}
