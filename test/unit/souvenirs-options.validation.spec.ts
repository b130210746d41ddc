import { describe, expect, it } from '@jest/globals';
import { SouvenirsCalendar } from '../../lib/calendar/souvenirs-calendar.js';
import { InvalidOptionError } from '../../lib/errors/invalid-option.error.js';
import { SouvenirsError } from '../../lib/errors/souvenirs.error.js';
import { resolveSouvenirsOptions, SOUVENIRS_DEFAULTS, type SouvenirsModuleOptions } from '../../lib/souvenirs.options.js';
import { validateSouvenirsOptions } from '../../lib/souvenirs-options.validation.js';

/** The options as the module derives them (validated once, then resolved once), and the calendar built from them. */
function derive(options: SouvenirsModuleOptions | undefined) {
  const resolved = resolveSouvenirsOptions(validateSouvenirsOptions(options));
  return { resolved, calendar: new SouvenirsCalendar(resolved) };
}

describe('validateSouvenirsOptions and resolveSouvenirsOptions', () => {
  it('fills every documented default', () => {
    const { resolved, calendar } = derive({});
    expect(resolved).toEqual({
      redis: undefined,
      store: undefined,
      keyPrefix: 'souvenirs',
      rateLimitSeconds: 3600,
      timeZone: 'UTC',
      weekStart: 1,
      now: expect.any(Function),
      users: undefined,
      metricas: [],
      kickBuffer: { maxCells: 100_000, flushIntervalMs: 0, trackingFlushIntervalMs: 1000, retryForMs: 10_000 },
      activity: { index: 'auto' },
      retention: undefined,
      track: SOUVENIRS_DEFAULTS.track,
      usageForPeriods: undefined,
      dashboard: undefined,
      prometheus: undefined,
    });
    expect(resolved.now()).toBeInstanceOf(Date);
    expect(calendar.now()).toBeInstanceOf(Date);
    expect(calendar).toMatchObject({ timeZone: 'UTC', weekStart: 1 });
    expect(derive(undefined).resolved.keyPrefix).toBe('souvenirs');
  });

  it('keeps given values over the defaults, and merges partial sections', () => {
    const now = () => new Date(0);
    const { resolved, calendar } = derive({
      keyPrefix: 'app',
      rateLimitSeconds: 0,
      timeZone: 'Australia/Lord_Howe',
      weekStart: 7,
      now,
      track: { mode: 'decorated' },
      kickBuffer: { flushIntervalMs: 5, trackingFlushIntervalMs: 7 },
      activity: { index: 'require-safe-policy' },
      redis: 'redis://127.0.0.1:6379',
    });
    expect(resolved).toEqual({
      redis: 'redis://127.0.0.1:6379',
      store: undefined,
      keyPrefix: 'app',
      rateLimitSeconds: 0,
      timeZone: 'Australia/Lord_Howe',
      weekStart: 7,
      now,
      users: undefined,
      metricas: [],
      kickBuffer: { maxCells: 100_000, flushIntervalMs: 5, trackingFlushIntervalMs: 7, retryForMs: 10_000 },
      activity: { index: 'require-safe-policy' },
      track: { ...SOUVENIRS_DEFAULTS.track, mode: 'decorated' },
      usageForPeriods: undefined,
      dashboard: undefined,
      prometheus: undefined,
    });
    expect(calendar).toMatchObject({ timeZone: 'Australia/Lord_Howe', now, weekStart: 7 });
    expect(derive({ track: false }).resolved.track).toBe(false);
  });

  it('lets no `undefined` hide a default, at the top or inside a section', () => {
    const { resolved } = derive({
      keyPrefix: undefined,
      timeZone: undefined,
      kickBuffer: { maxCells: undefined, retryForMs: 3 },
      track: { mode: undefined, responseTime: false },
    });
    expect(resolved.keyPrefix).toBe('souvenirs');
    expect(resolved.timeZone).toBe('UTC');
    expect(resolved.kickBuffer).toEqual({ maxCells: 100_000, flushIntervalMs: 0, trackingFlushIntervalMs: 1000, retryForMs: 3 });
    expect(resolved.track).toEqual({ ...SOUVENIRS_DEFAULTS.track, responseTime: false });
  });

  it.each([
    [{ rateLimitSeconds: -1 }, 'rateLimitSeconds', 'received -1'],
    [{ rateLimitSeconds: Number.NaN }, 'rateLimitSeconds', 'NaN'],
    [{ timeZone: 'Mars/Olympus_Mons' }, 'timeZone', 'IANA time zone'],
    [{ weekStart: 0 }, 'weekStart', 'ISO weekday'],
    [{ weekStart: 8 }, 'weekStart', 'ISO weekday'],
    [{ weekStart: 1.5 }, 'weekStart', 'ISO weekday'],
    [{ weekStart: '1' }, 'weekStart', 'ISO weekday'],
    [{ keyPrefix: '' }, 'keyPrefix', 'non-empty string'],
    [{ now: new Date() }, 'now', 'function'],
    [{ redis: 'localhost:6379' }, 'redis', 'redis://'],
    [{ redis: 42 }, 'redis', 'RedisOptions'],
    [{ users: { entity: class User {} } }, 'users.joinedAt', 'registration date'],
    [{ users: { joinedAt: 'createdAt' } }, 'users', 'entity'],
    [{ users: { entity: class User {}, joinedAt: 'createdAt', isActive: 3 } }, 'users.isActive', 'boolean'],
    [{ metricas: {} }, 'metricas', 'array'],
    [{ track: true }, 'track', 'object or false'],
    [{ track: { mode: 'some' } }, 'track.mode', "'all' or 'decorated'"],
    [{ track: { userId: 'id' } }, 'track.userId', 'function'],
    [{ track: { responseTime: 'yes' } }, 'track.responseTime', 'boolean'],
    [{ track: { modes: 'all' } }, 'track.modes', 'known options'],
    [{ usageForPeriods: 'fn' }, 'usageForPeriods', 'function'],
    [{ dashboard: { guard: {} } }, 'dashboard.guard', 'guard class'],
    [{ kickBuffer: { maxCells: 0 } }, 'kickBuffer.maxCells', 'positive integer'],
    [{ activity: { index: 'sql' } }, 'activity.index', "'auto' or 'require-safe-policy'"],
    [{ activity: { indexes: 'auto' } }, 'activity.indexes', 'known options'],
    [{ ratelimitSeconds: 60 }, 'ratelimitSeconds', 'rateLimitSeconds'],
    [{ retention: 30 }, 'retention', '{ days: number }'],
    [{ retention: { days: 0 } }, 'retention.days', 'integer number of days >= 1'],
    [{ retention: { days: 1.5 } }, 'retention.days', 'integer number of days >= 1'],
    [{ retention: { day: 30 } }, 'retention.day', 'known options'],
  ])('rejects %j naming %s', (options, option, hint) => {
    let error: unknown;
    try {
      validateSouvenirsOptions(options as never);
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(InvalidOptionError);
    expect(error).toBeInstanceOf(SouvenirsError);
    expect((error as InvalidOptionError).option).toBe(option);
    expect((error as Error).message).toContain(`\`${option}\``);
    expect((error as Error).message).toContain(hint);
  });

  it('accepts a UsersSource class or instance as `users`', () => {
    class Source {
      registeredUsersAsOf() {
        return Promise.resolve([]);
      }
    }
    expect(derive({ users: Source }).resolved.users).toBe(Source);
    const instance = new Source();
    expect(derive({ users: instance }).resolved.users).toBe(instance);
  });
});
