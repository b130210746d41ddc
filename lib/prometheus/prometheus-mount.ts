import type { DynamicModule, FactoryProvider } from '@nestjs/common';
import { mountEndpoint, type EndpointMount } from '../http/endpoint-mount.js';
import { SOUVENIRS_OPTIONS } from '../shared/souvenirs-options.token.js';
import { PrometheusController } from './prometheus.controller.js';
import { PrometheusGuard } from './prometheus.guard.js';
import { PrometheusService } from './prometheus.service.js';

/** The default URL path of the endpoint (also where its route sits, answering 404, without the option). @internal */
export const DEFAULT_PROMETHEUS_PATH = 'metrics';

/** The module options the endpoint's mount reads (a slice of the resolved options). @internal */
export interface PrometheusMountSettings {
  /** Absent: no endpoint (its route, added by `forRootAsync`, answers 404). */
  readonly prometheus: EndpointMount | undefined;
}

/** Token of where the endpoint was mounted (`{ path }`). @internal */
export const SOUVENIRS_PROMETHEUS_MOUNT = Symbol.for('nestjs-souvenirs:SOUVENIRS_PROMETHEUS_MOUNT');

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
    useFactory: (options: PrometheusMountSettings) => mountEndpoint('prometheus', SouvenirsPrometheusController, options.prometheus, DEFAULT_PROMETHEUS_PATH),
  };
  return {
    ...definition,
    controllers: [...(definition.controllers ?? []), SouvenirsPrometheusController],
    providers: [...(definition.providers ?? []), mount, PrometheusService, PrometheusGuard],
  };
}
