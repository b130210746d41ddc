import { describe, expect, it } from '@jest/globals';
import { InvalidOptionError } from '../../lib/errors/invalid-option.error.js';
import { SouvenirsError } from '../../lib/errors/souvenirs.error.js';
import { DEFAULT_TRACK_OPTIONS } from '../../lib/souvenirs-options.defaults.js';
import { resolveSouvenirsOptions } from '../../lib/souvenirs-options.validation.js';

describe('resolveSouvenirsOptions', () => {
  it('fills every documented default', () => {
    const resolved = resolveSouvenirsOptions({});
    expect(resolved).toMatchObject({
      redis: undefined,
      keyPrefix: 'souvenirs',
      rateLimitSeconds: 3600,
      timeZone: 'UTC',
      weekStart: 1,
      users: undefined,
      metricas: [],
      kickBuffer: { maxCells: 100_000, flushIntervalMs: 0, trackingFlushIntervalMs: 1000 },
      track: DEFAULT_TRACK_OPTIONS,
      usageForPeriods: undefined,
      dashboard: undefined,
    });
    expect(resolved.now()).toBeInstanceOf(Date);
    expect(resolveSouvenirsOptions(undefined).keyPrefix).toBe('souvenirs');
  });

  it('keeps given values over the defaults, and merges partial sections', () => {
    const now = () => new Date(0);
    const resolved = resolveSouvenirsOptions({
      keyPrefix: 'app',
      rateLimitSeconds: 0,
      timeZone: 'Australia/Lord_Howe',
      weekStart: 7,
      now,
      track: { mode: 'decorated' },
      kickBuffer: { flushIntervalMs: 5 },
      redis: 'redis://127.0.0.1:6379',
    });
    expect(resolved).toMatchObject({ keyPrefix: 'app', rateLimitSeconds: 0, timeZone: 'Australia/Lord_Howe', weekStart: 7, now });
    expect(resolved.track).toEqual({ ...DEFAULT_TRACK_OPTIONS, mode: 'decorated' });
    expect(resolved.kickBuffer).toEqual({ maxCells: 100_000, flushIntervalMs: 5, trackingFlushIntervalMs: 1000 });
    expect(resolveSouvenirsOptions({ track: false }).track).toBe(false);
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
    [{ ratelimitSeconds: 60 }, 'ratelimitSeconds', 'rateLimitSeconds'],
  ])('rejects %j naming %s', (options, option, hint) => {
    let error: unknown;
    try {
      resolveSouvenirsOptions(options as never);
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
    expect(resolveSouvenirsOptions({ users: Source }).users).toBe(Source);
    const instance = new Source();
    expect(resolveSouvenirsOptions({ users: instance }).users).toBe(instance);
  });
});
