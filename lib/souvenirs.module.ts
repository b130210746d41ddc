import { Module, type DynamicModule, type FactoryProvider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActiveUsersIndex } from './active-users/active-users.index.js';
import { SOUVENIRS_ACTIVE_INDEX_OPTIONS } from './active-users/active-index.internal-constants.js';
import { resolveActiveIndexOptions } from './active-users/active-index-options.js';
import { ActivityService } from './activity/activity.service.js';
import { MetricaRegistry } from './metricas/metrica.registry.js';
import { souvenirRepositoryProvider } from './table/souvenir-repository.provider.js';
import { typeOrmConnectionCheck } from './table/typeorm-connection.check.js';
import { SOUVENIRS_ENTITIES } from './table/souvenirs-entities.js';
import { ReportsService } from './reports/reports.service.js';
import { usersSourceProvider } from './reports/users-source.provider.js';
import { SouvenirsStore } from './store/souvenirs-store.interface.js';
import { souvenirsStoreProvider } from './souvenirs-store.provider.js';
import type { SouvenirsModuleOptions } from './souvenirs-options.interface.js';
import { validateSouvenirsOptions } from './souvenirs-options.validation.js';
import { SOUVENIRS_VALIDATED_OPTIONS } from './souvenirs.internal-constants.js';
import { resolveActivityOptions } from './activity/activity-options.js';
import { SOUVENIRS_ACTIVITY_OPTIONS } from './activity/activity.internal-constants.js';
import { resolveDashboardOptions } from './dashboard/dashboard-options.js';
import { SOUVENIRS_DASHBOARD_OPTIONS } from './dashboard/dashboard.internal-constants.js';
import { resolveMetricasOptions } from './metricas/metricas-options.js';
import { SOUVENIRS_METRICAS_OPTIONS } from './metricas/metricas.internal-constants.js';
import { resolvePrometheusOptions } from './prometheus/prometheus-module-options.js';
import { SOUVENIRS_PROMETHEUS_OPTIONS } from './prometheus/prometheus.internal-constants.js';
import { resolveReportsOptions } from './reports/reports-options.js';
import { SOUVENIRS_REPORTS_OPTIONS } from './reports/reports.internal-constants.js';
import { resolveStorageOptions } from './store/store-options.js';
import { SOUVENIRS_STORAGE_OPTIONS } from './store/store.internal-constants.js';
import { resolveTrackingOptions } from './tracking/tracking-options.js';
import { SOUVENIRS_TRACKING_OPTIONS } from './tracking/tracking.internal-constants.js';
import { souvenirsInterceptorInstanceProvider, souvenirsInterceptorProvider } from './tracking/souvenirs-interceptor.provider.js';
import { ActiveDaySets } from './active-users/active-day-sets.js';
import { AnalyticsReports } from './reports/analytics.reports.js';
import { resolveAnalyticsOptions } from './reports/analytics-options.js';
import { SOUVENIRS_ANALYTICS_OPTIONS } from './reports/analytics.internal-constants.js';
import { SouvenirsInterceptor } from './tracking/souvenirs.interceptor.js';
import { TrackedMetricasCheck } from './tracking/tracked-metricas.check.js';
import { TrackingRecorder } from './tracking/tracking-recorder.js';
import { withDashboard } from './dashboard/dashboard-mount.js';
import { withPrometheus } from './prometheus/prometheus-mount.js';
import { ASYNC_OPTIONS_TYPE, ConfigurableModuleClass, OPTIONS_TYPE, SOUVENIRS_MODULE_OPTIONS } from './souvenirs.module-definition.js';

// Records the entity for TypeORM's `autoLoadEntities`, as `forFeature` does. Its module
// is not imported: `souvenirRepositoryProvider` provides the repository from the checked connection.
TypeOrmModule.forFeature(SOUVENIRS_ENTITIES);

/** Validates the options once, at boot: a wrong one stops the app with an error naming it. */
const validatedOptionsProvider: FactoryProvider<SouvenirsModuleOptions> = {
  provide: SOUVENIRS_VALIDATED_OPTIONS,
  inject: [SOUVENIRS_MODULE_OPTIONS],
  useFactory: validateSouvenirsOptions,
};

/** One feature's options, derived once from the validated options by the feature's own function. */
function featureOptions<T>(token: symbol, resolve: (validated: SouvenirsModuleOptions) => T): FactoryProvider<T> {
  return { provide: token, inject: [SOUVENIRS_VALIDATED_OPTIONS], useFactory: resolve };
}

/**
 * Each feature folder owns its options: the public types (`<feature>-options.interface.ts`
 * or the like), its defaults and `resolve<Feature>Options` (`<feature>-options.ts`), and
 * the token its services inject (`<feature>.internal-constants.ts`). A new consumer
 * injects its feature's token; a new feature adds its three pieces and one line here.
 */
const featureOptionsProviders = [
  featureOptions(SOUVENIRS_STORAGE_OPTIONS, resolveStorageOptions),
  featureOptions(SOUVENIRS_ACTIVITY_OPTIONS, resolveActivityOptions),
  featureOptions(SOUVENIRS_ACTIVE_INDEX_OPTIONS, resolveActiveIndexOptions),
  featureOptions(SOUVENIRS_METRICAS_OPTIONS, resolveMetricasOptions),
  featureOptions(SOUVENIRS_REPORTS_OPTIONS, resolveReportsOptions),
  featureOptions(SOUVENIRS_ANALYTICS_OPTIONS, resolveAnalyticsOptions),
  featureOptions(SOUVENIRS_TRACKING_OPTIONS, resolveTrackingOptions),
  featureOptions(SOUVENIRS_DASHBOARD_OPTIONS, resolveDashboardOptions),
  featureOptions(SOUVENIRS_PROMETHEUS_OPTIONS, resolvePrometheusOptions),
];

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
    validatedOptionsProvider,
    ...featureOptionsProviders,
    souvenirsStoreProvider,
    usersSourceProvider,
    ActiveUsersIndex,
    // Active-user analytics, behind ReportsService.
    ActiveDaySets,
    AnalyticsReports,
    ActivityService,
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
