// 'nestjs-souvenirs/store': what a store author needs to write a `SouvenirsStore` as the
// built-in ones are written. The interface and its token, every type its methods take or
// give, the argument checks both built-in stores run (so a third store accepts and
// rejects exactly what they do), the errors a store throws and which of its failures are worth a retry. The
// built-in stores themselves come from the package root.

// The interface, its token and the flush-id window
export {
  SouvenirsStore,
  FLUSH_ID_TTL_MS,
  type CounterCell,
  type CounterIncrements,
  type KeyIncrements,
  type CounterTemplate,
  type MemberAffix,
  type MemberCounters,
  type RateLimitClaim,
} from './souvenirs-store.interface.js';
export { getSouvenirsStoreToken, InjectSouvenirsStore } from './souvenirs-store.decorators.js';
// A claim's subject: per user and tenant; the user its pending add is for
export { rateLimitSubject, subjectTenant, subjectUser } from './rate-limit-subject.js';

// Optional parts: the active-users index, its members' bitsets, first activity
export type {
  ActiveDayBuildWrite,
  ActiveDayRef,
  ActiveDaysStore,
  ActiveUserForget,
  ActiveUsersAnswer,
  ActiveUsersOfDay,
  ActiveUsersQuery,
} from './active-days.interface.js';
export type { ActiveDayMembers, ActiveDayMembersStore } from './active-day-members.interface.js';
export type { ActiveDayLog, ActiveDayLogWrite, ActiveDayLogsStore, ActiveDayUnions } from './active-day-logs.interface.js';
export type { ActiveDaysAmong, ActiveDaysAmongStore } from './active-days-among.interface.js';
export type { ActiveUsersPerTenant, ActiveUsersPerTenantStore } from './active-users-per-tenant.interface.js';
export { UserBitset } from '../shared/user-bitset.js';
export type {
  FirstActivityBuildWrite,
  FirstActivityDay,
  FirstActivityStore,
  FirstActivityWindow,
  FirstActivityWrite,
} from './first-activity.interface.js';
// A part is kept only with all its methods: what the module checks before using one
export { keepsActiveDayLogs, keepsActiveDays, keepsFirstActivity, readsActiveDayMembers, readsActiveDayUnions, readsActiveDaysAmong, countsActiveUsersPerTenant } from './store-parts.js';

// Argument checks, one per method (each throws InvalidStoreArgumentError before anything is written)
export {
  applyTemplatePart,
  checkCells,
  checkChoices,
  checkClaimArguments,
  checkFlushId,
  checkInteger,
  checkLockArguments,
  checkReleasedClaim,
  checkSubjects,
  checkString,
  checkTemplates,
  checkIncrements,
  type KeyWrite,
} from './store-arguments.js';

// The rate-limit window every claim applies (the Redis scripts keep a copy, checked equal)
export { withinRateLimit } from './rate-limit-window.js';
export {
  checkActiveDay,
  checkActiveDayLog,
  checkActiveDayBuilds,
  checkActiveDayBuildWrites,
  checkActiveQueries,
  checkActiveUsersPerTenantQuery,
  checkActiveUserForget,
  checkActiveWrites,
  checkDayIds,
} from './active-days-arguments.js';
export { checkReadActiveDayUnions, checkReadActiveDays, checkReadActiveDaysAmong } from './active-day-members-arguments.js';
export {
  checkFirstActivityBuildWrite,
  checkFirstActivityCalendar,
  checkFirstActivityDay,
  checkFirstActivityWindow,
  checkFirstActivityWrite,
} from './first-activity-arguments.js';

// Failures: what a store throws, and which of its failures are worth a retry
export { isTransientStoreError } from './transient-store-error.js';
export {
  SouvenirsError,
  InvalidStoreArgumentError,
  UnexpectedStoreReplyError,
  InvalidUserNumberError,
} from '../errors/index.js';
