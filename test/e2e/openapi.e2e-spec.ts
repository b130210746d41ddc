import 'reflect-metadata';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { SouvenirsModule } from '../../lib/souvenirs.module.js';
import { createTestDatabase, type TestDatabase } from '../support/databases.js';
import { PLATFORMS } from './app/start-app.js';
import { createDashboardApp, dashboardOptions } from './dashboard/dashboard-app.js';

// The dashboard's and the Prometheus endpoint's routes are operators' tools, not the app's
// API: they stay out of the OpenAPI document @nestjs/swagger builds for the app, though the
// package does not depend on @nestjs/swagger (it sets the metadata key swagger reads).

describe.each(PLATFORMS)("the app's OpenAPI document (@nestjs/swagger, %s)", (platform) => {
  let database: TestDatabase;
  let app: INestApplication;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
    app = await createDashboardApp(database.options, SouvenirsModule.forRoot({ ...dashboardOptions({ public: true }), prometheus: { public: true } }), platform);
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
    const other = await createDashboardApp(
      database.options,
      SouvenirsModule.forRootAsync({ useFactory: () => ({ ...dashboardOptions({ path: 'admin/stats', public: true }), prometheus: { path: 'scrape', public: true } }) }),
      platform,
    );
    try {
      await other.init();
      expect(Object.keys(SwaggerModule.createDocument(other, new DocumentBuilder().build()).paths)).toEqual(['/ping']);
    } finally {
      await other.close();
    }
  });
});
