import { Controller, Get, NotFoundException, Param, Query } from '@nestjs/common';
import { NoTrack } from '../../../lib/tracking/no-track.decorator.js';
import { Track } from '../../../lib/tracking/track.decorator.js';

/** The fixture routes: plain, with a path parameter, failing two ways, tracked, untracked. */
@Controller()
export class OrdersController {
  @Get('orders')
  index() {
    return { orders: [] };
  }

  @Get('orders/:id')
  show(@Param('id') id: string) {
    return { id };
  }

  @Get('missing')
  missing(): never {
    throw new NotFoundException('no such thing');
  }

  @Get('broken')
  broken(): never {
    throw new Error('kaput');
  }

  @Track<{ query: { plan?: string } }, { size: number }>('orders', {
    axes: { plan: (req) => req.query.plan, size: (_req, result) => result.size },
  })
  @Get('checkout')
  checkout(@Query('size') size: string) {
    return { size: Number(size) };
  }

  @NoTrack()
  @Get('health')
  health() {
    return { ok: true };
  }
}
