import type { CanActivate, Type } from '@nestjs/common';

/** The dashboard's mount point and access control. @publicApi */
export interface DashboardOptions {
  /** URL path of the dashboard (default `souvenirs`). */
  path?: string;
  /** A guard protecting every dashboard route. */
  guard?: Type<CanActivate>;
  /** Set to `true` to serve the dashboard without a guard, knowingly. */
  public?: boolean;
}
