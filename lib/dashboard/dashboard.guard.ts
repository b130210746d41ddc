import { Inject, Injectable, NotFoundException, type CanActivate, type ExecutionContext, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { isObservable, lastValueFrom } from 'rxjs';
import type { ResolvedDashboardOptions } from './dashboard-options.js';
import { SOUVENIRS_DASHBOARD_OPTIONS } from './dashboard.internal-constants.js';

/**
 * Guards every dashboard route with the configured `dashboard.guard`, resolved once
 * through the `ModuleRef` (the app's own instance when it is a provider somewhere,
 * else a fresh one with its dependencies injected). A guard answering `false` gives
 * 403, as Nest does. Without a `dashboard` option (possible under `forRootAsync`,
 * where the routes exist before the options are known) every route answers 404.
 * A missing guard without `public: true` never gets here: the app refuses to boot.
 * @internal
 */
@Injectable()
export class DashboardGuard implements CanActivate {
  private delegate: Promise<CanActivate> | undefined;

  constructor(
    @Inject(SOUVENIRS_DASHBOARD_OPTIONS) private readonly options: ResolvedDashboardOptions,
    private readonly moduleRef: ModuleRef,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const dashboard = this.options.dashboard;
    if (!dashboard) throw new NotFoundException();
    if (!dashboard.guard) return true;
    this.delegate ??= this.resolve(dashboard.guard);
    const answer = (await this.delegate).canActivate(context);
    return Boolean(isObservable(answer) ? await lastValueFrom(answer) : await answer);
  }

  private async resolve(type: Type<CanActivate>): Promise<CanActivate> {
    try {
      return this.moduleRef.get(type, { strict: false });
    } catch {
      // Not a provider anywhere: build one, injecting what its constructor asks for.
      return this.moduleRef.create(type);
    }
  }
}
