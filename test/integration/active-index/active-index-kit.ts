import { ActiveDaySets } from '../../../lib/analytics/active-day-sets.js';
import { AnalyticsReports } from '../../../lib/analytics/analytics.reports.js';
import { ActiveUsersIndex } from '../../../lib/active-index/active-users.index.js';
import { ActivityService } from '../../../lib/activity/activity.service.js';
import { Souvenir } from '../../../lib/activity/souvenir.entity.js';
import { ReportsService } from '../../../lib/reports/reports.service.js';
import { resolveAnalyticsOptions } from '../../../lib/analytics/analytics-options.js';
import { resolveActiveIndexOptions } from '../../../lib/active-index/active-index-options.js';
import type { ClockOptions } from '../../../lib/periods/clock-options.js';
import { resolveReportsOptions } from '../../../lib/reports/reports-options.js';
import type { SouvenirsStore } from '../../../lib/storage/souvenirs-store.interface.js';
import type { TestDatabase } from '../../support/databases.js';
import { resolvedOptions } from '../activity/activity-test-kit.js';

/** The services as the module wires them: one index shared by activity and reports. */
export interface IndexedServices {
  activity: ActivityService;
  reports: ReportsService;
  index: ActiveUsersIndex;
}

export function createIndexedServices(
  db: TestDatabase,
  store: SouvenirsStore,
  overrides: ClockOptions & { rateLimitSeconds?: number; weekStart?: number } = {},
): IndexedServices {
  const options = resolvedOptions(overrides);
  const repository = db.dataSource.getRepository(Souvenir);
  const index = new ActiveUsersIndex(repository, store, resolveActiveIndexOptions(overrides));
  return {
    index,
    activity: new ActivityService(repository, store, options, index),
    reports: new ReportsService(
      repository,
      resolveReportsOptions(overrides),
      null,
      index,
      new AnalyticsReports(resolveAnalyticsOptions(overrides), new ActiveDaySets(repository, index)),
    ),
  };
}

/** Distinct users of the stored rows in `[start, end)`: the brute-force model, read back from SQL. */
export async function modelCount(db: TestDatabase, start: Date, end: Date): Promise<number> {
  const rows = await db.dataSource.getRepository(Souvenir).find();
  return new Set(rows.filter((row) => row.when >= start && row.when < end).map((row) => row.userId)).size;
}

/** Inserts rows behind the module's back, as plain SQL would (no index update). */
export async function insertBehindTheBack(db: TestDatabase, rows: { userId: string; when: Date }[]): Promise<void> {
  await db.dataSource.createQueryBuilder().insert().into(Souvenir).values(rows).execute();
}
