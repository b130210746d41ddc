import type { LoggerService } from '@nestjs/common';

/**
 * Logs a recurring warning at most once per interval, so a Redis outage under load
 * costs a few log lines, not one per request. Occurrences in between are counted
 * and reported with the next line (or by a timer at the end of the interval, which
 * never keeps the process alive).
 *
 * @internal
 */
export class RateLimitedWarning {
  private nextAllowedAt = 0;
  private suppressed = 0;
  private lastMessage = '';
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly logger: LoggerService,
    private readonly intervalMs: number,
  ) {}

  /** Records one occurrence described by `message`; logs now if the interval has passed. */
  warn(message: string): void {
    const now = Date.now();
    this.lastMessage = message;
    if (now >= this.nextAllowedAt) {
      this.emit(now);
      return;
    }
    this.suppressed++;
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        if (this.suppressed > 0) this.emit(Date.now());
      }, this.nextAllowedAt - now);
      this.timer.unref();
    }
  }

  /** Stops the pending summary timer. */
  dispose(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }

  private emit(now: number): void {
    const more = this.suppressed > 0 ? ` (${this.suppressed} more like this in the last ${Math.round(this.intervalMs / 1000)} s)` : '';
    this.suppressed = 0;
    this.nextAllowedAt = now + this.intervalMs;
    this.logger.warn(`${this.lastMessage}${more}`);
  }
}
