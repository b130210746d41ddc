import { SetMetadata, type CustomDecorator } from '@nestjs/common';
import { NO_TRACK_METADATA } from './tracking.constants.js';

/**
 * Excludes a controller or a handler from tracking: no activity, no response time,
 * no `@Track()` kick. Health checks and metrics endpoints are typical.
 *
 * @example
 * ```ts
 * @NoTrack()
 * @Get('health')
 * health() { return 'ok'; }
 * ```
 * @publicApi
 */
export const NoTrack = (): CustomDecorator<string> => SetMetadata(NO_TRACK_METADATA, true);
