import { Controller, type DynamicModule, type FactoryProvider, type Type } from '@nestjs/common';
import { UnprotectedEndpointError } from '../errors/unprotected-endpoint.error.js';
import type { ResolvedPrometheusOptions } from './prometheus-module-options.js';
import { SOUVENIRS_PROMETHEUS_OPTIONS } from './prometheus.internal-constants.js';
import { DEFAULT_PROMETHEUS_PATH, type PrometheusOptions } from './prometheus-options.interface.js';
import { PrometheusController } from './prometheus.controller.js';
import { PrometheusGuard } from './prometheus.guard.js';
import { PrometheusService } from './prometheus.service.js';

/** Token of where the endpoint was mounted (`{ path }`). @internal */
export const SOUVENIRS_PROMETHEUS_MOUNT = Symbol('SOUVENIRS_PROMETHEUS_MOUNT');

/**
 * Checks the endpoint is protected and gives `controller` its path.
 * @throws UnprotectedEndpointError without a guard and without `public: true`
 * @internal
 */
export function mountPrometheus(controller: Type<unknown>, prometheus: PrometheusOptions | undefined): { path: string } {
  const path = (prometheus?.path ?? DEFAULT_PROMETHEUS_PATH).replace(/^\/+|\/+$/g, '');
  if (prometheus && !prometheus.guard && prometheus.public !== true) throw new UnprotectedEndpointError('prometheus', path);
  Controller(path)(controller);
  return { path };
}

/**
 * Adds the Prometheus endpoint to a SouvenirsModule definition, the way
 * `withDashboard` adds the dashboard (a controller class per definition, its path
 * and the protection check decided by a provider once the options are resolved).
 * @internal
 */
export function withPrometheus(definition: DynamicModule): DynamicModule {
  class SouvenirsPrometheusController extends PrometheusController {}
  const mount: FactoryProvider<{ path: string }> = {
    provide: SOUVENIRS_PROMETHEUS_MOUNT,
    inject: [SOUVENIRS_PROMETHEUS_OPTIONS],
    useFactory: (options: ResolvedPrometheusOptions) => mountPrometheus(SouvenirsPrometheusController, options.prometheus),
  };
  return {
    ...definition,
    controllers: [...(definition.controllers ?? []), SouvenirsPrometheusController],
    providers: [...(definition.providers ?? []), mount, PrometheusService, PrometheusGuard],
  };
}
