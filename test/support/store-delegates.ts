import type {
  CounterCell,
  CounterIncrements,
  CounterTemplate,
  MemberCounters,
  RateLimitClaim,
  SouvenirsStore,
} from '../../lib/store/souvenirs-store.interface.js';
import { cellCount } from './counter-increments.js';

/**
 * Real stores with a twist, for tests of the code above the store: each forwards
 * every call to a real store, which does the work; they only observe, hold back or
 * fail calls. Not mocks: what is stored is what the real store stored.
 */

/** Counts the calls (and increments) reaching the real store. */
export class CountingStore implements SouvenirsStore {
  readonly calls = { incrementCounters: 0, readCounters: 0, addChoices: 0, getChoices: 0, readCountersOfMembers: 0, readHash: 0 };
  /** How many increments (cells) each `incrementCounters` call carried. */
  readonly incrementSizes: number[] = [];

  constructor(private readonly inner: SouvenirsStore) {}

  claimRateLimit(subject: string, whenMs: number, limitMs: number): Promise<RateLimitClaim | null> {
    return this.inner.claimRateLimit(subject, whenMs, limitMs);
  }

  releaseRateLimit(claim: RateLimitClaim): Promise<void> {
    return this.inner.releaseRateLimit(claim);
  }

  incrementCounters(increments: CounterIncrements, flushId?: string): Promise<void> {
    this.calls.incrementCounters++;
    this.incrementSizes.push(cellCount(increments));
    return this.inner.incrementCounters(increments, flushId);
  }

  readCounters(cells: readonly CounterCell[]): Promise<number[]> {
    this.calls.readCounters++;
    return this.inner.readCounters(cells);
  }

  addChoices(key: string, values: readonly string[], maxChoices?: number): Promise<boolean> {
    this.calls.addChoices++;
    return this.inner.addChoices(key, values, maxChoices);
  }

  getChoices(key: string): Promise<string[]> {
    this.calls.getChoices++;
    return this.inner.getChoices(key);
  }

  readCountersOfMembers(setKey: string, templates: readonly CounterTemplate[]): Promise<MemberCounters> {
    this.calls.readCountersOfMembers++;
    return this.inner.readCountersOfMembers(setKey, templates);
  }

  readHash(key: string): Promise<Array<[string, number]>> {
    this.calls.readHash++;
    return this.inner.readHash(key);
  }

  /** Every call that reached the real store (rate-limit claims aside). */
  get totalCalls(): number {
    return Object.values(this.calls).reduce((sum, count) => sum + count, 0);
  }
}

/**
 * Holds every `incrementCounters` call back until `release()` (as a store that
 * stopped answering would), then lets them through to the real store.
 */
export class WithholdingStore extends CountingStore {
  private released = false;
  private readonly held: Array<() => void> = [];

  override incrementCounters(increments: CounterIncrements, flushId?: string): Promise<void> {
    if (this.released) return super.incrementCounters(increments, flushId);
    return new Promise<void>((resolve, reject) => {
      this.held.push(() => super.incrementCounters(increments, flushId).then(resolve, reject));
    });
  }

  /** How many writes are held back. */
  get heldWrites(): number {
    return this.held.length;
  }

  /** Lets the held writes (and every later one) through. */
  release(): void {
    this.released = true;
    this.held.splice(0).forEach((write) => write());
  }
}

/** Fails every `incrementCounters` call with `error` while `failing` is true. */
export class FailingStore extends CountingStore {
  failing = true;

  constructor(
    inner: SouvenirsStore,
    readonly error: Error = new Error('store unreachable (test)'),
  ) {
    super(inner);
  }

  override incrementCounters(increments: CounterIncrements, flushId?: string): Promise<void> {
    if (this.failing) {
      this.calls.incrementCounters++;
      return Promise.reject(this.error);
    }
    return super.incrementCounters(increments, flushId);
  }
}

/**
 * Loses the next `failures` `incrementCounters` calls as a dropped connection
 * would: `'before'` the real store sees them (not applied), or `'after'` it
 * applied them (the reply is lost). Records the flush ids it saw.
 */
export class FlakyStore extends CountingStore {
  readonly flushIds: Array<string | undefined> = [];

  constructor(
    inner: SouvenirsStore,
    private failures: number,
    private readonly when: 'before' | 'after',
  ) {
    super(inner);
  }

  override async incrementCounters(increments: CounterIncrements, flushId?: string): Promise<void> {
    this.flushIds.push(flushId);
    if (this.failures > 0 && this.when === 'before') {
      this.failures--;
      this.calls.incrementCounters++;
      throw new Error('Connection is closed. (test, before the write)');
    }
    await super.incrementCounters(increments, flushId);
    if (this.failures > 0) {
      this.failures--;
      throw new Error('Connection is closed. (test, reply lost)');
    }
  }
}

/** Loses the next `failures` `addChoices` calls as a dropped connection would (before the real store sees them). */
export class FlakyChoicesStore extends CountingStore {
  constructor(
    inner: SouvenirsStore,
    private failures: number,
  ) {
    super(inner);
  }

  override addChoices(key: string, values: readonly string[], maxChoices?: number): Promise<boolean> {
    if (this.failures > 0) {
      this.failures--;
      this.calls.addChoices++;
      return Promise.reject(new Error('Connection is closed. (test)'));
    }
    return super.addChoices(key, values, maxChoices);
  }
}

/** Fails every `claimRateLimit` call while `failing` is true, as a store that cannot be reached would. */
export class ClaimFailingStore extends CountingStore {
  failing = true;

  override claimRateLimit(subject: string, whenMs: number, limitMs: number): Promise<RateLimitClaim | null> {
    if (this.failing) return Promise.reject(new Error('store unreachable (test)'));
    return super.claimRateLimit(subject, whenMs, limitMs);
  }
}
