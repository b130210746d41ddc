import { describe, expect, it } from '@jest/globals';
import { ExecutionContextHost } from '@nestjs/core/helpers/execution-context-host.js';
import { SOUVENIRS_DEFAULTS } from '../../../lib/souvenirs.options.js';
import { requestUser } from '../../../lib/tracking/request-user.js';

/** An HTTP execution context whose request is `request` (Nest's own, as the interceptor gets it). */
const contextOf = (request: unknown) => new ExecutionContextHost([request, {}, () => undefined]);

describe('requestUser and the default track.userId', () => {
  it.each([
    ['Express, or Fastify after a guard: req.user', { user: { id: 7 } }, 7],
    ['Fastify after middleware: req.raw.user', { raw: { user: { id: 'ann' } } }, 'ann'],
    ['a JWT payload: sub', { raw: { user: { sub: 'auth0|1' } } }, 'auth0|1'],
    ['req.user wins over req.raw.user', { user: { id: 1 }, raw: { user: { id: 2 } } }, 1],
    ['nobody signed in', { raw: {} }, undefined],
    ['a user without a usable id', { user: { id: { nested: true } } }, undefined],
  ])('%s', (_case, request, id) => {
    expect(SOUVENIRS_DEFAULTS.track.userId(contextOf(request))).toBe(id);
  });

  it.each([undefined, null, 'request', 42])('finds no user on %j', (request) => {
    expect(requestUser(request)).toBeUndefined();
  });
});
