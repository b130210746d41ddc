import type { Type } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';

/**
 * The application's own instance of `type` when some module provides it (with the
 * dependencies it was given there), else a new one Nest builds with its dependencies.
 * How the options that take a class (`store`, `users`, `track.interceptor`) are turned into instances.
 * @internal
 */
export async function providedOrCreated<T>(moduleRef: ModuleRef, type: Type<T>): Promise<T> {
  let provided: unknown;
  try {
    provided = moduleRef.get(type, { strict: false });
  } catch {
    // Not provided anywhere: built below.
  }
  return provided instanceof type ? provided : moduleRef.create(type);
}
