import { NotFoundException, type CanActivate, type ExecutionContext, type Type } from '@nestjs/common';
import type { ModuleRef } from '@nestjs/core';
import { isObservable, lastValueFrom } from 'rxjs';
import { providedOrCreated } from '../shared/provided-or-created.js';

/**
 * Guards the routes the module mounts (the dashboard, the Prometheus endpoint) with
 * the guard their option names, resolved once (the app's own instance when some module
 * provides it, else one Nest builds with its dependencies). A guard answering `false`
 * gives 403, as Nest does. Without the option (possible under `forRootAsync`, where the
 * routes exist before the options are known) every route answers 404. A missing guard
 * without `public: true` never gets here: the app refuses to boot.
 * @internal
 */
export abstract class ConfiguredGuard implements CanActivate {
  private delegate: Promise<CanActivate> | undefined;

  protected constructor(private readonly moduleRef: ModuleRef) {}

  /** The mount's options, or `undefined` when the module was given none. */
  protected abstract mount(): { guard?: Type<CanActivate> } | undefined;

  async canActivate(context: ExecutionContext): Promise<boolean> {
    const mount = this.mount();
    if (!mount) throw new NotFoundException();
    if (!mount.guard) return true;
    this.delegate ??= providedOrCreated(this.moduleRef, mount.guard);
    const answer = (await this.delegate).canActivate(context);
    return Boolean(isObservable(answer) ? await lastValueFrom(answer) : await answer);
  }
}
