// The public API of nestjs-souvenirs, listed on purpose: what is not here is internal.

// Nest wiring
export { SouvenirsModule } from './souvenirs.module.js';
export type { SouvenirsOptionsFactory } from './souvenirs.module-definition.js';
export type {
  DashboardOptions,
  KickBufferOptions,
  Periods,
  SouvenirsModuleOptions,
  TrackMode,
  TrackOptions,
  UsageForPeriods,
  UsageForPeriodsOverride,
  UserId,
  UsersEntityOptions,
} from './souvenirs.options.js';
export type { ResolvedSouvenirsOptions } from './souvenirs.options.js';
export { RESPONSE_TIME_METRICA } from './tracking/tracking.constants.js';

// Prometheus
export type { PrometheusOptions } from './souvenirs.options.js';

// Errors
export * from './errors/index.js';

// Periods (pure functions)
export {
  nearestDom,
  nextMonth,
  adjustToCalendarMonth,
  adjustToSubscriptionStart,
  iterDays,
  iterMonths,
  iterQuarters,
  iterYears,
  MAX_REPORT_PERIODS,
  SUPPORTED_DATES,
  type NextMonthOptions,
} from './calendar/index.js';

// Storage
export * from './store/index.js';
export * from './store/memory/memory-souvenirs.store.js';
export * from './store/redis/redis-souvenirs.store.js';

// Activity
export {
  ActivityService,
  Souvenir,
  SOUVENIRS_ENTITIES,
  SOUVENIRS_MIGRATIONS,
  type ActivityRange,
  type BackfillEntry,
  type BackfillOptions,
  type BackfillResult,
  type ReindexOptions,
  type SouvenezOptions,
  type SouvenezResult,
  type UserRef,
} from './activity/index.js';

// Metricas
export * from './metricas/index.js';

// Tracking requests
export {
  Track,
  NoTrack,
  SouvenirsInterceptor,
  TrackingRecorder,
  requestUser,
  type RequestUser,
  type TrackAxisResolver,
  type TrackDecoratorOptions,
  type TrackMetadata,
} from './tracking/index.js';

// Reports
export { ReportsService, type ReportRange } from './reports/reports.service.js';
export type { UsageCounts, UsageRow } from './reports/usage-row.interface.js';
export type { RegisteredUsers, UsersSource } from './reports/users-source.interface.js';
// Active-user analytics (ReportsService.activeUsers, retention, lifecycle, stickiness).
export { MAX_ANALYTICS_DAYS } from './reports/analytics.reports.js';
export type {
  ActiveUsersRow,
  AnalyticsPeriod,
  AnalyticsPeriodKind,
  AnalyticsRange,
  LifecycleOptions,
  LifecycleRow,
  RetentionCohort,
  RetentionMode,
  RetentionOptions,
  StickinessOptions,
  StickinessRow,
} from './reports/analytics-rows.interface.js';

// CLI (the `souvenirs` bin runs the same code)
export { runCli, CLI_EXIT_CODES, type CliIo, type UsageReportKind } from './cli/index.js';

// Dashboard (the JSON its endpoints answer)
export type {
  ActiveUsersDay,
  AxisBreakdown,
  MetricaSummary,
  MonthlyUsageRow,
  ResponseTimeRow,
  PercentilePoint,
  TimelinePoint,
} from './dashboard/index.js';
