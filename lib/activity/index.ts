export { Souvenir } from '../table/souvenir.entity.js';
export { SOUVENIRS_ENTITIES } from '../table/souvenirs-entities.js';
export { SOUVENIRS_MIGRATIONS, CreateSouvenirs1732300000000, WhenAsEpochMilliseconds1764300000000 } from '../table/migrations/index.js';
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
