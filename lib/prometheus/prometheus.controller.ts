import { Get, Header, StreamableFile, UseFilters, UseGuards } from '@nestjs/common';
import { StoreUnavailableFilter } from '../http/store-unavailable.filter.js';
import { Readable } from 'node:stream';
import { NoTrack } from '../tracking/no-track.decorator.js';
import { ExcludeFromOpenApi } from '../http/exclude-from-openapi.decorator.js';
import { PROMETHEUS_CONTENT_TYPE } from './prometheus-exposition.js';
import { PrometheusGuard } from './prometheus.guard.js';
import { PrometheusService } from './prometheus.service.js';

/**
 * `GET <prometheus.path>`: the text exposition. Without a path of its own: each
 * SouvenirsModule definition subclasses it and gives the subclass
 * `@Controller(path)` once the options are resolved (see `withPrometheus`).
 * `@NoTrack()`: scrapes every few seconds would swamp `response_time`.
 * The answer is streamed chunk by chunk (Express and Fastify both pipe a
 * `StreamableFile`): no multi-MB string is ever built for a scrape.
 * @internal
 */
@NoTrack()
@ExcludeFromOpenApi()
@UseGuards(PrometheusGuard)
@UseFilters(StoreUnavailableFilter)
export class PrometheusController {
  constructor(private readonly prometheus: PrometheusService) {}

  @Get()
  @Header('Content-Type', PROMETHEUS_CONTENT_TYPE)
  @Header('Cache-Control', 'no-store')
  async scrape(): Promise<StreamableFile> {
    const chunks = await this.prometheus.scrapeChunks();
    return new StreamableFile(Readable.from(chunks, { objectMode: false }), { type: PROMETHEUS_CONTENT_TYPE });
  }
}
