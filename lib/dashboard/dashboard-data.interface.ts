/** One day of `GET <dashboard>/api/active-users`. @publicApi */
export interface ActiveUsersDay {
  /** The local day, `YYYY-MM-DD` in the module's time zone. */
  date: string;
  /** When the local day starts (ISO 8601). */
  start: string;
  /** Distinct active users that day. */
  dau: number;
  /** Distinct active users in the 7 days ending with that day. */
  wau: number;
  /** Distinct active users in the 30 days ending with that day. */
  mau: number;
  /** DAU / MAU, `null` when MAU is 0. */
  stickiness: number | null;
}

/** One row of `GET <dashboard>/api/usage/monthly`. @publicApi */
export interface MonthlyUsageRow {
  month: string;
  start: string;
  end: string;
  registeredUsers: number | null;
  activatedUsers: number | null;
  activeUsers: number;
}

/** One metrica of `GET <dashboard>/api/metricas`. @publicApi */
export interface MetricaSummary {
  name: string;
  axes: string[];
  averaged: boolean;
  scales: string[];
  total: number;
  /** Event count (averaged metricas), else `null`. */
  count: number | null;
}

/** One bucket of a metrica timeline: its start, total, and for averaged metricas count and average. @publicApi */
export interface TimelinePoint {
  t: string;
  value: number;
  count?: number;
  average?: number | null;
}

/**
 * `GET <dashboard>/api/metricas/:name/axes/:axis`: the pie and the largest values'
 * series: totals, or event counts for an averaged metrica (a sum of milliseconds
 * would weigh slow routes over busy ones). @publicApi
 */
export interface AxisBreakdown {
  axis: string;
  pie: Array<{ label: string; total: number }>;
  series: Array<{ label: string; points: TimelinePoint[] }>;
}

/** One view of `GET <dashboard>/api/response-times` (milliseconds), slowest p95 first. @publicApi */
export interface ResponseTimeRow {
  view: string;
  count: number;
  average: number | null;
  todayCount: number;
  todayAverage: number | null;
  /** All-time percentiles estimated from the `response_time` histogram; `null` without one or without requests. */
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/** One bucket of `GET <dashboard>/api/response-times/percentiles?view=` (milliseconds). @publicApi */
export interface PercentilePoint {
  t: string;
  /** Requests in the bucket. */
  count: number;
  p50: number | null;
  p95: number | null;
  p99: number | null;
}

/*
 * The rows of `GET <dashboard>/api/analytics/:report` (`?format=csv`: the same columns as
 * CSV). Dates are local `YYYY-MM-DD` in the module's time zone; every figure is a number.
 */

/** One local day of `GET <dashboard>/api/analytics/active-users`. @publicApi */
export interface AnalyticsActiveUsersRow {
  date: string;
  dau: number;
  wau: number;
  mau: number;
  /** DAU / MAU to three decimals, `null` when MAU is 0. */
  stickiness: number | null;
}

/**
 * One cohort of `GET <dashboard>/api/analytics/retention`: `+k` is the share of the
 * cohort active k periods later, a fraction to three decimals (`1` is 100%), or a count
 * under `counts=true`; `null` past the cohort's last period, and for an empty cohort. @publicApi
 */
export interface AnalyticsRetentionRow {
  cohort: string;
  size: number;
  [offset: `+${number}`]: number | null;
}

/** One period of `GET <dashboard>/api/analytics/lifecycle`. @publicApi */
export interface AnalyticsLifecycleRow {
  start: string;
  end: string;
  new: number;
  returning: number;
  resurrecting: number;
  dormant: number;
}

/** One period of `GET <dashboard>/api/analytics/stickiness`: `nd`, the users active on exactly n local days of it. @publicApi */
export interface AnalyticsStickinessRow {
  start: string;
  end: string;
  [days: `${number}d`]: number | null;
}
