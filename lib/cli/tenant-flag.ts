import type { INestApplicationContext } from '@nestjs/common';
import { CliUsageError } from '../errors/cli-usage.error.js';
import { SouvenirsError } from '../errors/souvenirs.error.js';
import { ReportsService, type TenantReports } from '../reports/reports.service.js';

/** `--tenant ID`, shared by `show-usage` and the analytics commands. @internal */
export const TENANT_OPTION = { tenant: { type: 'string' } } as const;

/** The help line of `--tenant`, aligned with the other options. @internal */
export const TENANT_HELP = "  --tenant ID                only that tenant's activity (and its users, with users.tenant)\n";

/**
 * The reports a command runs: the application's `ReportsService`, or its reports for
 * `tenant` when `--tenant` was given.
 *
 * @throws CliUsageError for a tenant the reports refuse (empty, too long).
 * @internal
 */
export function reportsFor(context: INestApplicationContext, tenant: string | undefined): TenantReports {
  const reports = context.get(ReportsService, { strict: false });
  if (tenant === undefined) return reports;
  try {
    return reports.forTenant(tenant);
  } catch (error) {
    if (error instanceof SouvenirsError) throw new CliUsageError(`--tenant: ${error.message}`);
    throw error;
  }
}
