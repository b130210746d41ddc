import { Controller, type CanActivate, type DynamicModule, type FactoryProvider, type Type } from '@nestjs/common';
import { UnprotectedEndpointError } from '../errors/unprotected-endpoint.error.js';
import { SOUVENIRS_OPTIONS } from '../shared/souvenirs-options.token.js';
import { PrometheusController } from './prometheus.controller.js';
import { PrometheusGuard } from './prometheus.guard.js';
import { PrometheusService } from './prometheus.service.js';

/** The default URL path of the endpoint (also where its route sits, answering 404, without the option). @internal */
export const DEFAULT_PROMETHEUS_PATH = 'metrics';

/** The `prometheus` option as the endpoint's mount reads it, path filled in. @internal */
export interface PrometheusMount {
  readonly path: string;
  readonly guard?: Type<CanActivate>;
  readonly public?: boolean;
}

/** The module options the endpoint's mount reads (a slice of the resolved options). @internal */
export interface PrometheusMountSettings {
  /** Absent: no endpoint (its route, added by `forRootAsync`, answers 404). */
  readonly prometheus: PrometheusMount | undefined;
}

/** Token of where the endpoint was mounted (`{ path }`). @internal */
export const SOUVENIRS_PROMETHEUS_MOUNT = Symbol('SOUVENIRS_PROMETHEUS_MOUNT');

/**
 * Checks the endpoint is protected and gives `controller` its path.
 * @throws UnprotectedEndpointError without a guard and without `public: true`
 * @internal
 */
export function mountPrometheus(controller: Type<unknown>, prometheus: PrometheusMount | undefined): { path: string } {
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
    inject: [SOUVENIRS_OPTIONS],
    useFactory: (options: PrometheusMountSettings) => mountPrometheus(SouvenirsPrometheusController, options.prometheus),
  };
  return {
    ...definition,
    controllers: [...(definition.controllers ?? []), SouvenirsPrometheusController],
    providers: [...(definition.providers ?? []), mount, PrometheusService, PrometheusGuard],
  };
}
