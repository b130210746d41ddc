import type { UserId } from './request-user.js';
import { withinRateLimit } from '../store/rate-limit-window.js';
import { rateLimitSubject } from '../store/rate-limit-subject.js';

/** Most users remembered at once; past it the memory starts over (costing one store call per user). */
const MAX_USERS = 50_000;

/**
 * Which users this process recorded within the rate-limit window, so the
 * `TrackingRecorder` skips `souvenez` calls the store would refuse anyway: after this
 * process wrote a user's activity at `when`, every call before `when + limit` is
 * rate-limited by definition, so skipping it changes nothing but the cost (one
 * Redis round trip per request). Users another process recorded still go to the
 * store, which decides. A call in flight also holds back the user's next ones.
 *
 * @internal
 */
export class RecentActivity {
  /**
   * rate-limit subject (user and tenant) → `when` (epoch ms) of its row this process wrote last: calls within that
   * row's window are skipped. `Infinity` while one is in flight (every call is within).
   */
  private readonly last = new Map<string, number>();

  constructor(private readonly limitMs: number) {}

  /** Whether a call for `user` in `tenant` at `nowMs` may reach the store; if so, marks it in flight. */
  begin(user: UserId, tenant: string | null, nowMs: number): boolean {
    if (this.limitMs <= 0) return true;
    const key = rateLimitSubject(String(user), tenant);
    const last = this.last.get(key);
    if (last !== undefined && withinRateLimit(nowMs, last, this.limitMs)) return false;
    if (this.last.size >= MAX_USERS) this.last.clear();
    this.last.set(key, Infinity);
    return true;
  }

  /** Ends the call `begin` allowed: `written` at `whenMs` skips the user until the window ends. */
  end(user: UserId, tenant: string | null, whenMs: number, written: boolean): void {
    if (this.limitMs <= 0) return;
    const key = rateLimitSubject(String(user), tenant);
    if (written) this.last.set(key, whenMs);
    else this.last.delete(key);
  }
}
