import { Controller, Get, Query } from '@nestjs/common';
import { ActivityService, NoTrack, ReportsService, type RetentionCohort, type UsageRow } from 'nestjs-souvenirs';

@Controller()
export class AppController {
  constructor(
    private readonly activity: ActivityService,
    private readonly reports: ReportsService,
  ) {}

  /** A page users visit: tracked. */
  @Get('hello')
  hello(): { hello: string } {
    return { hello: 'world' };
  }

  /** What an admin asks: not tracked. */
  @NoTrack()
  @Get('stats/count')
  async count(): Promise<{ active: number }> {
    return { active: await this.activity.countActiveUsers() };
  }

  @NoTrack()
  @Get('stats/usage')
  usage(@Query('start') start: string): Promise<UsageRow[]> {
    return this.reports.calendarMonthlyUsage({ start: new Date(start) });
  }

  /** Daily cohorts: the first-activity queries. */
  @NoTrack()
  @Get('stats/retention')
  retention(@Query('start') start: string): Promise<RetentionCohort[]> {
    return this.reports.retention({ start: new Date(start), period: 'day' });
  }

  /** One past visit recorded twice with `checkDuplicate`: the stored-souvenirs lookup. */
  @NoTrack()
  @Get('stats/import')
  async import(): Promise<string[]> {
    const when = new Date('2026-01-15T12:00:00Z');
    const once = { when, ratelimit: false, checkDuplicate: true };
    return [await this.activity.souvenez(3, once), await this.activity.souvenez(3, once)];
  }
}
