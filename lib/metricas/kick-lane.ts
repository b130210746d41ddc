import type { KickBuffer } from './kick/kick-buffer.js';
import type { Metrica } from './metrica.js';
import type { AxisMap } from './definition/metrica-definition.interface.js';
import type { KickAxes, KickOptions } from './definition/metrica-types.js';

/**
 * Kicks that gather for `flushIntervalMs` before one write, in a buffer of their
 * own: for callers that never await their kicks and would rather cost the store
 * one write per interval than one per turn of the event loop (request tracking
 * does). Same counters, same exactly-once writes and the same `maxCells` bound
 * (shared with every other lane of the registry) as `metrica.kick()`;
 * `MetricaRegistry.flush()` and application shutdown write it at once. Get one
 * from `MetricaRegistry.lane()`.
 * @example
 * const lane = registry.lane(1000);
 * void lane.kick(registry.get('page_views'), { page: '/home' });
 */
export class KickLane {
  /** @internal Use `MetricaRegistry.lane()`. */
  constructor(
    /** How long its kicks gather before a write (ms). */
    readonly flushIntervalMs: number,
    private readonly buffer: KickBuffer,
  ) {}

  /**
   * `metrica.kick(axes, options)`, gathered in this lane.
   *
   * @returns a promise resolved once the increments are stored (see `Metrica.kick`).
   */
  kick<A extends AxisMap>(metrica: Metrica<A>, axes?: KickAxes<A>, options?: KickOptions): Promise<void> {
    return metrica.kickInto(this.buffer, axes, options);
  }

  /** Writes this lane's waiting kicks now; resolves once stored or failed, never rejects. */
  flush(): Promise<void> {
    return this.buffer.flush();
  }

  /** Kicks of this lane dropped so far: the budget was full or the store failed past its retries. */
  get droppedKicks(): number {
    return this.buffer.droppedKicks;
  }
}
