import { Catch, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { HttpAdapterHost } from '@nestjs/core';
import { StoreUnavailableError } from '../errors/store-unavailable.error.js';
import { RateLimitedWarning } from '../shared/rate-limited-warning.js';

/**
 * What `Retry-After` tells a client (a dashboard, a Prometheus scraper) while the
 * store is unreachable, in seconds: a Redis restart or a Cluster failover is over
 * in a few seconds, and the client reconnects within 2 s of its return.
 * @internal
 */
export const STORE_UNAVAILABLE_RETRY_AFTER_SECONDS = 5;

/** The body of the 503: fixed words, so no driver message (host names, ports) reaches an HTTP client. */
const BODY = JSON.stringify({
  statusCode: 503,
  error: 'Service Unavailable',
  message: 'The souvenirs store is unreachable; retry later.',
});

/**
 * Answers a request of the routes the module mounts (the dashboard, the Prometheus
 * endpoint) that failed because the store is unreachable: 503 with `Retry-After`,
 * a small JSON body of fixed words (no stack, no driver text) with the headers that
 * match it, through the HTTP adapter, so Express and Fastify answer alike. The
 * error itself is logged, at most once per 10 s, with its cause.
 * @internal
 */
@Catch(StoreUnavailableError)
export class StoreUnavailableFilter implements ExceptionFilter<StoreUnavailableError> {
  private static readonly warning = new RateLimitedWarning(new Logger('Souvenirs'), 10_000);

  constructor(private readonly adapterHost: HttpAdapterHost) {}

  catch(error: StoreUnavailableError, host: ArgumentsHost): void {
    StoreUnavailableFilter.warning.warn(`Answered 503: ${error.message}`);
    const response: unknown = host.switchToHttp().getResponse();
    const adapter = this.adapterHost.httpAdapter;
    adapter.setHeader(response, 'Retry-After', String(STORE_UNAVAILABLE_RETRY_AFTER_SECONDS));
    adapter.setHeader(response, 'Cache-Control', 'no-store');
    adapter.setHeader(response, 'Content-Type', 'application/json; charset=utf-8');
    adapter.reply(response, BODY, 503);
  }
}
