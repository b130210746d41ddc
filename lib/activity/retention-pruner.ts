import { Inject, Injectable, Logger, type OnApplicationBootstrap, type OnApplicationShutdown } from '@nestjs/common';
import { SOUVENIRS_OPTIONS } from '../shared/souvenirs-options.token.js';
import { SouvenirsStore } from '../store/souvenirs-store.interface.js';
import { withTypedFailures } from '../store/typed-store-failures.js';
import { ActivityService } from './activity.service.js';

/** The lock the daily prune takes in the store. */
export const RETENTION_LOCK = 'retention-prune';
/**
 * How long a prune's lock stands (it is kept after a prune that went well): every
 * process tries each hour, so one of them prunes about once a day.
 */
export const RETENTION_LOCK_TTL_MS = 23 * 3_600_000;
/** How often each process tries, and how long after boot it first does. */
const ATTEMPT_EVERY_MS = 3_600_000;
const FIRST_ATTEMPT_MS = 60_000;

/** The module options the pruner reads. @internal */
export interface RetentionSettings {
  readonly retention?: { readonly days: number } | undefined;
}

/**
 * The `retention: { days }` option at work: once a day, from one process at a time
 * among all sharing the store (a lock in the store, with a TTL, kept after a prune
 * so the others skip until it expires), deletes the rows before the retention
 * horizon (`ActivityService.prune`) and logs what went. A failed prune gives the
 * lock back, so another process (or the next hour) tries again. Timers are unref'd:
 * they never keep a process alive.
 *
 * @internal
 */
@Injectable()
export class RetentionPruner implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('SouvenirsRetention');
  private timer: NodeJS.Timeout | undefined;
  /** Set at shutdown: a prune in flight then schedules no next attempt. */
  private stopped = false;
  private readonly store: SouvenirsStore;
  /** How long after boot the first attempt comes, and how often the next ones (tests shorten them). @internal */
  firstAttemptMs = FIRST_ATTEMPT_MS;
  attemptEveryMs = ATTEMPT_EVERY_MS;

  constructor(
    private readonly activity: ActivityService,
    @Inject(SouvenirsStore) store: SouvenirsStore,
    @Inject(SOUVENIRS_OPTIONS) private readonly settings: RetentionSettings,
  ) {
    this.store = withTypedFailures(store);
  }

  onApplicationBootstrap(): void {
    if (!this.settings.retention) return;
    const attempt = (delay: number) => {
      if (this.stopped) return;
      this.timer = setTimeout(() => void this.pruneOnce().finally(() => attempt(this.attemptEveryMs)), delay);
      this.timer.unref();
    };
    attempt(this.firstAttemptMs);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  /**
   * One daily prune, if this process takes the lock: the rows deleted, or `null` when
   * another process holds it (it pruned less than a day ago, or is pruning). Never throws:
   * a failure is logged and the lock given back.
   */
  async pruneOnce(): Promise<{ rows: number } | null> {
    const days = this.settings.retention?.days;
    const before = this.activity.retentionHorizon();
    if (days === undefined || before === null) return null;
    let token: string | null | undefined;
    try {
      token = typeof this.store.acquireLock === 'function' ? await this.store.acquireLock(RETENTION_LOCK, RETENTION_LOCK_TTL_MS) : undefined;
    } catch (error) {
      this.logger.warn(`The daily prune is put off, the store could not take its lock: ${String(error)}`);
      return null;
    }
    if (token === null) return null;
    try {
      const { rows } = await this.activity.prune({ before });
      this.logger.log(`Pruned ${rows} row(s) of activity before ${before.toISOString()} (retention: ${days} days).`);
      return { rows };
    } catch (error) {
      this.logger.warn(`The daily prune failed, to be tried again within the hour: ${String(error)}`);
      if (token !== undefined) await this.store.releaseLock?.(RETENTION_LOCK, token).catch(() => undefined);
      return null;
    }
  }
}
