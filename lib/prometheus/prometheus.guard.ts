import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ConfiguredGuard } from '../http/configured-guard.js';
import type { ResolvedPrometheusOptions } from './prometheus-module-options.js';
import { SOUVENIRS_PROMETHEUS_OPTIONS } from './prometheus.internal-constants.js';

/** Guards the Prometheus endpoint with `prometheus.guard` (see `ConfiguredGuard`). @internal */
@Injectable()
export class PrometheusGuard extends ConfiguredGuard {
  constructor(
    @Inject(SOUVENIRS_PROMETHEUS_OPTIONS) private readonly options: ResolvedPrometheusOptions,
    moduleRef: ModuleRef,
  ) {
    super(moduleRef);
  }

  protected mount() {
    return this.options.prometheus;
  }
}
