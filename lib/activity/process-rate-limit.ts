import { withinRateLimit } from '../store/rate-limit-window.js';

/** Most users remembered at once: past it the oldest entry is dropped (bounded memory). */
export const PROCESS_RATE_LIMIT_MAX_USERS = 100_000;

/** A claim granted by {@link ProcessRateLimit.claim}, to hand back to `release` if the write fails. */
export interface ProcessClaim {
  readonly userId: string;
  readonly whenMs: number;
  /** The user's last written `when` before this claim, or `null` for none. */
  readonly previousMs: number | null;
}

interface Entry {
  /** `when` (epoch ms) of the user's last row written by this process under this limit. */
  readonly lastMs: number;
  /** The limit that row was written under. */
  readonly limitMs: number;
  /** Wall-clock epoch ms after which the entry no longer matters and may be dropped. */
  readonly expiresAt: number;
}

/**
 * The rate limit of one process, standing in for the store's shared claim while the
 * store (Redis) cannot be reached: at most one row per user per window in this
 * process. The same rule as the shared claim ({@link withinRateLimit}, on event time:
 * `when` is refused when `when` < last written `when` + limit), kept in a Map that forgets entries whose
 * window is over by the wall clock and never holds more than
 * {@link PROCESS_RATE_LIMIT_MAX_USERS} users (the oldest written goes first).
 *
 * It holds only rows written while the store was down, so once the store is back it
 * still refuses this process a second row in a window it already wrote during the
 * outage, and is otherwise empty.
 *
 * Every method is synchronous, so each call is atomic within the process.
 *
 * @internal
 */
export class ProcessRateLimit {
  /** userId → entry; Map order is write order, so the first entry is the oldest. */
  private readonly entries = new Map<string, Entry>();

  constructor(private readonly maxUsers = PROCESS_RATE_LIMIT_MAX_USERS) {}

  /** How many users are remembered (expired ones not yet dropped included). */
  get size(): number {
    return this.entries.size;
  }

  /** Whether this process already wrote `userId`'s row for a window containing `whenMs`. */
  refuses(userId: string, whenMs: number, nowMs = Date.now()): boolean {
    const entry = this.live(userId, nowMs);
    return entry !== undefined && withinRateLimit(whenMs, entry.lastMs, entry.limitMs);
  }

  /**
   * Claims `userId`'s window at `whenMs` in this process: `null` when refused (see
   * the class), else a claim to release if the row cannot be written.
   */
  claim(userId: string, whenMs: number, limitMs: number, nowMs = Date.now()): ProcessClaim | null {
    const entry = this.live(userId, nowMs);
    if (entry !== undefined && withinRateLimit(whenMs, entry.lastMs, limitMs)) return null;
    this.write(userId, { lastMs: whenMs, limitMs, expiresAt: nowMs + limitMs });
    return { userId, whenMs, previousMs: entry?.lastMs ?? null };
  }

  /** Gives back a claim whose write failed, so the user's next call may write the row. */
  release(claim: ProcessClaim, limitMs: number, nowMs = Date.now()): void {
    const entry = this.live(claim.userId, nowMs);
    // A later claim took over: leave it.
    if (entry === undefined || entry.lastMs !== claim.whenMs) return;
    if (claim.previousMs === null) this.entries.delete(claim.userId);
    else this.write(claim.userId, { lastMs: claim.previousMs, limitMs, expiresAt: nowMs + limitMs });
  }

  /** Drops the window of a forgotten user. */
  forget(userId: string): void {
    this.entries.delete(userId);
  }

  private live(userId: string, nowMs: number): Entry | undefined {
    const entry = this.entries.get(userId);
    if (entry === undefined || entry.expiresAt > nowMs) return entry;
    this.entries.delete(userId);
    return undefined;
  }

  private write(userId: string, entry: Entry): void {
    // Delete first so the user moves to the end of the write order.
    this.entries.delete(userId);
    this.entries.set(userId, entry);
    this.evict(entry.expiresAt - entry.limitMs);
  }

  /** Drops expired entries from the oldest end, then the oldest live ones past the bound. */
  private evict(nowMs: number): void {
    for (const [userId, entry] of this.entries) {
      if (entry.expiresAt > nowMs && this.entries.size <= this.maxUsers) break;
      this.entries.delete(userId);
    }
  }
}
