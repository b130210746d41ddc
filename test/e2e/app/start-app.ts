import type { INestApplication, LoggerService } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import type { AddressInfo } from 'node:net';
import type { DataSourceOptions } from 'typeorm';
import type { SouvenirsModuleOptions } from '../../../lib/souvenirs.options.js';
import { AppModule } from './app.module.js';

/** The HTTP platforms every e2e spec runs on. */
export type Platform = 'express' | 'fastify';

/** Every {@link Platform}, for `describe.each(PLATFORMS)`. */
export const PLATFORMS: Platform[] = ['express', 'fastify'];

/** A running fixture app and its base URL. */
export interface RunningApp {
  readonly app: INestApplication;
  readonly url: string;
}

/** Boots the fixture app on `platform`, listening on a free loopback port. */
export async function startApp(
  platform: Platform,
  database: DataSourceOptions,
  souvenirs: SouvenirsModuleOptions,
  logger: LoggerService,
): Promise<RunningApp> {
  const moduleRef = await Test.createTestingModule({ imports: [AppModule.forRoot(database, souvenirs)] })
    .setLogger(logger)
    .compile();
  const app = moduleRef.createNestApplication(platform === 'express' ? new ExpressAdapter() : new FastifyAdapter());
  app.useLogger(logger);
  await app.listen(0, '127.0.0.1');
  const { port } = app.getHttpServer().address() as AddressInfo;
  return { app, url: `http://127.0.0.1:${port}` };
}
