import { Inject, Injectable } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ConfiguredGuard } from '../http/configured-guard.js';
import type { ResolvedDashboardOptions } from './dashboard-options.js';
import { SOUVENIRS_DASHBOARD_OPTIONS } from './dashboard.internal-constants.js';

/** Guards every dashboard route with `dashboard.guard` (see `ConfiguredGuard`). @internal */
@Injectable()
export class DashboardGuard extends ConfiguredGuard {
  constructor(
    @Inject(SOUVENIRS_DASHBOARD_OPTIONS) private readonly options: ResolvedDashboardOptions,
    moduleRef: ModuleRef,
  ) {
    super(moduleRef);
  }

  protected mount() {
    return this.options.dashboard;
  }
}
