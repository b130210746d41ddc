export { Souvenir } from './souvenir.entity.js';
export { SOUVENIRS_ENTITIES } from './souvenirs-entities.js';
export { SOUVENIRS_MIGRATIONS, CreateSouvenirs1732300000000, WhenAsEpochMilliseconds1764300000000 } from './migrations/index.js';
export type { UserRef } from './user-ref.js';
export {
  ActivityService,
  type ActivityRange,
  type BackfillEntry,
  type BackfillOptions,
  type BackfillResult,
  type ReindexOptions,
  type SouvenezOptions,
  type SouvenezResult,
} from './activity.service.js';
