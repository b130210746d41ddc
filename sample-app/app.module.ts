import { Controller, Get, Module, Query } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  ActivityService,
  Axis,
  ReportsService,
  StoredChoiceAxis,
  SOUVENIRS_ENTITIES,
  SOUVENIRS_MIGRATIONS,
  SouvenirsModule,
} from '../lib/index.js';
import { CreateDemoUsers1732300000001 } from './create-demo-users.migration.js';
import { DemoUser } from './demo-user.entity.js';

/** The demo's own pages: usage reports as JSON, as an operator's admin would expose them. */
@Controller('usage')
export class UsageController {
  constructor(
    private readonly reports: ReportsService,
    private readonly activity: ActivityService,
  ) {}

  @Get('monthly')
  monthly() {
    return this.reports.calendarMonthlyUsage({ start: new Date(Date.now() - 120 * 86_400_000) });
  }

  @Get('daily')
  daily(@Query('since') since?: string) {
    const start = since ? new Date(since) : new Date(Date.now() - 14 * 86_400_000);
    return this.reports.dailyUsage(start);
  }

  @Get('active')
  async active() {
    const day = 86_400_000;
    const now = Date.now();
    const [dau, wau, mau] = await Promise.all(
      [day, 7 * day, 30 * day].map((span) => this.activity.countActiveUsers({ start: new Date(now - span) })),
    );
    return { dau, wau, mau, stickiness: mau ? dau / mau : null };
  }
}

/**
 * The sample application on the embedded defaults: SQLite (a file in the temp
 * directory, created by the package's migrations) and the in-memory store.
 */
@Module({
  imports: [
    TypeOrmModule.forRoot({
      type: 'better-sqlite3',
      database: process.env.SOUVENIRS_DEMO_DB ?? join(tmpdir(), 'nestjs-souvenirs-demo.sqlite'),
      entities: [...SOUVENIRS_ENTITIES, DemoUser],
      migrations: [...SOUVENIRS_MIGRATIONS, CreateDemoUsers1732300000001],
      migrationsRun: true,
    }),
    TypeOrmModule.forFeature([DemoUser]),
    SouvenirsModule.forRoot({
      timeZone: process.env.TZ_DEMO ?? 'Europe/Paris',
      users: { entity: DemoUser, joinedAt: 'joinedAt', isActive: 'isActive' },
      metricas: [
        { name: 'orders', axes: { plan: new Axis({ choices: ['free', 'pro', 'team'] }), method: new StoredChoiceAxis({ maxChoices: 20 }) } },
      ],
      // A demo on localhost: no guard. A real app passes its admin guard instead.
      dashboard: { public: true },
    }),
  ],
  controllers: [UsageController],
})
export class AppModule {}
