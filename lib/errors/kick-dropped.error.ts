import { SouvenirsError } from './souvenirs.error.js';

/**
 * A metrica kick was dropped, not counted, because the kick buffer already held
 * its maximum of distinct counters waiting for the store (`kickBuffer.maxCells`):
 * the store is too slow or unreachable. Drops are counted
 * (`MetricaRegistry.droppedKicks`) and logged at a bounded rate.
 *
 * @publicApi
 */
export class KickDroppedError extends SouvenirsError {
  constructor(
    readonly metrica: string,
    /** The bound that was reached. */
    readonly maxCells: number,
  ) {
    super(
      `Kick of metrica ${JSON.stringify(metrica)} dropped: ${maxCells} counters are already waiting for the store ` +
        '(kickBuffer.maxCells). Check that the store (Redis) is reachable and fast enough, or raise kickBuffer.maxCells.',
    );
  }
}
