import { Inject, Injectable, type CanActivate, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { ConfiguredGuard } from '../http/configured-guard.js';
import { SOUVENIRS_OPTIONS } from '../shared/souvenirs-options.token.js';

/** The module options the guard reads (a slice of the resolved options). @internal */
export interface DashboardGuardSettings {
  /** Absent: every route answers 404. */
  readonly dashboard: { readonly guard?: Type<CanActivate> } | undefined;
}

/** Guards every dashboard route with `dashboard.guard` (see `ConfiguredGuard`). @internal */
@Injectable()
export class DashboardGuard extends ConfiguredGuard {
  constructor(
    @Inject(SOUVENIRS_OPTIONS) private readonly options: DashboardGuardSettings,
    moduleRef: ModuleRef,
  ) {
    super(moduleRef);
  }

  protected mount() {
    return this.options.dashboard;
  }
}
