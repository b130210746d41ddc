import { Injectable, Logger } from '@nestjs/common';
import { InjectRepository } from '@nestjs/typeorm';
import type { Repository } from 'typeorm';
import { ActiveUsersIndex, type StoredIdSubset } from './active-users.index.js';
import { distinctUsersPerPeriod } from '../table/distinct-users.query.js';
import type { LocalDay } from '../calendar/local-days.js';
import { Souvenir } from '../table/souvenir.entity.js';
import { RateLimitedWarning } from '../shared/rate-limited-warning.js';
import type { ActiveDayMembers } from '../store/active-day-members.interface.js';
import type { FirstActivityWindow } from '../store/first-activity.interface.js';
import { UserBitset } from '../shared/user-bitset.js';
import { usersFirstActiveIn } from '../table/first-activity.query.js';

/** Users as bitsets of small integers, per local day of a window (oldest first), and which of them were first active in the window. @internal */
export interface DayWindow {
  readonly days: readonly UserBitset[];
  /** Users whose first activity ever falls in the window (the others were active before it). */
  readonly newUsers: UserBitset;
}

/**
 * The users of a window of local days, as bitsets, and which of them were first
 * active in it: what every active-user analytic is computed from.
 *
 * Round trips, however long the window: one store read of every day, with first
 * activity when the store keeps it. Days (and first activity) the store does not
 * hold complete are built from SQL by the active-users index, then read again once.
 * A store without first activity asks SQL who was first active in the window (one
 * statement); a store without `readActiveDays` (or one that fails) means the days
 * come from SQL in one statement: slower, never wrong.
 *
 * @internal
 */
@Injectable()
export class ActiveDaySets {
  private readonly logger = new Logger(ActiveDaySets.name);
  private readonly warning = new RateLimitedWarning(this.logger, 60_000);

  constructor(
    @InjectRepository(Souvenir) private readonly repository: Repository<Souvenir>,
    private readonly index: ActiveUsersIndex,
  ) {}

  /**
   * The users of `days` (consecutive local days, oldest first; `null` for a date the
   * zone skipped); `newUsers` only when `firstActivity`. With `within`, only the users
   * of that subset: every set is intersected with the subset's numbers, read with the
   * days (a user of it without a number is in none of them). With `tenant`, the users
   * active in that tenant, and first activity in it, from SQL.
   *
   * @throws BeforeRetentionHorizonError when the first day starts before the retention horizon.
   */
  async read(days: readonly (LocalDay | null)[], firstActivity = true, within?: StoredIdSubset, tenant?: string): Promise<DayWindow> {
    const held = days.filter((day): day is LocalDay => day !== null);
    if (held.length > 0) {
      await this.index.refreshHorizon();
      this.index.checkHorizon(held[0].start);
    }
    if (held.length === 0 || within?.ids.length === 0) return { days: days.map(() => UserBitset.empty()), newUsers: UserBitset.empty() };
    const subset = within?.ids ?? [];
    const members =
      tenant !== undefined
        ? await this.readTenantFromSql(held, subset, tenant, firstActivity)
        : firstActivity
          ? await this.readWithFirstActivity(held, subset)
          : ((await this.readFromStore(held, subset)) ?? (await this.readFromSql(held, subset)));
    const mask = within ? UserBitset.of(members.users.filter((n): n is number => n !== null)) : undefined;
    const kept = (users: UserBitset): UserBitset => (mask ? users.clone().retainAll(mask) : users);
    let at = 0;
    return {
      days: days.map((day) => (day === null ? UserBitset.empty() : kept(members.days[at++]!))),
      newUsers: kept(members.firstActive ?? UserBitset.empty()),
    };
  }

  /**
   * The days, the numbers of `users`, and, as `firstActive`, the users first active in
   * the days: from the store in one read when it keeps first activity, else by asking
   * SQL who they are.
   */
  private async readWithFirstActivity(days: readonly LocalDay[], users: readonly string[]): Promise<ActiveDayMembers> {
    const window = this.index.firstActivityWindow(days[0], days[days.length - 1]);
    const fromStore = window && (await this.readFromStore(days, users, window));
    if (fromStore?.firstActive) return fromStore;
    const firstUsers = await usersFirstActiveIn(this.repository.manager, days[0].start, days[days.length - 1].end);
    const asked = [...firstUsers, ...users];
    const members = (await this.readFromStore(days, asked)) ?? (await this.readFromSql(days, asked));
    const firstNumbers = members.users.slice(0, firstUsers.length);
    return { ...members, users: members.users.slice(firstUsers.length), firstActive: UserBitset.of(firstNumbers.filter((n): n is number => n !== null)) };
  }

  /** The days from the store (see `ActiveUsersIndex.readDays`); `null` when it cannot answer. */
  private async readFromStore(days: readonly LocalDay[], users: readonly string[], first?: FirstActivityWindow): Promise<ActiveDayMembers | null> {
    try {
      return await this.index.readDays(days, users, first);
    } catch (error) {
      this.warning.warn(`Active-user analytics read the days from SQL, the store failed: ${String(error)}`);
      return null;
    }
  }

  /** One tenant's days, the numbers of `users`, and who was first active in the tenant during them (when asked), from SQL. */
  private async readTenantFromSql(days: readonly LocalDay[], users: readonly string[], tenant: string, firstActivity: boolean): Promise<ActiveDayMembers> {
    const firstUsers = firstActivity ? await usersFirstActiveIn(this.repository.manager, days[0].start, days[days.length - 1].end, tenant) : [];
    const members = await this.readFromSql(days, [...firstUsers, ...users], tenant);
    const firstNumbers = members.users.slice(0, firstUsers.length);
    const firstActive = firstActivity ? UserBitset.of(firstNumbers.filter((n): n is number => n !== null)) : undefined;
    return { ...members, users: members.users.slice(firstUsers.length), firstActive };
  }

  /** The days from SQL (of `tenant`'s rows when given), in one statement, numbered here. */
  private async readFromSql(days: readonly LocalDay[], users: readonly string[], tenant: string | null = null): Promise<ActiveDayMembers> {
    const ids = await distinctUsersPerPeriod(this.repository.manager, days.map((day) => [day.start, day.end] as const), tenant);
    const numbers = new Map<string, number>();
    const numberOf = (user: string): number => {
      let n = numbers.get(user);
      if (n === undefined) numbers.set(user, (n = numbers.size + 1));
      return n;
    };
    return {
      days: ids.map((dayUsers) => UserBitset.of(dayUsers.map(numberOf))),
      users: users.map((user) => numbers.get(user) ?? null),
    };
  }
}
