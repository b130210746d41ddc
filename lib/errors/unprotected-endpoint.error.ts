import { SouvenirsError } from './souvenirs.error.js';

/** What each protectable endpoint exposes, and the guard its fix suggests. */
const ENDPOINTS = {
  dashboard: { name: 'dashboard', guardExample: 'e.g. your admin guard', publicWhen: '' },
  prometheus: { name: 'Prometheus endpoint', guardExample: 'e.g. one checking a bearer token', publicWhen: ' (a private network)' },
} as const;

/**
 * The `dashboard` or `prometheus` option was given without a `guard` and without
 * `public: true`: the dashboard shows every user's activity, the Prometheus endpoint
 * lists every view, exception and axis value counted, so neither starts unprotected.
 * Thrown at boot; the fix is the same for both: give the option a guard, or say
 * `public: true` knowingly.
 *
 * @publicApi
 */
export class UnprotectedEndpointError extends SouvenirsError {
  constructor(
    /** The option that mounts the endpoint. */
    readonly option: 'dashboard' | 'prometheus',
    /** Where it would have been served, without slashes (e.g. `souvenirs`). */
    readonly path: string,
  ) {
    const { name, guardExample, publicWhen } = ENDPOINTS[option];
    super(
      `The souvenirs ${name} at /${path} has no guard: give \`${option}.guard\` (a CanActivate class, ` +
        `${guardExample}) or, to serve it to anyone who can reach it${publicWhen}, \`${option}.public: true\`.`,
    );
  }
}
