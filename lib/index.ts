// The public API of nestjs-souvenirs, listed on purpose: what is not here is internal.
// At most 70 names (test/unit/architecture/public-api.spec.ts pins them): what the README's
// examples touch and every name of the product contract. Store authors import from
// 'nestjs-souvenirs/store', every error class is in 'nestjs-souvenirs/errors', and the
// dashboard's JSON rows are typed in 'nestjs-souvenirs/dashboard'.

// Nest wiring
export { SouvenirsModule } from './souvenirs.module.js';
export type { SouvenirsOptionsFactory } from './souvenirs.module-definition.js';
export type { SouvenirsModuleOptions } from './souvenirs.options.js';

// Activity
export { ActivityService } from './activity/activity.service.js';
export type { UserRef } from './activity/user-ref.js';

// The souvenirs table: its entity and migrations, for your DataSource
export { Souvenir } from './table/souvenir.entity.js';
export { SOUVENIRS_ENTITIES } from './table/souvenirs-entities.js';
export { SOUVENIRS_MIGRATIONS } from './table/migrations/index.js';

// Reports and active-user analytics
export { ReportsService } from './reports/reports.service.js';
export type { UsageRow } from './reports/usage-row.interface.js';
export type { RegisteredUsers, UsersSource } from './reports/users-source.interface.js';
export { MAX_ANALYTICS_DAYS } from './reports/analytics.reports.js';
export type { ActiveUsersRow, LifecycleRow, RetentionCohort, StickinessRow } from './reports/analytics-rows.interface.js';

// Periods (pure functions)
export { nearestDom, nextMonth, adjustToCalendarMonth, adjustToSubscriptionStart } from './calendar/months.js';
export { iterDays, iterMonths, iterQuarters, iterYears } from './calendar/period-iterators.js';
export { MAX_REPORT_PERIODS, SUPPORTED_DATES } from './calendar/period-limits.js';

// Metricas
export { MetricaRegistry } from './metricas/metrica.registry.js';
export { Metrica } from './metricas/metrica.js';
export { MetricaValues } from './metricas/reading/metrica-values.js';
export type { MetricaDefinition, Scale } from './metricas/definition/metrica-definition.interface.js';
export { Axis } from './metricas/axes/axis.js';
export { StoredChoiceAxis } from './metricas/axes/stored-choice-axis.js';
export { HierarchicalAxis } from './metricas/axes/hierarchical-axis.js';
export type { AxisValue } from './metricas/axes/axis-value.js';

// Tracking requests
export { Track } from './tracking/track.decorator.js';
export { NoTrack } from './tracking/no-track.decorator.js';
export { SouvenirsInterceptor, type RequestTracking } from './tracking/souvenirs.interceptor.js';
export { requestUser } from './tracking/request-user.js';
export { RESPONSE_TIME_METRICA } from './metricas/definition/prometheus-family.js';

// Stores: the built-in ones and the token (what a store author needs is in 'nestjs-souvenirs/store')
export { SouvenirsStore } from './store/souvenirs-store.interface.js';
export { InjectSouvenirsStore, getSouvenirsStoreToken } from './store/souvenirs-store.decorators.js';
export { MemorySouvenirsStore } from './store/memory/memory-souvenirs.store.js';
export { RedisSouvenirsStore } from './store/redis/redis-souvenirs.store.js';

// CLI (the `souvenirs` bin runs the same code)
export { runCli, CLI_EXIT_CODES } from './cli/run-cli.js';

// Errors a caller catches at run time (bad dates, ranges, users, metrica queries, dropped kicks, an unreachable store);
// those of the boot, the stores and the CLI are in 'nestjs-souvenirs/errors' with these.
export {
  SouvenirsError,
  InvalidOptionError,
  InvalidDateError,
  InvalidRangeError,
  RangeTooLargeError,
  UnknownTimeZoneError,
  InvalidUserError,
  InvalidTenantError,
  InvalidSubsetError,
  InvalidBackfillEntryError,
  UnknownMetricaError,
  UnknownAxisError,
  InvalidAxisValueError,
  TooManyChoicesError,
  InvalidTimespanError,
  InvalidMetricaValueError,
  KickDroppedError,
  StoreUnavailableError,
} from './errors/index.js';
