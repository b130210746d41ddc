import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { performance } from 'node:perf_hooks';
import { Histogram, Registry } from 'prom-client';
import { finalize, type Observable } from 'rxjs';

const registry = new Registry();
const histogram = new Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration',
  labelNames: ['route', 'status'] as const,
  registers: [registry],
});

/** The peer: a prom-client histogram of request durations by route and status shared by bench:http and bench:tracking so both measure the same peer. */
@Injectable()
export class PromHistogramInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const started = performance.now();
    const route = `${context.getClass().name}.${context.getHandler().name}`;
    return next.handle().pipe(
      finalize(() => {
        const status = context.switchToHttp().getResponse<{ statusCode: number }>().statusCode;
        histogram.observe({ route, status: String(status) }, (performance.now() - started) / 1000);
      }),
    );
  }
}
