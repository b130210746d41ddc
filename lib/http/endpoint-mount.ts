import { Controller, type CanActivate, type Type } from '@nestjs/common';
import { UnprotectedEndpointError } from '../errors/unprotected-endpoint.error.js';

/** The `dashboard` or `prometheus` option as its mount reads it, path filled in. @internal */
export interface EndpointMount {
  readonly path: string;
  readonly guard?: Type<CanActivate>;
  readonly public?: boolean;
}

/**
 * Checks a mounted endpoint is protected and gives `controller` its path
 * (`'/admin/souvenirs/'` → `'admin/souvenirs'`); without the option (`forRootAsync`
 * before its factory gave one) the controller sits at `defaultPath`, where
 * `ConfiguredGuard` answers 404.
 *
 * @throws UnprotectedEndpointError without a guard and without `public: true`
 * @internal
 */
export function mountEndpoint(
  option: 'dashboard' | 'prometheus',
  controller: Type<unknown>,
  mount: EndpointMount | undefined,
  defaultPath: string,
): { path: string } {
  const path = (mount?.path ?? defaultPath).replace(/^\/+|\/+$/g, '');
  if (mount && !mount.guard && mount.public !== true) throw new UnprotectedEndpointError(option, path);
  Controller(path)(controller);
  return { path };
}
