export type {
  ActiveUsersDay,
  AxisBreakdown,
  MetricaSummary,
  MonthlyUsageRow,
  ResponseTimeRow,
  PercentilePoint,
  TimelinePoint,
} from './dashboard-data.interface.js';
// For SouvenirsModule's wiring; @internal, not meant for the package's users.
export { withDashboard, DEFAULT_DASHBOARD_PATH } from './dashboard-mount.js';
