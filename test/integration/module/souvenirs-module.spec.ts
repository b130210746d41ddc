import 'reflect-metadata';
import { afterAll, afterEach, beforeAll, describe, expect, it } from '@jest/globals';
import { Injectable, Module, type LoggerService } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { Test, type TestingModule } from '@nestjs/testing';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActivityService } from '../../../lib/activity/activity.service.js';
import { InvalidOptionError } from '../../../lib/errors/invalid-option.error.js';
import { UsersSourceMissingError } from '../../../lib/errors/users-source-missing.error.js';
import { ReportsService } from '../../../lib/reports/reports.service.js';
import type { RegisteredUsers, UsersSource } from '../../../lib/reports/users-source.interface.js';
import { MemorySouvenirsStore } from '../../../lib/store/memory/memory-souvenirs.store.js';
import { RedisSouvenirsStore } from '../../../lib/store/redis/redis-souvenirs.store.js';
import { SouvenirsStore } from '../../../lib/store/souvenirs-store.interface.js';
import type { SouvenirsModuleOptions } from '../../../lib/souvenirs.options.js';
import { SouvenirsModule } from '../../../lib/souvenirs.module.js';
import type { SouvenirsOptionsFactory } from '../../../lib/souvenirs.module-definition.js';
import { createTestDatabase } from '../../support/databases.js';

class CollectingLogger implements LoggerService {
  readonly lines: string[] = [];
  log(message: unknown) {
    this.lines.push(String(message));
  }
  error(message: unknown) {
    this.lines.push(String(message));
  }
  warn(message: unknown) {
    this.lines.push(String(message));
  }
}

const day = (iso: string) => new Date(`${iso}T00:00:00Z`);

describe('SouvenirsModule', () => {
  let database: Awaited<ReturnType<typeof createTestDatabase>>;
  let moduleRef: TestingModule | undefined;

  beforeAll(async () => {
    database = await createTestDatabase('sqlite');
  });
  afterEach(async () => {
    await moduleRef?.close();
    moduleRef = undefined;
  });
  afterAll(async () => {
    await database?.drop();
  });

  const boot = async (souvenirs: ReturnType<typeof SouvenirsModule.forRoot>, logger?: LoggerService) => {
    const builder = Test.createTestingModule({ imports: [TypeOrmModule.forRoot(database.options), souvenirs] });
    if (logger) builder.setLogger(logger);
    moduleRef = await builder.compile();
    await moduleRef.init();
    return moduleRef;
  };

  it('forRoot() runs on the embedded defaults and says the memory store is single-process', async () => {
    const logger = new CollectingLogger();
    const app = await boot(SouvenirsModule.forRoot(), logger);
    expect(app.get(SouvenirsStore)).toBeInstanceOf(MemorySouvenirsStore);
    expect(logger.lines.filter((line) => /process memory/.test(line))).toHaveLength(1);
    const activity = app.get(ActivityService);
    expect(await activity.souvenez('forRoot-user')).toBe('added');
    expect(await activity.souvenez('forRoot-user')).toBe('rate-limited');
  });

  it('forRootAsync with useFactory reads ConfigService', async () => {
    const app = await boot(
      SouvenirsModule.forRootAsync({
        imports: [ConfigModule.forRoot({ ignoreEnvFile: true, load: [() => ({ SOUVENIRS_REDIS: 'redis://127.0.0.1:6379' })] })],
        inject: [ConfigService],
        useFactory: (config: ConfigService) => ({
          redis: config.getOrThrow<string>('SOUVENIRS_REDIS'),
          keyPrefix: `module-spec-${process.pid}`,
          track: false,
        }),
      }),
    );
    expect(app.get(SouvenirsStore)).toBeInstanceOf(RedisSouvenirsStore);
  });

  it('forRootAsync with useClass and useExisting call createSouvenirsOptions()', async () => {
    @Injectable()
    class OptionsFactory implements SouvenirsOptionsFactory {
      createSouvenirsOptions(): SouvenirsModuleOptions {
        return { rateLimitSeconds: 0, track: false };
      }
    }
    let app = await boot(SouvenirsModule.forRootAsync({ useClass: OptionsFactory }));
    const activity = app.get(ActivityService);
    expect(await activity.souvenez('useClass-user')).toBe('added');
    expect(await activity.souvenez('useClass-user')).toBe('added');
    await app.close();

    @Module({ providers: [OptionsFactory], exports: [OptionsFactory] })
    class OptionsModule {}
    app = await boot(SouvenirsModule.forRootAsync({ imports: [OptionsModule], useExisting: OptionsFactory }));
    expect(await app.get(ActivityService).souvenez('useExisting-user')).toBe('added');
    expect(await app.get(ActivityService).souvenez('useExisting-user')).toBe('added');
  });

  it('fails the boot on a wrong option, naming it', async () => {
    const attempt = boot(SouvenirsModule.forRoot({ rateLimitSeconds: -5 }));
    await expect(attempt).rejects.toThrow(InvalidOptionError);
    await expect(boot(SouvenirsModule.forRoot({ timeZone: 'Nowhere/Land' }))).rejects.toThrow(/`timeZone`/);
  });

  it('closes a Redis client it created when the app closes', async () => {
    const app = await boot(SouvenirsModule.forRoot({ redis: 'redis://127.0.0.1:6379', keyPrefix: `close-${process.pid}` }));
    const store = app.get<RedisSouvenirsStore>(SouvenirsStore);
    await store.incrementCounters(new Map([['k', { fields: new Map([['f', 1]]) }]]));
    await app.close();
    moduleRef = undefined;
    await expect(store.readCounters([{ key: 'k', field: 'f' }])).rejects.toThrow();
  });

  it('without `users`, reports carry null registered users and registeredUsersAsOf says what to configure', async () => {
    const app = await boot(SouvenirsModule.forRoot({ now: () => day('2020-03-01'), track: false }));
    const rows = await app.get(ReportsService).calendarMonthlyUsage({ start: day('2020-01-15') });
    expect(rows.map((row) => row.usage)).toEqual([
      { registeredUsers: null, activatedUsers: null, activeUsers: 0 },
      { registeredUsers: null, activatedUsers: null, activeUsers: 0 },
    ]);
    await expect(app.get(ReportsService).registeredUsersAsOf(day('2020-01-01'))).rejects.toThrow(UsersSourceMissingError);
  });

  it('takes a UsersSource class instantiated with Nest DI', async () => {
    @Injectable()
    class Directory {
      joined = [day('2020-01-10'), day('2020-02-10'), day('2020-02-20')];
    }
    @Injectable()
    class DirectoryUsersSource implements UsersSource {
      constructor(private readonly directory: Directory) {}
      async registeredUsersAsOf(instants: readonly Date[]): Promise<RegisteredUsers[]> {
        return instants.map((instant) => {
          const registered = this.directory.joined.filter((joined) => joined < instant).length;
          return { registered, activated: registered - 1 };
        });
      }
    }
    @Module({ providers: [Directory, DirectoryUsersSource], exports: [Directory, DirectoryUsersSource] })
    class DirectoryModule {}
    const app = await boot(
      SouvenirsModule.forRootAsync({
        imports: [DirectoryModule],
        useFactory: () => ({ users: DirectoryUsersSource, now: () => day('2020-03-01'), track: false }),
      }),
    );
    const rows = await app.get(ReportsService).calendarMonthlyUsage({ start: day('2020-01-01') });
    expect(rows.map((row) => [row.usage.registeredUsers, row.usage.activatedUsers])).toEqual([
      [1, 0],
      [3, 2],
    ]);
  });

  it('lets `usageForPeriods` wrap the built-in function to add data', async () => {
    const app = await boot(
      SouvenirsModule.forRoot({
        now: () => day('2020-03-01'),
        track: false,
        usageForPeriods: async (periods, next) => {
          const rows = await next(periods);
          return rows.map((row) => ({ ...row, usage: { ...row.usage, activeUsers: row.usage.activeUsers + 100 } }));
        },
      }),
    );
    const rows = await app.get(ReportsService).calendarMonthlyUsage({ start: day('2020-01-01') });
    expect(rows.map((row) => [row.labels?.calendarYearMonth, row.usage.activeUsers])).toEqual([
      ['2020-01', 100],
      ['2020-02', 100],
    ]);
  });
});
