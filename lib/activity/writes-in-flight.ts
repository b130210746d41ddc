/**
 * At most `limit` writes running side by side, finished in the order they were
 * started: `start` returns once fewer than `limit` are running (finishing the oldest),
 * so the caller prepares the next write while the others run, and each write's
 * result goes to `onFinished` in start order, so what callers report stays
 * monotone even when a later write completes first.
 *
 * A failed write (or a throwing `onFinished`) stops the line: the call that finishes
 * it (`start` or `finishAll`) rejects with its error, `stopped` becomes true, and
 * `onFinished` is called for no write after it.
 * `settle` then waits for the writes still running, whatever their outcome.
 *
 * @internal
 */
export class WritesInFlight<T> {
  private readonly running: Promise<T>[] = [];
  /** Whether finishing a write failed (the write, or `onFinished`): nothing more is finished. */
  stopped = false;

  constructor(
    private readonly limit: number,
    private readonly onFinished: (result: T) => void,
  ) {}

  /**
   * Starts `write`, then, while `limit` writes are running, finishes the oldest: with a
   * limit of 1 each write is finished before the caller goes on. Rejects if one failed.
   */
  async start(write: () => Promise<T>): Promise<void> {
    const running = write();
    // Awaited in start order by finishOldest or settle; until then its rejection is not "unhandled".
    running.catch(() => {});
    this.running.push(running);
    while (this.running.length >= this.limit) await this.finishOldest();
  }

  /** Finishes every write started, in order; rejects with the first failure. */
  async finishAll(): Promise<void> {
    while (this.running.length > 0) await this.finishOldest();
  }

  /** Waits until no write is running, ignoring outcomes (after a failure). */
  async settle(): Promise<void> {
    await Promise.allSettled(this.running);
  }

  private async finishOldest(): Promise<void> {
    if (this.stopped) throw new Error('WritesInFlight: a write failed, nothing more is finished');
    try {
      const result = await this.running[0];
      this.running.shift();
      this.onFinished(result);
    } catch (error) {
      this.stopped = true;
      throw error;
    }
  }
}
