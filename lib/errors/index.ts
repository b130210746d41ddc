export * from './souvenirs.error.js';
export * from './invalid-option.error.js';
export * from './invalid-date.error.js';
export * from './invalid-range.error.js';
export * from './unknown-time-zone.error.js';
export * from './invalid-user.error.js';
export * from './invalid-rate-limit.error.js';
