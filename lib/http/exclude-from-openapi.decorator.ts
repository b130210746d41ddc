import { SetMetadata } from '@nestjs/common';

/**
 * The metadata key `@nestjs/swagger`'s `@ApiExcludeController()` sets (its
 * `DECORATORS.API_EXCLUDE_CONTROLLER`), and its value: `[true]`, read as
 * `Reflect.getMetadata(key, controller)?.[0] === true`. Copied rather than imported, so the
 * package does not depend on `@nestjs/swagger`; `test/e2e/openapi.e2e-spec.ts` builds a
 * document with the real one and fails if it stops reading this key.
 *
 * @internal
 */
export const SWAGGER_EXCLUDE_CONTROLLER = 'swagger/apiExcludeController';

/**
 * Keeps a controller's routes out of the app's OpenAPI document, as `@ApiExcludeController()`
 * does: the dashboard and the Prometheus endpoint are operators' tools, not the app's API.
 * Set on the base controllers, it reaches the per-definition subclasses Nest routes
 * (metadata is read through the prototype chain).
 *
 * @internal
 */
export const ExcludeFromOpenApi = (): ClassDecorator => SetMetadata(SWAGGER_EXCLUDE_CONTROLLER, [true]);
