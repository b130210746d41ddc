export type { PrometheusOptions } from './prometheus-options.interface.js';
