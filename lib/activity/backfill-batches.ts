import type { Repository } from 'typeorm';
import type { ActiveUsersIndex } from '../active-users/active-users.index.js';
import type { SouvenirRow } from '../table/souvenir.entity.js';
import { insertSouvenirs } from '../table/bulk-insert.query.js';
import type { Souvenir } from '../table/souvenir.entity.js';
import { findStoredKeys, souvenirKey } from '../table/stored-souvenirs.query.js';
import { WritesInFlight } from './writes-in-flight.js';

/** How `BackfillBatches` writes. @internal */
export interface BackfillBatchesSettings {
  readonly checkDuplicate: boolean;
  /** Batches written at once, each on its own connection. */
  readonly concurrency: number;
  readonly onProgress: ((done: number) => void) | undefined;
}

/** What writing one batch did: its rows `added` or `duplicated`, and its `size` in entries. */
interface BatchOutcome {
  readonly added: number;
  readonly duplicated: number;
  readonly size: number;
}

/**
 * The write side of `ActivityService.backfill`: batches inserted up to `concurrency`
 * at once, counted and reported (`onProgress`) in entry order, each added to the
 * active-users index as soon as it is written. See `backfill` for what a failure
 * leaves written.
 *
 * @internal
 */
export class BackfillBatches {
  /** Rows added and duplicates skipped by the batches finished so far. */
  readonly counts = { added: 0, duplicated: 0 };
  private processed = 0;
  private readonly writes: WritesInFlight<BatchOutcome>;
  /** Keys of the batches being written, which a duplicate check's query may not see yet. */
  private readonly writing = new Set<ReadonlySet<string>>();
  /** The index updates (which never throw), one after the other. */
  private indexing: Promise<void> = Promise.resolve();
  /** Batches written but not yet in the index. */
  private unindexed = 0;
  /** The local days this backfill writes, each by its check before the first insert (see `ActiveUsersIndex.prepareBackfill`). */
  private readonly days = new Map<string, Promise<void>>();

  constructor(
    private readonly repository: Repository<Souvenir>,
    private readonly index: ActiveUsersIndex,
    private readonly settings: BackfillBatchesSettings,
  ) {
    this.writes = new WritesInFlight<BatchOutcome>(settings.concurrency, ({ added, duplicated, size }) => {
      this.counts.added += added;
      this.counts.duplicated += duplicated;
      this.processed += size;
      settings.onProgress?.(this.processed);
    });
  }

  /**
   * Starts writing `batch`, and returns when the caller may read the next one: fewer
   * than `concurrency` batches are being written, and at most `concurrency` written
   * ones wait for the index (a store slower than the database holds reading back, so
   * the rows kept for it stay bounded). Rejects when an earlier batch failed.
   */
  async write(batch: readonly SouvenirRow[]): Promise<void> {
    await this.writes.start(() => this.writeBatch(batch));
    if (this.unindexed > this.settings.concurrency) await this.indexing;
  }

  /** Finishes every batch started; rejects with the first failure. */
  async finish(): Promise<void> {
    await this.writes.finishAll();
  }

  /**
   * After the reading side failed (a bad entry, the iterable): finishes and reports
   * the batches started, unless one of them already failed (its error then wins).
   */
  async finishBefore(error: unknown): Promise<never> {
    if (!this.writes.stopped) await this.writes.finishAll();
    throw error;
  }

  /** Waits until no batch is being written and every written one is in the index. */
  async settle(): Promise<void> {
    await this.writes.settle();
    await this.indexing;
  }

  private async writeBatch(batch: readonly SouvenirRow[]): Promise<BatchOutcome> {
    let fresh = batch;
    let keys: Set<string> | undefined;
    if (this.settings.checkDuplicate) {
      // Registered before the first await, so a batch started later skips these too.
      const earlier = [...this.writing];
      keys = new Set(batch.map(souvenirKey));
      this.writing.add(keys);
      fresh = await this.withoutDuplicates(batch, earlier);
    }
    try {
      // Days empty before this backfill start complete, so the first count after it builds nothing.
      await this.index.prepareBackfill(fresh, this.days);
      await insertSouvenirs(this.repository, fresh);
    } finally {
      if (keys) this.writing.delete(keys); // committed (or failed): queries see what was written
    }
    this.unindexed += 1;
    this.indexing = this.indexing.then(() => this.index.recordWritten(fresh)).finally(() => (this.unindexed -= 1));
    return { added: fresh.length, duplicated: batch.length - fresh.length, size: batch.length };
  }

  /**
   * The rows of `batch` neither stored, nor among the `earlier` keys (batches being
   * written), nor repeating an earlier row of `batch`.
   */
  private async withoutDuplicates(batch: readonly SouvenirRow[], earlier: readonly ReadonlySet<string>[]): Promise<SouvenirRow[]> {
    const seen = await findStoredKeys(this.repository, batch);
    const fresh: SouvenirRow[] = [];
    for (const row of batch) {
      const key = souvenirKey(row);
      if (seen.has(key) || earlier.some((keys) => keys.has(key))) continue;
      seen.add(key);
      fresh.push(row);
    }
    return fresh;
  }
}
