import { Inject, Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ActiveUsersIndex } from '../active-index/active-users.index.js';
import { distinctUsersPerPeriod } from '../active-index/distinct-users.query.js';
import type { LocalDay } from '../active-index/local-days.js';
import { Souvenir } from '../activity/souvenir.entity.js';
import { RateLimitedWarning } from '../metricas/rate-limited-warning.js';
import type { ActiveDayMembers } from '../storage/active-day-members.interface.js';
import type { FirstActivityWindow } from '../storage/first-activity.interface.js';
import { SouvenirsStore } from '../storage/souvenirs-store.interface.js';
import type { DayWindow } from './analytics-computations.js';
import { usersFirstActiveIn } from './first-activity.query.js';

/**
 * The users of a window of local days, as sets, and which of them were first
 * active in it: what every active-user analytic is computed from.
 *
 * Round trips, however long the window: one store read of every day, with the
 * users first active in the window in the same read (see first-activity.ts in
 * the active-users index). Days or first activity the store does not hold
 * complete are built from SQL by the index, then read again once. A store without
 * first activity (or whose first activity stays incomplete) adds one SQL
 * statement for it; a store without `readActiveDays` (or one that fails) means the
 * days come from SQL in one statement: slower, never wrong.
 *
 * @internal
 */
@Injectable()
export class ActiveDaySets {
  private readonly logger = new Logger(ActiveDaySets.name);
  private readonly warning = new RateLimitedWarning(this.logger, 60_000);

  constructor(
    @InjectRepository(Souvenir) private readonly repository: Repository<Souvenir>,
    @Inject(SouvenirsStore) private readonly store: SouvenirsStore,
    private readonly index: ActiveUsersIndex,
  ) {}

  /**
   * The users of `days` (consecutive local days, oldest first; `null` for a date the
   * zone skipped); `newUsers` only when `firstActivity` (it may cost an SQL statement).
   */
  async read(days: readonly (LocalDay | null)[], firstActivity = true): Promise<DayWindow> {
    const held = days.filter((day): day is LocalDay => day !== null);
    if (held.length === 0) return { days: days.map(() => []), newUsers: new Set() };
    const members = firstActivity ? await this.readWithFirstActivity(held) : ((await this.readFromStore(held, [])) ?? (await this.readFromSql(held, [])));
    let at = 0;
    return {
      days: days.map((day) => (day === null ? [] : members.days[at++]!)),
      newUsers: new Set(members.firstActive ?? []),
    };
  }

  /**
   * The days and, as `firstActive`, the users first active in them: from the store
   * in one read when it keeps first activity, else by asking SQL who they are.
   */
  private async readWithFirstActivity(days: readonly LocalDay[]): Promise<ActiveDayMembers> {
    const window = this.index.firstActivityWindow(days[0], days[days.length - 1]);
    const fromStore = window && (await this.readFromStore(days, [], window));
    if (fromStore?.firstActive) return fromStore;
    const firstUsers = await usersFirstActiveIn(this.repository.manager, days[0].start, days[days.length - 1].end);
    const members = (await this.readFromStore(days, firstUsers)) ?? (await this.readFromSql(days, firstUsers));
    return { ...members, firstActive: members.users.filter((n): n is number => n !== null) };
  }

  /**
   * The days from the store (with `first`, first activity too), building what is
   * not complete once; `null` when it cannot answer. First activity may still be
   * `null` in the reply: the caller asks SQL then.
   */
  private async readFromStore(days: readonly LocalDay[], users: readonly string[], first?: FirstActivityWindow): Promise<ActiveDayMembers | null> {
    if (!this.index.enabled || typeof this.store.readActiveDays !== 'function') return null;
    const ids = days.map((day) => this.index.dayIdOf(day));
    try {
      await this.index.settle();
      for (let attempt = 0; attempt < 2; attempt++) {
        const members = await this.store.readActiveDays(ids, users, first);
        const incomplete = days.filter((_, i) => members.days[i] === null);
        const firstMissing = first !== undefined && !members.firstActive;
        if (incomplete.length === 0 && (!firstMissing || attempt === 1)) return members;
        if (attempt === 0) {
          await Promise.all([incomplete.length > 0 && this.index.buildDays(incomplete), firstMissing && this.index.buildFirstActivity()]);
        }
      }
    } catch (error) {
      this.warning.warn(`Active-user analytics read the days from SQL, the store failed: ${String(error)}`);
    }
    return null;
  }

  /** The days from SQL, in one statement, numbered here. */
  private async readFromSql(days: readonly LocalDay[], users: readonly string[]): Promise<ActiveDayMembers> {
    const ids = await distinctUsersPerPeriod(this.repository.manager, days.map((day) => [day.start, day.end] as const));
    const numbers = new Map<string, number>();
    const numberOf = (user: string): number => {
      let n = numbers.get(user);
      if (n === undefined) numbers.set(user, (n = numbers.size + 1));
      return n;
    };
    return {
      days: ids.map((dayUsers) => dayUsers.map(numberOf).sort((a, b) => a - b)),
      users: users.map((user) => numbers.get(user) ?? null),
    };
  }
}
