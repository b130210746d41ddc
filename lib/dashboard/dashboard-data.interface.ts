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
  /** The day is today: its counts are not final yet (charts draw it dashed). */
  inProgress: boolean;
}

/** One row of `GET <dashboard>/api/usage/monthly`. @publicApi */
export interface MonthlyUsageRow {
  month: string;
  start: string;
  end: string;
  registeredUsers: number | null;
  activatedUsers: number | null;
  activeUsers: number;
  /** The month holds now: its counts are not final yet. */
  inProgress: boolean;
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
  /** The bucket holds now: its value is not final yet (charts draw it dashed). */
  inProgress: boolean;
}

/** One slice of an axis' pie. @publicApi */
export interface AxisSlice {
  label: string;
  total: number;
  /** `true` on the slice of events kicked without a value on this axis (a request that threw no exception); its label is `(no <axis>)`. */
  none?: true;
}

/** One series of an axis breakdown: one value's, or what the rest hold. @publicApi */
export interface AxisSeries {
  label: string;
  points: TimelinePoint[];
  /** The series sums this many values beyond the largest ones drawn (label `others (N values)`). */
  others?: number;
  /** The series counts events without a value on this axis. */
  none?: true;
}

/**
 * `GET <dashboard>/api/metricas/:name/axes/:axis`: the pie and the largest values'
 * series: totals, or event counts for an averaged metrica (a sum of milliseconds
 * would weigh slow routes over busy ones). @publicApi
 */
export interface AxisBreakdown {
  axis: string;
  /** Every value's total, and a `none` slice for events without a value. */
  pie: AxisSlice[];
  /** The largest values' series, then what the others hold together, then events without a value (each only when not empty). */
  series: AxisSeries[];
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
  /** The bucket holds now: not final yet. */
  inProgress: boolean;
}

/** Totals of one metrica over a range: events and average for an averaged one (requests and milliseconds for `response_time`). @publicApi */
export interface MetricaRangeTotals {
  /** Sum of the values kicked (for an averaged metrica, of milliseconds say: read `count` and `average`). */
  total: number;
  /** Events (averaged metricas), else `null`. */
  count: number | null;
  /** Average value per event (averaged metricas, `null` without events), else `null`. */
  average: number | null;
}

/** A range of local days, both ends included, as the overview's picker shows it. @publicApi */
export interface LocalDayRange {
  /** First local day, `YYYY-MM-DD`. */
  from: string;
  /** Last local day, `YYYY-MM-DD` (included). */
  to: string;
  /** When the range starts and ends (ISO 8601, end exclusive). */
  start: string;
  end: string;
  /** The range holds now: its numbers are not final yet. */
  inProgress: boolean;
}

/**
 * `GET <dashboard>/api/comparison?from=&to=`: the range picked on the overview beside
 * the period of the same number of days just before it. @publicApi
 */
export interface PeriodComparison {
  current: LocalDayRange;
  previous: LocalDayRange;
  /** Distinct users active in each range; `previous` is `null` when it reaches before the retention horizon (pruned). */
  activeUsers: { current: number; previous: number | null };
  metricas: Array<{ name: string; averaged: boolean; current: MetricaRangeTotals; previous: MetricaRangeTotals }>;
}

/*
 * The rows of `GET <dashboard>/api/analytics/:report` (`?format=csv`: the same columns as
 * CSV). Dates are local `YYYY-MM-DD` in the module's time zone; every figure is a number.
 * Each row's `inProgress` (JSON only) says its period holds now, so its figures are not final.
 */

/** One local day of `GET <dashboard>/api/analytics/active-users`. @publicApi */
export interface AnalyticsActiveUsersRow {
  date: string;
  dau: number;
  wau: number;
  mau: number;
  /** DAU / MAU to three decimals, `null` when MAU is 0. */
  stickiness: number | null;
  /** The day is today. */
  inProgress: boolean;
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
  /** The cohort's own period holds now (it may still grow; its last cell is the period holding now in any case). */
  inProgress: boolean;
}

/** One period of `GET <dashboard>/api/analytics/lifecycle`. @publicApi */
export interface AnalyticsLifecycleRow {
  start: string;
  end: string;
  new: number;
  returning: number;
  resurrecting: number;
  dormant: number;
  /** The period holds now: a week two days old, not a final one. */
  inProgress: boolean;
}

/** One period of `GET <dashboard>/api/analytics/stickiness`: `nd`, the users active on exactly n local days of it. @publicApi */
export interface AnalyticsStickinessRow {
  start: string;
  end: string;
  [days: `${number}d`]: number | null;
  /** The period holds now. */
  inProgress: boolean;
}
