import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { Test } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { SouvenirsModule } from '../../lib/souvenirs.module.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { PLATFORMS } from './app/start-app.js';
import { dashboardOptions, PingController } from './dashboard/dashboard-app.js';

// The dashboard's and the Prometheus endpoint's routes are operators' tools, not the app's
// API: they stay out of the OpenAPI document @nestjs/swagger builds for the app, though the
// package does not depend on @nestjs/swagger (it sets the metadata key swagger reads).

describe.each(PLATFORMS)("the app's OpenAPI document (@nestjs/swagger, %s)", (platform) => {
  let database: TestDatabase;
  let app: INestApplication;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot(database.options),
        SouvenirsModule.forRoot({ ...dashboardOptions({ public: true }), prometheus: { public: true } }),
      ],
      controllers: [PingController],
    })
      .setLogger({ log() {}, warn() {}, error() {} })
      .compile();
    app = moduleRef.createNestApplication(platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
    await app.init();
  });
  afterAll(async () => {
    await app?.close();
    await database?.drop();
  });

  it("lists the app's own routes, and none of the dashboard's or the Prometheus endpoint's", () => {
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('app').build());
    expect(Object.keys(document.paths)).toEqual(['/ping']);
  });

  it('leaves them out under forRootAsync and a custom path too', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot(database.options),
        SouvenirsModule.forRootAsync({ useFactory: () => ({ ...dashboardOptions({ path: 'admin/stats', public: true }), prometheus: { path: 'scrape', public: true } }) }),
      ],
      controllers: [PingController],
    })
      .setLogger({ log() {}, warn() {}, error() {} })
      .compile();
    const other = moduleRef.createNestApplication(platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(), { logger: false });
    try {
      await other.init();
      expect(Object.keys(SwaggerModule.createDocument(other, new DocumentBuilder().build()).paths)).toEqual(['/ping']);
    } finally {
      await other.close();
    }
  });
});
