import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import { InvalidMetricaDefinitionError } from '../errors/invalid-metrica-definition.error.js';
import { UnknownMetricaError } from '../errors/unknown-metrica.error.js';
import { assertTimeZone } from '../periods/time-zone.js';
import type { ResolvedSouvenirsOptions } from '../souvenirs-options.defaults.js';
import { SOUVENIRS_RESOLVED_OPTIONS } from '../souvenirs.internal-constants.js';
import { SouvenirsStore } from '../storage/souvenirs-store.interface.js';
import { KickBuffer } from './kick-buffer.js';
import { Metrica, type MetricaContext } from './metrica.js';
import { resolveMetricaDefinition } from './metrica-definition.js';
import type { AxisMap, MetricaDefinition } from './metrica-definition.interface.js';

/** How long shutdown waits for the last kicks to be stored. */
const SHUTDOWN_FLUSH_MS = 10_000;

/**
 * Defines and holds the metricas (staste's dimensional counters) and coalesces
 * their kicks into few store writes. Metricas of the `metricas` option are defined
 * at module init; pending kicks are flushed at application shutdown.
 *
 * @publicApi
 * @example
 * constructor(private readonly metricas: MetricaRegistry) {}
 * await this.metricas.get('guests').kick({ gender: 'girl' });
 */
@Injectable()
export class MetricaRegistry implements OnModuleInit, OnApplicationShutdown {
  private readonly metricas = new Map<string, Metrica>();
  private readonly buffer: KickBuffer;
  private readonly trackingBuffer: KickBuffer;
  private readonly context: MetricaContext;
  private readonly logger = new Logger(MetricaRegistry.name);

  constructor(
    @Inject(SouvenirsStore) store: SouvenirsStore,
    @Inject(SOUVENIRS_RESOLVED_OPTIONS) private readonly options: ResolvedSouvenirsOptions,
  ) {
    assertTimeZone(options.timeZone);
    const { maxCells, flushIntervalMs, trackingFlushIntervalMs } = options.kickBuffer;
    this.buffer = new KickBuffer(store, { maxCells, flushIntervalMs }, this.logger);
    this.trackingBuffer = new KickBuffer(store, { maxCells, flushIntervalMs: trackingFlushIntervalMs }, this.logger);
    this.context = { store, buffer: this.buffer, trackingBuffer: this.trackingBuffer, timeZone: options.timeZone, now: options.now };
  }

  /** Kicks dropped so far, not counted: the buffer was full or the store failed. */
  get droppedKicks(): number {
    return this.buffer.droppedKicks + this.trackingBuffer.droppedKicks;
  }

  /** Defines the metricas of the `metricas` option. */
  onModuleInit(): void {
    for (const definition of this.options.metricas) this.define(definition);
  }

  /** Stores the kicks still waiting (waits at most 10 s), then stops the log timer. */
  async onApplicationShutdown(): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), SHUTDOWN_FLUSH_MS);
      timer.unref();
    });
    const outcome = await Promise.race([this.flush(), timeout]);
    clearTimeout(timer);
    if (outcome === 'timeout') this.logger.warn(`Metrica kicks still unstored after ${SHUTDOWN_FLUSH_MS / 1000} s at shutdown; they are lost.`);
    this.buffer.dispose();
    this.trackingBuffer.dispose();
  }

  /**
   * Defines a metrica, typed by its axes. Defining the same name again with an
   * identical definition returns the existing metrica.
   *
   * @throws InvalidMetricaDefinitionError for a bad definition, or a different one under a name taken.
   */
  define<A extends AxisMap = Record<never, never>>(definition: MetricaDefinition<A>): Metrica<A> {
    const resolved = resolveMetricaDefinition(definition as MetricaDefinition);
    const existing = this.metricas.get(resolved.name);
    if (existing) {
      if (existing.definition.signature === resolved.signature) return existing as unknown as Metrica<A>;
      throw new InvalidMetricaDefinitionError(
        resolved.name,
        'a different metrica is already defined under this name (axes, averaged, multiplier, scales or expirations differ); ' +
          'a metrica\'s definition cannot change, so give the new one another name.',
      );
    }
    const metrica = new Metrica<A>(resolved, this.context);
    this.metricas.set(resolved.name, metrica as unknown as Metrica);
    return metrica;
  }

  /** @throws UnknownMetricaError when no metrica has this name. */
  get(name: string): Metrica {
    const metrica = this.metricas.get(name);
    if (!metrica) throw new UnknownMetricaError(String(name), [...this.metricas.keys()]);
    return metrica;
  }

  /** Whether a metrica has this name. */
  has(name: string): boolean {
    return this.metricas.has(name);
  }

  /** Every defined metrica, in definition order. */
  list(): Metrica[] {
    return [...this.metricas.values()];
  }

  /**
   * Resolves once every kick issued so far is stored (or has failed: failures go
   * to the kicks' promises, `droppedKicks` and the log). Never rejects.
   */
  async flush(): Promise<void> {
    await Promise.all([this.buffer.flush(), this.trackingBuffer.flush()]);
  }
}
