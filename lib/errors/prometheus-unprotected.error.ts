import { SouvenirsError } from './souvenirs.error.js';

/**
 * The `prometheus` option was given without a `guard` and without `public: true`:
 * the endpoint lists every view, exception and axis value counted, so it refuses
 * to start unprotected.
 *
 * @publicApi
 */
export class PrometheusUnprotectedError extends SouvenirsError {
  constructor(readonly path: string) {
    super(
      `The souvenirs Prometheus endpoint at /${path} has no guard: give \`prometheus.guard\` (a CanActivate class, ` +
        'e.g. one checking a bearer token) or, to serve it to anyone who can reach it (a private network), `prometheus.public: true`.',
    );
  }
}
