export * from './souvenirs-store.interface.js';
export * from './souvenirs-store.decorators.js';
export * from './transient-store-error.js';
export * from './active-days.interface.js';
export * from './active-day-members.interface.js';
export { UserBitset } from '../shared/user-bitset.js';
export * from './first-activity.interface.js';
