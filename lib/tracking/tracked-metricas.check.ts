import { Inject, Injectable, type OnApplicationBootstrap } from '@nestjs/common';
import { DiscoveryService, MetadataScanner, Reflector } from '@nestjs/core';
import { InvalidTrackDecoratorError } from '../errors/invalid-track-decorator.error.js';
import { MetricaRegistry } from '../metricas/metrica.registry.js';
import { NO_TRACK_METADATA, TRACK_METADATA } from './tracking.constants.js';
import { SOUVENIRS_OPTIONS } from '../shared/souvenirs-options.token.js';
import type { TrackMetadata } from './track-metadata.interface.js';

/** The module options the check reads (a slice of the resolved options). @internal */
export interface TrackedMetricasSettings {
  /** `false`: no route records anything, nothing to check. */
  readonly track: object | false;
}

/**
 * Checks every `@Track('metrica', { axes })` of the application's controllers against
 * the registry, at application bootstrap: by then every route is known, and so is
 * every metrica of the `metricas` option or defined in any provider's `onModuleInit`
 * (Nest runs every `onModuleInit` before any `onApplicationBootstrap`). A metrica
 * defined later (in an `onApplicationBootstrap`, or on a request) is too late for a
 * route tracking it: define it earlier. `define()` itself stays allowed at any time.
 *
 * Skipped under `track: false`, where no route records anything.
 * @internal
 */
@Injectable()
export class TrackedMetricasCheck implements OnApplicationBootstrap {
  constructor(
    private readonly discovery: DiscoveryService,
    private readonly scanner: MetadataScanner,
    private readonly reflector: Reflector,
    private readonly registry: MetricaRegistry,
    @Inject(SOUVENIRS_OPTIONS) private readonly options: TrackedMetricasSettings,
  ) {}

  /** @throws InvalidTrackDecoratorError naming the route and what to change. */
  onApplicationBootstrap(): void {
    if (this.options.track === false) return;
    for (const wrapper of this.discovery.getControllers()) {
      const { instance, metatype } = wrapper;
      if (!instance || typeof metatype !== 'function') continue;
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const method of this.scanner.getAllMethodNames(prototype)) {
        const handler = prototype[method] as () => unknown;
        if (this.reflector.getAllAndOverride<boolean | undefined>(NO_TRACK_METADATA, [handler, metatype])) continue;
        const metadata = this.reflector.getAllAndOverride<TrackMetadata | undefined>(TRACK_METADATA, [handler, metatype]);
        if (metadata?.metrica !== undefined) this.check(`${metatype.name}.${method}`, metadata.metrica, metadata);
      }
    }
  }

  private check(route: string, name: string, metadata: TrackMetadata): void {
    if (!this.registry.has(name)) {
      const known = this.registry.list().map((metrica) => JSON.stringify(metrica.name)).sort();
      throw new InvalidTrackDecoratorError(
        route,
        `metrica ${JSON.stringify(name)} is not defined (defined: ${known.join(', ') || 'none'}). ` +
          'Define it in the `metricas` option of SouvenirsModule, or with MetricaRegistry.define() in an onModuleInit, ' +
          'or fix the name.',
      );
    }
    const axes = Object.keys(this.registry.get(name).axes);
    for (const axis of Object.keys(metadata.axes ?? {})) {
      if (!axes.includes(axis)) {
        throw new InvalidTrackDecoratorError(
          route,
          `metrica ${JSON.stringify(name)} has no axis ${JSON.stringify(axis)} ` +
            `(its axes: ${axes.map((known) => JSON.stringify(known)).join(', ') || 'none'}). ` +
            'Remove it from the decorator or add it to the metrica definition (under a new name: a definition cannot change).',
        );
      }
    }
  }
}
