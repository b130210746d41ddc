import { Axis } from '../metricas/axes/axis.js';
import type { MetricaDefinition } from '../metricas/definition/metrica-definition.interface.js';
import { StoredChoiceAxis } from '../metricas/axes/stored-choice-axis.js';
import { RESPONSE_TIME_METRICA } from './tracking.constants.js';

/**
 * Most distinct `view` values `response_time` keeps: views are `Controller.handler`
 * names, bounded by the code, not by URLs, so this is a safety net. A kick bringing
 * a view past it is not counted (and is logged at a bounded rate).
 * @internal
 */
export const RESPONSE_TIME_MAX_VIEWS = 1000;

/**
 * Most distinct `exception` class names `response_time` keeps, so odd errors cannot
 * grow the key space without bound; past it, that kick is not counted and is logged.
 * @internal
 */
export const RESPONSE_TIME_MAX_EXCEPTIONS = 200;

/** The HTTP status classes of the `status` axis. @internal */
export const STATUS_CLASSES = ['1xx', '2xx', '3xx', '4xx', '5xx'] as const;

/**
 * Upper bounds (ms) of `response_time`'s histogram, 5 ms … 10 s: Prometheus'
 * default buckets in milliseconds, so p50/p95/p99 are within a bucket's width.
 * @internal
 */
export const RESPONSE_TIME_BUCKETS: readonly number[] = Object.freeze([5, 10, 25, 50, 100, 250, 500, 1000, 2500, 5000, 10000]);

/** The axes of `response_time`. @internal */
export type ResponseTimeAxes = {
  view: StoredChoiceAxis;
  exception: StoredChoiceAxis;
  status: Axis<(typeof STATUS_CLASSES)[number]>;
};

/**
 * The built-in averaged `response_time` metrica (milliseconds), with a histogram
 * ({@link RESPONSE_TIME_BUCKETS}): axes `view`
 * (`Controller.handler`), `exception` (error class name, `null` on success) and
 * `status` (`1xx`…`5xx`). A fresh definition each call (axes are objects).
 * @internal
 */
export function responseTimeDefinition(): MetricaDefinition<ResponseTimeAxes> {
  return {
    name: RESPONSE_TIME_METRICA,
    averaged: true,
    histogram: { buckets: [...RESPONSE_TIME_BUCKETS] },
    axes: {
      view: new StoredChoiceAxis({ maxChoices: RESPONSE_TIME_MAX_VIEWS }),
      exception: new StoredChoiceAxis({ maxChoices: RESPONSE_TIME_MAX_EXCEPTIONS }),
      status: new Axis({ choices: STATUS_CLASSES }),
    },
  };
}

/** `'2xx'` for 204, …; `'5xx'` for anything outside 100-599. @internal */
export function statusClassOf(status: number): (typeof STATUS_CLASSES)[number] {
  const hundreds = Math.floor(status / 100);
  return hundreds >= 1 && hundreds <= 5 ? STATUS_CLASSES[hundreds - 1]! : '5xx';
}
