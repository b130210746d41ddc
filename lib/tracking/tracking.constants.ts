/** Metadata key of `@Track()`. @internal */
export const TRACK_METADATA = 'souvenirs:track';
/** Metadata key of `@NoTrack()`. @internal */
export const NO_TRACK_METADATA = 'souvenirs:no-track';
// Its home is the metricas' Prometheus naming, which exports it in seconds and must know it when define() checks names.
export { RESPONSE_TIME_METRICA } from '../metricas/definition/prometheus-family.js';
