import type { UserId } from './request-user.js';

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
  /** userId → until when (epoch ms) its calls are skipped; `Infinity` while one is in flight. */
  private readonly until = new Map<string, number>();

  constructor(private readonly limitMs: number) {}

  /** Whether a call for `user` at `nowMs` may reach the store; if so, marks it in flight. */
  begin(user: UserId, nowMs: number): boolean {
    if (this.limitMs <= 0) return true;
    const key = String(user);
    const until = this.until.get(key);
    if (until !== undefined && until > nowMs) return false;
    if (this.until.size >= MAX_USERS) this.until.clear();
    this.until.set(key, Infinity);
    return true;
  }

  /** Ends the call `begin` allowed: `written` at `whenMs` skips the user until the window ends. */
  end(user: UserId, whenMs: number, written: boolean): void {
    if (this.limitMs <= 0) return;
    const key = String(user);
    if (written) this.until.set(key, whenMs + this.limitMs);
    else this.until.delete(key);
  }
}
