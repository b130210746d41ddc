import { Controller, Get, Query } from '@nestjs/common';
import { ActivityService, NoTrack, ReportsService, type UsageRow } from 'nestjs-souvenirs';

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
}
