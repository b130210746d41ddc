import { Inject, Injectable, Logger } from '@nestjs/common';
import { readMetricaSnapshot } from '../metricas/reading/metrica-snapshot.js';
import type { Metrica } from '../metricas/metrica.js';
import { MetricaRegistry } from '../metricas/metrica.registry.js';
import { prometheusNamesOf } from '../metricas/definition/prometheus-family.js';
import { SOUVENIRS_OPTIONS } from '../shared/souvenirs-options.token.js';
import { SouvenirsStore } from '../store/souvenirs-store.interface.js';
import { withTypedFailures } from '../store/typed-store-failures.js';
import { expositionChunks, renderExposition, type PrometheusFamily } from './prometheus-exposition.js';
import { capSeries, DEFAULT_PROMETHEUS_MAX_SERIES, seriesRows } from './prometheus-series.js';

/** The module options `PrometheusService` reads (a slice of the resolved options). @internal */
export interface PrometheusSettings {
  /** Absent: no endpoint. */
  readonly prometheus: { readonly metricas?: readonly string[]; readonly maxSeries: number } | undefined;
}

/**
 * Builds the Prometheus exposition of the metricas: each from its all-time
 * counters (summed over every process sharing the store), at most three store
 * round trips per metrica, all metricas read concurrently, formatted in chunks
 * that yield to the event loop.
 *
 * `response_time` is exported in base units, as Prometheus asks:
 * `souvenirs_response_time_seconds`.
 *
 * @internal
 */
@Injectable()
export class PrometheusService {
  private readonly logger = new Logger('SouvenirsPrometheus');
  /** Metricas already warned about past `maxSeries` (one warning each per process). */
  private readonly warned = new Set<string>();
  /** The store, its failures typed: a scrape while it is unreachable fails with `StoreUnavailableError` (503). */
  private readonly store: SouvenirsStore;

  constructor(
    private readonly registry: MetricaRegistry,
    @Inject(SouvenirsStore) store: SouvenirsStore,
    @Inject(SOUVENIRS_OPTIONS) private readonly options: PrometheusSettings,
  ) {
    this.store = withTypedFailures(store);
  }

  /** The exposition text of every exported metrica, as one string. */
  async scrape(): Promise<string> {
    return renderExposition(await this.families());
  }

  /**
   * The exposition in chunks, for a response written piece by piece (see
   * {@link expositionChunks}). The store is read before this resolves, so a store
   * failure still fails the request before anything is sent; formatting cannot fail.
   */
  async scrapeChunks(): Promise<AsyncGenerator<string, void, undefined>> {
    return expositionChunks(await this.families());
  }

  private families(): Promise<PrometheusFamily[]> {
    return Promise.all(this.exported().map((metrica) => this.family(metrica)));
  }

  private exported(): Metrica[] {
    const only = this.options.prometheus?.metricas;
    const all = this.registry.list();
    return only ? all.filter((metrica) => only.includes(metrica.name)) : all;
  }

  private async family(metrica: Metrica): Promise<PrometheusFamily> {
    const { definition } = metrica;
    // The names define() checked: no two metricas share one.
    const names = prometheusNamesOf(definition);
    const { unit } = names;
    const combinations = await readMetricaSnapshot(definition, this.store);
    // Without the option the endpoint answers 404 before any scrape: nothing to cap then.
    const maxSeries = this.options.prometheus?.maxSeries ?? DEFAULT_PROMETHEUS_MAX_SERIES;
    const { rows, folded } = capSeries(await seriesRows(combinations, unit), maxSeries);
    if (folded > 0 && !this.warned.has(definition.name)) {
      this.warned.add(definition.name);
      this.logger.warn(
        `Metrica ${JSON.stringify(definition.name)} has more than ${maxSeries} axis combinations: ${folded} of them are exported ` +
          'summed as one "__other__" series. Raise `prometheus.maxSeries`, or bound the axis (StoredChoiceAxis maxChoices).',
      );
    }
    const bounds = (definition.histogram ?? []).map((bound) => bound * unit);
    return {
      name: names.family,
      help: `nestjs-souvenirs metrica ${definition.name}${unit === 1 ? '' : ' (seconds)'}, all time, summed over every process.`,
      type: names.type,
      labelNames: names.labels,
      bounds,
      rows,
    };
  }
}
