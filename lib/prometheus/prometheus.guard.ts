import { Inject, Injectable, NotFoundException, type CanActivate, type ExecutionContext, type Type } from '@nestjs/common';
import { ModuleRef } from '@nestjs/core';
import { isObservable, lastValueFrom } from 'rxjs';
import type { ResolvedPrometheusOptions } from './prometheus-module-options.js';
import { SOUVENIRS_PROMETHEUS_OPTIONS } from './prometheus.internal-constants.js';

/**
 * Guards the Prometheus endpoint with the configured `prometheus.guard`, resolved
 * once through the `ModuleRef`, as the dashboard's guard is. Without a
 * `prometheus` option (possible under `forRootAsync`) the endpoint answers 404.
 * @internal
 */
@Injectable()
export class PrometheusGuard implements CanActivate {
  private delegate: Promise<CanActivate> | undefined;

  constructor(
    @Inject(SOUVENIRS_PROMETHEUS_OPTIONS) private readonly options: ResolvedPrometheusOptions,
    private readonly moduleRef: ModuleRef,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const prometheus = this.options.prometheus;
    if (!prometheus) throw new NotFoundException();
    if (!prometheus.guard) return true;
    this.delegate ??= this.resolve(prometheus.guard);
    const answer = (await this.delegate).canActivate(context);
    return Boolean(isObservable(answer) ? await lastValueFrom(answer) : await answer);
  }

  private async resolve(type: Type<CanActivate>): Promise<CanActivate> {
    try {
      return this.moduleRef.get(type, { strict: false });
    } catch {
      return this.moduleRef.create(type);
    }
  }
}
