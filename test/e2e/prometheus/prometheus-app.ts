import { Controller, Get, Injectable, type CanActivate, type ExecutionContext, type INestApplication } from '@nestjs/common';
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

/** How long the slow route takes, in milliseconds. */
export const SLOW_MS = 300;

/** Two routes the interceptor times: one answers at once, one after {@link SLOW_MS}. */
@Controller('work')
export class WorkController {
  @Get('fast')
  fast(): { ok: true } {
    return { ok: true };
  }

  @Get('slow')
  async slow(): Promise<{ ok: true }> {
    await new Promise((resolve) => setTimeout(resolve, SLOW_MS));
    return { ok: true };
  }
}

/** Lets in scrapes carrying `authorization: Bearer scrape`. */
@Injectable()
export class ScrapeTokenGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    return context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>().headers.authorization === 'Bearer scrape';
  }
}

/** Souvenirs options of the Prometheus specs: an `orders` counter by plan, a `basket` averaged metrica. */
export function prometheusAppOptions(prometheus: SouvenirsModuleOptions['prometheus']): SouvenirsModuleOptions {
  return {
    rateLimitSeconds: 0,
    metricas: [
      { name: 'orders', axes: { plan: new Axis({ choices: ['free', 'pro'] }) } },
      { name: 'basket', averaged: true, axes: { plan: new Axis({ choices: ['free', 'pro'] }) } },
    ],
    kickBuffer: { trackingFlushIntervalMs: 0 },
    prometheus,
  };
}

/** Boots an app on `platform` with the Prometheus endpoint, on a free loopback port. */
export async function startPrometheusApp(
  platform: Platform,
  database: DataSourceOptions,
  options: SouvenirsModuleOptions,
): Promise<{ app: INestApplication; url: string; port: number }> {
  const moduleRef = await Test.createTestingModule({
    imports: [TypeOrmModule.forRoot(database), SouvenirsModule.forRoot(options)],
    controllers: [WorkController],
  })
    .setLogger({ log() {}, warn() {}, error() {} })
    .compile();
  const app = moduleRef.createNestApplication(platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}`, port };
}
