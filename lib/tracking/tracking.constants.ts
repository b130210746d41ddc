/** Metadata key of `@Track()`. @internal */
export const TRACK_METADATA = 'souvenirs:track';
/** Metadata key of `@NoTrack()`. @internal */
export const NO_TRACK_METADATA = 'souvenirs:no-track';
/** Name of the built-in response-time metrica. @publicApi */
export const RESPONSE_TIME_METRICA = 'response_time';
