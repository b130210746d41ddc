export { Track } from './track.decorator.js';
export { NoTrack } from './no-track.decorator.js';
export { SouvenirsInterceptor } from './souvenirs.interceptor.js';
export { TrackingRecorder } from './tracking-recorder.js';
export type { TrackAxisResolver, TrackDecoratorOptions, TrackMetadata } from './track-metadata.interface.js';
export { requestUser, type RequestUser } from './request-user.js';
