import { Injectable, type CallHandler, type ExecutionContext, type NestInterceptor } from '@nestjs/common';
import { map, type Observable } from 'rxjs';
import { formatCsv } from '../shared/report-output.js';
import { csvTableOf } from './dashboard-csv.js';

/** Enough of Express' and Fastify's replies to set a header. */
interface ReplyLike {
  header?(name: string, value: string): unknown;
  setHeader?(name: string, value: string): unknown;
}

/** The query parameter asking a JSON endpoint for its CSV download instead. @internal */
export const CSV_QUERY = { format: 'csv' } as const;

/**
 * Answers a dashboard JSON endpoint as a CSV download when asked `?format=csv`, so every
 * chart and table has both from one handler. The file is named after the endpoint's last
 * path segment.
 *
 * @internal
 */
@Injectable()
export class DashboardCsvInterceptor implements NestInterceptor {
  intercept(context: ExecutionContext, next: CallHandler): Observable<unknown> {
    const http = context.switchToHttp();
    const request = http.getRequest<{ query?: Record<string, unknown>; originalUrl?: string; url: string }>();
    if (request.query?.format !== CSV_QUERY.format) return next.handle();
    const reply = http.getResponse<ReplyLike>();
    const name = (request.originalUrl ?? request.url).split('?')[0].split('/').filter(Boolean).pop() ?? 'data';
    return next.handle().pipe(
      map((data) => {
        // Pages and assets answer text: only JSON data has a CSV form.
        if (typeof data !== 'object' || data === null) return data;
        for (const [header, value] of [
          ['content-type', 'text/csv; charset=utf-8'],
          ['content-disposition', `attachment; filename="${name.replace(/[^\w.-]/g, '_')}.csv"`],
        ]) {
          if (reply.header) reply.header(header, value);
          else reply.setHeader?.(header, value);
        }
        return formatCsv(csvTableOf(data));
      }),
    );
  }
}
