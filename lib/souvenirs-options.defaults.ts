import type { ResolvedActivityOptions } from './activity/activity-options.js';
import type { ResolvedDashboardOptions } from './dashboard/dashboard-options.js';
import type { ResolvedMetricasOptions } from './metricas/metricas-options.js';
import type { ResolvedPrometheusOptions } from './prometheus/prometheus-module-options.js';
import type { ResolvedReportsOptions } from './reports/reports-options.interface.js';
import type { ResolvedStorageOptions } from './store/store-options.interface.js';
import type { ResolvedTrackingOptions } from './tracking/tracking-options.js';

/**
 * The module options once validated, with every default filled in: the union of what
 * each feature derives. No service injects it any more; each injects its feature's
 * options (see `SouvenirsModule`).
 *
 * @deprecated Each feature has its own resolved options now; kept so code naming this type still compiles.
 * @publicApi
 */
export interface ResolvedSouvenirsOptions
  extends ResolvedStorageOptions,
    ResolvedActivityOptions,
    ResolvedMetricasOptions,
    ResolvedReportsOptions,
    ResolvedDashboardOptions,
    ResolvedPrometheusOptions {
  track: ResolvedTrackingOptions['track'];
}
