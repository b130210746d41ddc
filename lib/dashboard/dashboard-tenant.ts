import { BadRequestException } from '@nestjs/common';
import { SouvenirsError } from '../errors/souvenirs.error.js';
import type { ReportsService, TenantReports } from '../reports/reports.service.js';
import type { QueryValue } from './dashboard-query.js';

/**
 * `?tenant=`, which scopes every page and data endpoint of the dashboard to one
 * tenant: absent or empty, the whole site.
 * @throws BadRequestException (400) when given more than once
 * @internal
 */
export function tenantParam(value: QueryValue): string | undefined {
  if (Array.isArray(value)) throw new BadRequestException('Query parameter `tenant` was given more than once; give it once.');
  return value === undefined || value === '' ? undefined : value;
}

/**
 * The reports a dashboard request reads: site-wide, or `tenant`'s.
 * @throws BadRequestException (400) for a tenant the reports refuse (too long, NUL)
 * @internal
 */
export function reportsOf(reports: ReportsService, tenant: string | undefined): TenantReports {
  if (tenant === undefined) return reports;
  try {
    return reports.forTenant(tenant);
  } catch (error) {
    if (error instanceof SouvenirsError) throw new BadRequestException(`Query parameter \`tenant\`: ${error.message}`);
    throw error;
  }
}
