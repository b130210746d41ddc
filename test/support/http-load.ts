import { get as httpGet } from 'node:http';
import { performance } from 'node:perf_hooks';

/** How one request of a load went: its status (0 for a transport error) and how long it took. */
export interface RequestOutcome {
  readonly user: string;
  readonly status: number;
  readonly ms: number;
}

/**
 * GETs `url` as `user` (the fixture app's `x-user-id` header) over a connection
 * closed afterwards; never rejects: a transport error is status 0, so a load can
 * count failed requests rather than stop at the first.
 */
export function getAs(url: string, user: string): Promise<RequestOutcome> {
  const started = performance.now();
  return new Promise((resolve) => {
    const done = (status: number) => resolve({ user, status, ms: performance.now() - started });
    const request = httpGet(url, { agent: false, headers: { 'x-user-id': user }, timeout: 10_000 }, (response) => {
      response.resume();
      response.on('error', () => done(0));
      response.on('end', () => done(response.statusCode ?? 0));
    });
    request.on('timeout', () => request.destroy(new Error('timeout')));
    request.on('error', () => done(0));
  });
}

/**
 * Sends one request per user of `users`, `concurrency` at a time, in order; calls
 * `onProgress(done)` after each, so a test can break something mid-load.
 */
export async function loadAs(
  url: string,
  users: readonly string[],
  concurrency: number,
  onProgress?: (done: number) => Promise<void> | void,
): Promise<RequestOutcome[]> {
  const outcomes: RequestOutcome[] = [];
  let next = 0;
  const worker = async () => {
    while (next < users.length) {
      const user = users[next++];
      outcomes.push(await getAs(url, user));
      await onProgress?.(outcomes.length);
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  return outcomes;
}

/** Requests whose status is not 2xx (transport errors included). */
export function failedRequests(outcomes: readonly RequestOutcome[]): number {
  return outcomes.filter((outcome) => outcome.status < 200 || outcome.status >= 300).length;
}

/** The slowest request of `outcomes`, in ms (0 for none). */
export function slowestMs(outcomes: readonly RequestOutcome[]): number {
  return outcomes.reduce((max, outcome) => Math.max(max, outcome.ms), 0);
}

/** The `q` quantile (0–1) of the request times of `outcomes`, in ms (0 for none). */
export function quantileMs(outcomes: readonly RequestOutcome[], q: number): number {
  const sorted = outcomes.map((outcome) => outcome.ms).sort((a, b) => a - b);
  return sorted.length === 0 ? 0 : sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
}
