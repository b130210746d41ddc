import 'reflect-metadata';
import { Writable } from 'node:stream';
import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { DateTime } from 'luxon';
import type { DataSource } from 'typeorm';
import { Souvenir } from '../../../lib/table/souvenir.entity.js';
import { SouvenirsModule } from '../../../lib/souvenirs.module.js';
import type { TestDatabase } from '../../support/databases.js';
import { TestUser } from '../../support/test-user.entity.js';

/*
 * The fixtures of django-souvenirs' souvenirs/tests/test_commands.py: TIME_ZONE
 * America/New_York, one user per souvenir (joined when seen) on Feb 14 of 2010-2017 at noon
 * plus Oct 17 2015, and now mocked to 2017-04-04 16:00.
 */

/** The zone of the original test settings. */
export const ZONE = 'America/New_York';

/** Wall-clock time in {@link ZONE}. */
export const local = (year: number, month: number, day: number, hour = 0): Date =>
  DateTime.fromObject({ year, month, day, hour }, { zone: ZONE }).toJSDate();

/** The mocked `timezone.now()` of test_commands.py. */
export const NOW = local(2017, 4, 4, 16);

/** The souvenirs of test_commands.py, each of its own user. */
export const SOUVENIR_WHENS = [
  ...Array.from({ length: 8 }, (_, i) => local(2010 + i, 2, 14, 12)),
  local(2015, 10, 17, 12),
];

/**
 * The application module the CLI boots in these tests: TypeORM on the test database and
 * SouvenirsModule with the original settings (memory store, no request tracking). Without
 * `users`, reports have no registered counts (null).
 */
export function cliTestAppModule(
  database: TestDatabase,
  { providers = [], users = true, redis }: { providers?: Provider[]; users?: boolean; redis?: { url: string; keyPrefix: string } } = {},
): DynamicModule {
  @Module({})
  class CliTestAppModule {}
  return {
    module: CliTestAppModule,
    imports: [
      TypeOrmModule.forRoot({ ...database.options } as never),
      SouvenirsModule.forRoot({
        timeZone: ZONE,
        now: () => NOW,
        users: users ? { entity: TestUser, joinedAt: 'dateJoined', isActive: 'isActive' } : undefined,
        track: false,
        ...(redis ? { redis: redis.url, keyPrefix: redis.keyPrefix } : {}),
      }),
    ],
    providers,
  };
}

/** Seeds the original souvenirs, one user each, joined when seen (the original SouvenirFactory). */
export async function seedSouvenirs(dataSource: DataSource): Promise<void> {
  for (const when of SOUVENIR_WHENS) {
    const user = await dataSource.getRepository(TestUser).save({ dateJoined: when, isActive: true });
    await dataSource.getRepository(Souvenir).insert({ userId: String(user.id), when });
  }
}

/** A stream that keeps what is written to it, as django's `StringIO` stdout. */
export class CapturedStream extends Writable {
  text = '';

  override _write(chunk: Buffer | string, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    this.text += chunk.toString();
    callback();
  }
}

/** Fresh stdout and stderr captures. */
export function captureIo(): { stdout: CapturedStream; stderr: CapturedStream } {
  return { stdout: new CapturedStream(), stderr: new CapturedStream() };
}

/** Python's `str.split()`: the whitespace-separated tokens of `text`. */
export const tokens = (text: string): string[] => text.split(/\s+/).filter((token) => token !== '');
