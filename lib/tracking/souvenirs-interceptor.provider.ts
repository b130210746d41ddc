import type { CallHandler, ExecutionContext, FactoryProvider, NestInterceptor } from '@nestjs/common';
import { APP_INTERCEPTOR } from '@nestjs/core';
import type { Observable } from 'rxjs';
import type { ResolvedSouvenirsOptions } from '../souvenirs-options.defaults.js';
import { SOUVENIRS_RESOLVED_OPTIONS } from '../souvenirs.internal-constants.js';
import { SouvenirsInterceptor } from './souvenirs.interceptor.js';

/** Stands in for the interceptor under `track: false`: every request passes through. @internal */
export class PassThroughInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle();
  }
}

/**
 * Registers `SouvenirsInterceptor` app-wide, or a pass-through under `track: false`
 * (a factory cannot register nothing, as in nestjs-cls).
 * @internal
 */
export const souvenirsInterceptorProvider: FactoryProvider<NestInterceptor> = {
  provide: APP_INTERCEPTOR,
  inject: [SOUVENIRS_RESOLVED_OPTIONS, SouvenirsInterceptor],
  useFactory: (options: ResolvedSouvenirsOptions, interceptor: SouvenirsInterceptor) =>
    options.track === false ? new PassThroughInterceptor() : interceptor,
};
