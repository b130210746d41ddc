import { Module, type DynamicModule, type FactoryProvider } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { ActiveUsersIndex } from './active-index/active-users.index.js';
import { ActivityService } from './activity/activity.service.js';
import { MetricaRegistry } from './metricas/metrica.registry.js';
import { SOUVENIRS_ENTITIES } from './activity/souvenirs-entities.js';
import { ReportsService } from './reports/reports.service.js';
import { usersSourceProvider } from './reports/users-source.provider.js';
import { SouvenirsStore } from './storage/souvenirs-store.interface.js';
import { souvenirsStoreProvider } from './storage/souvenirs-store.provider.js';
import type { ResolvedSouvenirsOptions } from './souvenirs-options.defaults.js';
import { resolveSouvenirsOptions } from './souvenirs-options.validation.js';
import { ActiveDaySets } from './analytics/active-day-sets.js';
import { AnalyticsReports } from './analytics/analytics.reports.js';
import { SOUVENIRS_RESOLVED_OPTIONS } from './souvenirs.internal-constants.js';
import { souvenirsInterceptorProvider } from './tracking/souvenirs-interceptor.provider.js';
import { SouvenirsInterceptor } from './tracking/souvenirs.interceptor.js';
import { withDashboard } from './dashboard/dashboard-mount.js';
import { ASYNC_OPTIONS_TYPE, ConfigurableModuleClass, OPTIONS_TYPE, SOUVENIRS_MODULE_OPTIONS } from './souvenirs.module-definition.js';

/** Validates the options once, at boot: a wrong one stops the app with an error naming it. */
const resolvedOptionsProvider: FactoryProvider<ResolvedSouvenirsOptions> = {
  provide: SOUVENIRS_RESOLVED_OPTIONS,
  inject: [SOUVENIRS_MODULE_OPTIONS],
  useFactory: resolveSouvenirsOptions,
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
  imports: [TypeOrmModule.forFeature(SOUVENIRS_ENTITIES)],
  providers: [
    resolvedOptionsProvider,
    souvenirsStoreProvider,
    usersSourceProvider,
    ActiveUsersIndex,
    // Active-user analytics, behind ReportsService.
    ActiveDaySets,
    AnalyticsReports,
    ActivityService,
    ReportsService,
    MetricaRegistry,
    SouvenirsInterceptor,
    // App-wide request tracking; a pass-through under `track: false`.
    souvenirsInterceptorProvider,
  ],
  exports: [ActivityService, ReportsService, MetricaRegistry, SouvenirsStore, SouvenirsInterceptor],
})
export class SouvenirsModule extends ConfigurableModuleClass {
  /** Every option is optional: `forRoot()` runs on the embedded defaults. */
  static override forRoot(options: typeof OPTIONS_TYPE = {}): DynamicModule {
    // The options are known now: no `dashboard`, no dashboard routes at all.
    const definition = super.forRoot(options);
    return options.dashboard ? withDashboard(definition) : definition;
  }

  /**
   * The options come from a factory run at boot, so the dashboard routes are always
   * added; they answer 404 when the resolved options have no `dashboard`.
   */
  static override forRootAsync(options: typeof ASYNC_OPTIONS_TYPE): DynamicModule {
    return withDashboard(super.forRootAsync(options));
  }
}
