import { SetMetadata, type CustomDecorator } from '@nestjs/common';
import { TRACK_METADATA } from './tracking.constants.js';
import type { TrackDecoratorOptions, TrackMetadata } from './track-metadata.interface.js';

/**
 * Marks a controller or a handler as tracked. With a metrica name, that metrica is
 * kicked once the handler succeeds, with axis values taken from the request and
 * the result. In `track.mode: 'decorated'` only routes marked so record activity
 * and response time. On a handler it overrides its controller's `@Track()`.
 *
 * @example
 * ```ts
 * @Track('orders', { axes: { plan: (req) => req.query.plan, size: (req, order) => order.items.length } })
 * @Post('orders')
 * create(@Body() body: CreateOrder) { ... }
 * ```
 * @publicApi
 */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const Track = <Req = any, Result = any>(metrica?: string, options: TrackDecoratorOptions<Req, Result> = {}): CustomDecorator<string> =>
  SetMetadata<string, TrackMetadata<Req, Result>>(TRACK_METADATA, { ...options, metrica });
