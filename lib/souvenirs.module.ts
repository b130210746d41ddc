import { Module, type DynamicModule, type FactoryProvider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActiveUsersIndex } from './active-users/active-users.index.js';
import { ActivityService } from './activity/activity.service.js';
import { RetentionPruner } from './activity/retention-pruner.js';
import { SouvenirsCalendar } from './calendar/souvenirs-calendar.js';
import { MetricaRegistry } from './metricas/metrica.registry.js';
import { souvenirRepositoryProvider } from './table/souvenir-repository.provider.js';
import { typeOrmConnectionCheck } from './table/typeorm-connection.check.js';
import { SOUVENIRS_ENTITIES } from './table/souvenirs-entities.js';
import { ReportsService } from './reports/reports.service.js';
import { usersSourceProvider } from './reports/users-source.provider.js';
import { SOUVENIRS_OPTIONS } from './shared/souvenirs-options.token.js';
import { SouvenirsStore } from './store/souvenirs-store.interface.js';
import { souvenirsStoreProvider } from './souvenirs-store.provider.js';
import { resolveSouvenirsOptions, type ResolvedSouvenirsOptions, type SouvenirsModuleOptions } from './souvenirs.options.js';
import { validateSouvenirsOptions } from './souvenirs-options.validation.js';
import { souvenirsInterceptorInstanceProvider, souvenirsInterceptorProvider } from './tracking/souvenirs-interceptor.provider.js';
import { ActiveDaySets } from './active-users/active-day-sets.js';
import { AnalyticsReports } from './reports/analytics.reports.js';
import { SouvenirsInterceptor } from './tracking/souvenirs.interceptor.js';
import { TrackedMetricasCheck } from './tracking/tracked-metricas.check.js';
import { TrackingRecorder } from './tracking/tracking-recorder.js';
import { withDashboard } from './dashboard/dashboard-mount.js';
import { withPrometheus } from './prometheus/prometheus-mount.js';
import { ASYNC_OPTIONS_TYPE, ConfigurableModuleClass, OPTIONS_TYPE, SOUVENIRS_MODULE_OPTIONS } from './souvenirs.module-definition.js';

// Records the entity for TypeORM's `autoLoadEntities`, as `forFeature` does. Its module
// is not imported: `souvenirRepositoryProvider` provides the repository from the checked connection.
TypeOrmModule.forFeature(SOUVENIRS_ENTITIES);

/**
 * The options, validated then resolved once, at boot: a wrong one stops the app with an
 * error naming it. Every consumer injects this one token and reads its own slice.
 */
const optionsProvider: FactoryProvider<ResolvedSouvenirsOptions> = {
  provide: SOUVENIRS_OPTIONS,
  inject: [SOUVENIRS_MODULE_OPTIONS],
  useFactory: (given: SouvenirsModuleOptions | undefined) => resolveSouvenirsOptions(validateSouvenirsOptions(given)),
};

/** The zone, the clock, the week start and the local days every feature shares, from the resolved options. */
const calendarProvider: FactoryProvider<SouvenirsCalendar> = {
  provide: SouvenirsCalendar,
  inject: [SOUVENIRS_OPTIONS],
  useFactory: (options: ResolvedSouvenirsOptions) => new SouvenirsCalendar(options),
};

/**
 * Tells a NestJS site's operators how active their users are and what is happening:
 * activity (`ActivityService`), usage reports (`ReportsService`) and dimensional
 * counters (`MetricaRegistry`).
 *
 * @example
 * ```ts
 * @Module({
 *   imports: [
 *     TypeOrmModule.forRoot({ type: 'postgres', entities: [...SOUVENIRS_ENTITIES], migrations: SOUVENIRS_MIGRATIONS }),
 *     SouvenirsModule.forRoot({ redis: 'redis://localhost:6379', timeZone: 'Europe/Paris' }),
 *   ],
 * })
 * export class AppModule {}
 * ```
 * @publicApi
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    // The connection, or an error saying to import TypeOrmModule; then the repository from it.
    typeOrmConnectionCheck,
    souvenirRepositoryProvider,
    optionsProvider,
    calendarProvider,
    souvenirsStoreProvider,
    usersSourceProvider,
    ActiveUsersIndex,
    // Active-user analytics, behind ReportsService.
    ActiveDaySets,
    AnalyticsReports,
    ActivityService,
    // The `retention` option's daily prune (idle without it).
    RetentionPruner,
    ReportsService,
    MetricaRegistry,
    TrackingRecorder,
    // The interceptor (a `track.interceptor` subclass when given), then its app-wide registration.
    souvenirsInterceptorInstanceProvider,
    // App-wide request tracking; a pass-through under `track: false`.
    souvenirsInterceptorProvider,
    // Every @Track() metrica and axis against the registry, at bootstrap.
    TrackedMetricasCheck,
  ],
  exports: [ActivityService, ReportsService, MetricaRegistry, SouvenirsStore, TrackingRecorder, SouvenirsInterceptor],
})
export class SouvenirsModule extends ConfigurableModuleClass {
  /** Every option is optional: `forRoot()` runs on the embedded defaults. */
  static override forRoot(options: typeof OPTIONS_TYPE = {}): DynamicModule {
    // The options are known now: no `dashboard`, no dashboard routes at all.
    const definition = super.forRoot(options);
    const withRoutes = options.dashboard ? withDashboard(definition) : definition;
    return options.prometheus ? withPrometheus(withRoutes) : withRoutes;
  }

  /**
   * The options come from a factory run at boot, so the dashboard routes are always
   * added; they answer 404 when the resolved options have no `dashboard`.
   */
  static override forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return withPrometheus(withDashboard(super.forRootAsync(options)));
  }
}
