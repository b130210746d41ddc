import type { CallHandler, ExecutionContext, FactoryProvider, NestInterceptor, Type } from '@nestjs/common';
import { APP_INTERCEPTOR, ModuleRef } from '@nestjs/core';
import type { Observable } from 'rxjs';
import { InvalidOptionError } from '../errors/invalid-option.error.js';
import { SOUVENIRS_OPTIONS } from '../shared/souvenirs-options.token.js';
import { providedOrCreated } from '../shared/provided-or-created.js';
import { SouvenirsInterceptor } from './souvenirs.interceptor.js';

/** The module options the interceptor's providers read (a slice of the resolved options). @internal */
export interface InterceptorProviderSettings {
  /** `false`: a pass-through is registered; else the interceptor class to register. */
  readonly track: { readonly interceptor: Type<SouvenirsInterceptor> } | false;
}

/** Stands in for the interceptor under `track: false`: every request passes through. @internal */
export class PassThroughInterceptor implements NestInterceptor {
  intercept(_context: ExecutionContext, next: CallHandler): Observable<unknown> {
    return next.handle();
  }
}

/**
 * The module's one `SouvenirsInterceptor` (injectable under that class as a token): the
 * `track.interceptor` subclass when given, else the class itself. Under `track: false`
 * it exists but is not registered app-wide, and records nothing.
 *
 * @throws InvalidOptionError when `track.interceptor` is not a `SouvenirsInterceptor` subclass.
 * @internal
 */
export const souvenirsInterceptorInstanceProvider: FactoryProvider<SouvenirsInterceptor> = {
  provide: SouvenirsInterceptor,
  inject: [SOUVENIRS_OPTIONS, ModuleRef],
  useFactory: (options: InterceptorProviderSettings, moduleRef: ModuleRef) => {
    const type = options.track === false ? SouvenirsInterceptor : options.track.interceptor;
    if (type !== SouvenirsInterceptor && !(type.prototype instanceof SouvenirsInterceptor)) {
      throw new InvalidOptionError('track.interceptor', 'a subclass of SouvenirsInterceptor', type);
    }
    // The class itself is this provider's own token: only a subclass can be provided elsewhere.
    return type === SouvenirsInterceptor ? moduleRef.create(type) : providedOrCreated(moduleRef, type);
  },
};

/**
 * Registers that interceptor app-wide, or a pass-through under `track: false` (a
 * factory cannot register nothing, as in nestjs-cls). Only this registration records:
 * a subclass also registered by the application itself would record twice.
 * @internal
 */
export const souvenirsInterceptorProvider: FactoryProvider<NestInterceptor> = {
  provide: APP_INTERCEPTOR,
  inject: [SOUVENIRS_OPTIONS, SouvenirsInterceptor],
  useFactory: (options: InterceptorProviderSettings, interceptor: SouvenirsInterceptor) =>
    options.track === false ? new PassThroughInterceptor() : interceptor,
};
