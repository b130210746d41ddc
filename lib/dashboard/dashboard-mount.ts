import type { DynamicModule, FactoryProvider } from '@nestjs/common';
import { mountEndpoint, type EndpointMount } from '../http/endpoint-mount.js';
import { SOUVENIRS_OPTIONS } from '../shared/souvenirs-options.token.js';
import { DashboardComparisonService } from './dashboard-comparison.service.js';
import { DashboardDataService } from './dashboard-data.service.js';
import { DashboardController } from './dashboard.controller.js';
import { DashboardAnalyticsController } from './dashboard-analytics.controller.js';
import { DashboardCustomersController } from './dashboard-customers.controller.js';
import { DashboardGuard } from './dashboard.guard.js';

/** The dashboard's default URL path (also where its routes sit, answering 404, without the option). @internal */
export const DEFAULT_DASHBOARD_PATH = 'souvenirs';

/** The module options the dashboard's mount reads (a slice of the resolved options). @internal */
export interface DashboardMountSettings {
  /** Absent: no dashboard (its routes, added by `forRootAsync`, answer 404). */
  readonly dashboard: EndpointMount | undefined;
}

/** Token of where the dashboard was mounted (`{ path }`). @internal */
export const SOUVENIRS_DASHBOARD_MOUNT = Symbol.for('nestjs-souvenirs:SOUVENIRS_DASHBOARD_MOUNT');

/**
 * Adds the dashboard to a SouvenirsModule definition.
 *
 * Why this shape: a controller's path is read by Nest when it registers routes, at
 * `app.init()`, after every provider was built; under `forRootAsync` the options
 * (and so `dashboard.path`) only exist once their factory ran. So each definition
 * gets its own controller class (two apps in one process never share a path), and
 * a provider built from the resolved options decorates it with `@Controller(path)`
 * before the routes are registered. The same provider refuses to boot an
 * unprotected dashboard, so the check happens at start, whichever way the options came.
 * @internal
 */
export function withDashboard(definition: DynamicModule): DynamicModule {
  class SouvenirsDashboardController extends DashboardController {}
  // The Analytics page and its endpoints, under the same path and guard.
  class SouvenirsDashboardAnalyticsController extends DashboardAnalyticsController {}
  // The Customers page (tenants' usage) and its endpoint, likewise.
  class SouvenirsDashboardCustomersController extends DashboardCustomersController {}
  const mount: FactoryProvider<{ path: string }> = {
    provide: SOUVENIRS_DASHBOARD_MOUNT,
    inject: [SOUVENIRS_OPTIONS],
    useFactory: (options: DashboardMountSettings) => {
      mountEndpoint('dashboard', SouvenirsDashboardAnalyticsController, options.dashboard, DEFAULT_DASHBOARD_PATH);
      mountEndpoint('dashboard', SouvenirsDashboardCustomersController, options.dashboard, DEFAULT_DASHBOARD_PATH);
      return mountEndpoint('dashboard', SouvenirsDashboardController, options.dashboard, DEFAULT_DASHBOARD_PATH);
    },
  };
  return {
    ...definition,
    controllers: [...(definition.controllers ?? []), SouvenirsDashboardController, SouvenirsDashboardAnalyticsController, SouvenirsDashboardCustomersController],
    providers: [...(definition.providers ?? []), mount, DashboardDataService, DashboardComparisonService, DashboardGuard],
  };
}
