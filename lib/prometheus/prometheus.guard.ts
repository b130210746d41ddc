import { Inject, Injectable, type CanActivate, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ConfiguredGuard } from '../http/configured-guard.js';
import { SOUVENIRS_OPTIONS } from '../shared/souvenirs-options.token.js';

/** The module options the guard reads (a slice of the resolved options). @internal */
export interface PrometheusGuardSettings {
  /** Absent: every route answers 404. */
  readonly prometheus: { readonly guard?: Type<CanActivate> } | undefined;
}

/** Guards the Prometheus endpoint with `prometheus.guard` (see `ConfiguredGuard`). @internal */
@Injectable()
export class PrometheusGuard extends ConfiguredGuard {
  constructor(
    @Inject(SOUVENIRS_OPTIONS) private readonly options: PrometheusGuardSettings,
    moduleRef: ModuleRef,
  ) {
    super(moduleRef);
  }

  protected mount() {
    return this.options.prometheus;
  }
}
