import type { ActiveDayMembersStore } from './active-day-members.interface.js';
import type { ActiveDaysStore } from './active-days.interface.js';
import type { FirstActivityStore } from './first-activity.interface.js';
import type { ActiveDayLogsStore } from './active-day-logs.interface.js';
import type { ActiveDaysAmongStore } from './active-days-among.interface.js';
import type { ActiveUsersPerTenantStore } from './active-users-per-tenant.interface.js';
import type { SouvenirsStore } from './souvenirs-store.interface.js';

// The optional parts of a `SouvenirsStore`, and which methods make each one: a part is
// kept only when all its methods are there (a store with some of them is read as one
// without the part, and SQL answers). Asked on each use, not once, so a store that
// gains or loses a part at run time is read as it is.

/**
 * Whether `store` keeps the active-users index: `addActiveUsers`, `invalidateActiveDays`,
 * `countActiveUsers`, `beginActiveDayBuilds` and `writeActiveDayBuilds` (a store that cannot
 * rebuild a day into fresh keys could only merge, and is read as one without the index).
 * @publicApi
 */
export function keepsActiveDays(store: SouvenirsStore): store is SouvenirsStore & Required<ActiveDaysStore> {
  return (
    typeof store.addActiveUsers === 'function' &&
    typeof store.invalidateActiveDays === 'function' &&
    typeof store.countActiveUsers === 'function' &&
    typeof store.beginActiveDayBuilds === 'function' &&
    typeof store.writeActiveDayBuilds === 'function'
  );
}

/** Whether `store` also reads the index's days back as bitsets (`readActiveDays`). @publicApi */
export function readsActiveDayMembers(store: SouvenirsStore): store is SouvenirsStore & Required<ActiveDayMembersStore> {
  return typeof store.readActiveDays === 'function';
}

/** Whether `store` keeps day logs (`addActiveDayLog`) and reads them back (`readActiveDays`). @publicApi */
export function keepsActiveDayLogs(store: SouvenirsStore): store is SouvenirsStore & Required<ActiveDayLogsStore> & Required<ActiveDayMembersStore> {
  return typeof store.addActiveDayLog === 'function' && readsActiveDayMembers(store);
}

/** Whether `store` keeps day logs and also unites days itself (`readActiveDayUnions`). @publicApi */
export function readsActiveDayUnions(store: SouvenirsStore): store is SouvenirsStore & Required<ActiveDayLogsStore> & Required<ActiveDayMembersStore> {
  return typeof store.readActiveDayUnions === 'function' && keepsActiveDayLogs(store);
}

/** Whether `store` also intersects the index's days with a subset of users itself (`readActiveDaysAmong`). @publicApi */
export function readsActiveDaysAmong(store: SouvenirsStore): store is SouvenirsStore & Required<ActiveDaysAmongStore> {
  return typeof store.readActiveDaysAmong === 'function';
}

/** Whether `store` also counts its pairs index per tenant itself (`countActiveUsersPerTenant`). @publicApi */
export function countsActiveUsersPerTenant(store: SouvenirsStore): store is SouvenirsStore & Required<ActiveUsersPerTenantStore> {
  return typeof store.countActiveUsersPerTenant === 'function';
}

/** Whether `store` keeps first activity: `addFirstActivity`, `invalidateFirstActivity`, `beginFirstActivityBuild` and `writeFirstActivityBuild`. @publicApi */
export function keepsFirstActivity(store: SouvenirsStore): store is SouvenirsStore & Required<FirstActivityStore> {
  return (
    typeof store.addFirstActivity === 'function' &&
    typeof store.invalidateFirstActivity === 'function' &&
    typeof store.beginFirstActivityBuild === 'function' &&
    typeof store.writeFirstActivityBuild === 'function'
  );
}
