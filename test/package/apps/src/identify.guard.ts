import { type CanActivate, type ExecutionContext, Injectable } from '@nestjs/common';

/**
 * Signs a request in as the user its `x-user` header names, as an app's auth guard sets
 * `request.user`. A guard, not a middleware: Fastify's middleware sees the raw request,
 * not the one interceptors get.
 */
@Injectable()
export class IdentifyGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const request = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined>; user?: { id: number } }>();
    const id = request.headers['x-user'];
    if (id) request.user = { id: Number(id) };
    return true;
  }
}
