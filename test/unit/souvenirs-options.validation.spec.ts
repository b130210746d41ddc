import { describe, expect, it } from '@jest/globals';
import { resolveActivityOptions } from '../../lib/activity/activity-options.js';
import { resolveAnalyticsOptions } from '../../lib/reports/analytics-options.js';
import { resolveDashboardOptions } from '../../lib/dashboard/dashboard-options.js';
import { InvalidOptionError } from '../../lib/errors/invalid-option.error.js';
import { SouvenirsError } from '../../lib/errors/souvenirs.error.js';
import { resolveMetricasOptions } from '../../lib/metricas/metricas-options.js';
import { resolvePrometheusOptions } from '../../lib/prometheus/prometheus-module-options.js';
import { resolveReportsOptions } from '../../lib/reports/reports-options.js';
import type { SouvenirsModuleOptions } from '../../lib/souvenirs-options.interface.js';
import { validateSouvenirsOptions } from '../../lib/souvenirs-options.validation.js';
import { resolveStorageOptions } from '../../lib/store/store-options.js';
import { DEFAULT_TRACK_OPTIONS, resolveTrackingOptions } from '../../lib/tracking/tracking-options.js';

/** Every feature's options, derived as the module derives them (validated once, then each feature's function). */
function derive(options: SouvenirsModuleOptions | undefined) {
  const validated = validateSouvenirsOptions(options);
  return {
    storage: resolveStorageOptions(validated),
    activity: resolveActivityOptions(validated),
    metricas: resolveMetricasOptions(validated),
    reports: resolveReportsOptions(validated),
    tracking: resolveTrackingOptions(validated),
    dashboard: resolveDashboardOptions(validated),
    prometheus: resolvePrometheusOptions(validated),
    analytics: resolveAnalyticsOptions(validated),
  };
}

describe('validateSouvenirsOptions and the features\' options', () => {
  it('fills every documented default', () => {
    const derived = derive({});
    expect(derived.storage).toEqual({ redis: undefined, store: undefined, keyPrefix: 'souvenirs' });
    expect(derived.activity).toMatchObject({ rateLimitSeconds: 3600 });
    expect(derived.metricas).toMatchObject({
      timeZone: 'UTC',
      metricas: [],
      kickBuffer: { maxCells: 100_000, flushIntervalMs: 0, trackingFlushIntervalMs: 1000, retryForMs: 10_000 },
    });
    expect(derived.reports).toMatchObject({ timeZone: 'UTC', users: undefined, usageForPeriods: undefined });
    expect(derived.tracking).toMatchObject({ track: DEFAULT_TRACK_OPTIONS, rateLimitSeconds: 3600, trackingFlushIntervalMs: 1000 });
    expect(derived.dashboard).toMatchObject({ timeZone: 'UTC', dashboard: undefined });
    expect(derived.prometheus).toEqual({ prometheus: undefined });
    for (const feature of [derived.activity, derived.metricas, derived.reports, derived.tracking, derived.dashboard]) {
      expect(feature.now()).toBeInstanceOf(Date);
    }
    expect(derive(undefined).storage.keyPrefix).toBe('souvenirs');
    expect(derived.analytics).toMatchObject({ timeZone: 'UTC', weekStart: 1 });
  });

  it('keeps given values over the defaults, and merges partial sections', () => {
    const now = () => new Date(0);
    const derived = derive({
      keyPrefix: 'app',
      rateLimitSeconds: 0,
      timeZone: 'Australia/Lord_Howe',
      weekStart: 7,
      now,
      track: { mode: 'decorated' },
      kickBuffer: { flushIntervalMs: 5, trackingFlushIntervalMs: 7 },
      redis: 'redis://127.0.0.1:6379',
    });
    expect(derived.storage).toEqual({ redis: 'redis://127.0.0.1:6379', store: undefined, keyPrefix: 'app' });
    expect(derived.activity).toEqual({ rateLimitSeconds: 0, now });
    expect(derived.reports).toMatchObject({ timeZone: 'Australia/Lord_Howe', now });
    expect(derived.dashboard).toMatchObject({ timeZone: 'Australia/Lord_Howe', now });
    expect(derived.analytics).toEqual({ timeZone: 'Australia/Lord_Howe', now, weekStart: 7 });
    expect(derived.tracking).toEqual({
      track: { ...DEFAULT_TRACK_OPTIONS, mode: 'decorated' },
      rateLimitSeconds: 0,
      now,
      trackingFlushIntervalMs: 7,
    });
    expect(derived.metricas).toMatchObject({ timeZone: 'Australia/Lord_Howe', now });
    expect(derived.metricas.kickBuffer).toEqual({ maxCells: 100_000, flushIntervalMs: 5, trackingFlushIntervalMs: 7, retryForMs: 10_000 });
    expect(derive({ track: false }).tracking.track).toBe(false);
  });

  it('lets no `undefined` hide a default, at the top or inside a section', () => {
    const derived = derive({
      keyPrefix: undefined,
      timeZone: undefined,
      kickBuffer: { maxCells: undefined, retryForMs: 3 },
      track: { mode: undefined, responseTime: false },
    });
    expect(derived.storage.keyPrefix).toBe('souvenirs');
    expect(derived.metricas.timeZone).toBe('UTC');
    expect(derived.metricas.kickBuffer).toEqual({ maxCells: 100_000, flushIntervalMs: 0, trackingFlushIntervalMs: 1000, retryForMs: 3 });
    expect(derived.tracking.track).toEqual({ ...DEFAULT_TRACK_OPTIONS, responseTime: false });
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
    expect(derive({ users: Source }).reports.users).toBe(Source);
    const instance = new Source();
    expect(derive({ users: instance }).reports.users).toBe(instance);
  });
});
