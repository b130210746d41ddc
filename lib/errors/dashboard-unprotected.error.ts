import { SouvenirsError } from './souvenirs.error.js';

/**
 * The `dashboard` option was given without a `guard` and without `public: true`:
 * the dashboard shows every user's activity, so it refuses to start unprotected.
 *
 * @publicApi
 */
export class DashboardUnprotectedError extends SouvenirsError {
  constructor(readonly path: string) {
    super(
      `The souvenirs dashboard at /${path} has no guard: give \`dashboard.guard\` (a CanActivate class, ` +
        'e.g. your admin guard) or, to serve it to anyone who can reach it, `dashboard.public: true`.',
    );
  }
}
