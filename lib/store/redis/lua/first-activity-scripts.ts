import { UnexpectedStoreReplyError } from '../../../errors/unexpected-store-reply.error.js';
import { FIRST_DAY_OFFSET } from '../../first-activity-arguments.js';
import type { FirstActivityWindow } from '../../first-activity.interface.js';
import { LOWER_FIRST_DAY, NUMBER_OF } from './index-lua-functions.js';
import type { RedisScript } from './redis-scripts.js';
import { UserBitset } from '../../../shared/user-bitset.js';

/**
 * First activity in Redis: `{activity}:first:<calendar>`, one string per calendar
 * (the same hash tag as the index, so every script stays on one Cluster node),
 * read as 32-bit unsigned integers (BITFIELD u32 #n, big-endian): slot n holds
 * the first active day of user number n (the index's `{activity}:numbers`) plus
 * FIRST_DAY_OFFSET, 0 when unknown; slot 0 holds 1 when the calendar is complete
 * (built from SQL). A flush drops the days and the mark together. 4 bytes per
 * user number: 4 MB per million users. No expiry: a first day never moves on.
 */

/** The value a day ref asks the scripts to lower first days to: '0' when it carries none. @internal */
export function firstDayArgument(day: { readonly firstActivity?: { readonly day: number } }): string {
  return day.firstActivity ? String(day.firstActivity.day + FIRST_DAY_OFFSET) : '0';
}

/**
 * KEYS[1]: numbers, KEYS[2]: the calendar's first string. ARGV[1]: flags, 'c' to
 * clear the calendar first, 'm' to mark it complete after; ARGV[2..]: user id, day
 * (offset) pairs, each replacing the user's first day. Returns 1.
 *
 * @internal
 */
export const ADD_FIRST_ACTIVITY_SCRIPT: RedisScript = {
  name: 'souvenirsAddFirstActivity',
  numberOfKeys: 2,
  lua: `${NUMBER_OF}
numbering(KEYS[1])
if string.find(ARGV[1], 'c', 1, true) then redis.call('DEL', KEYS[2]) end
for i = 2, #ARGV - 1, 2 do
  redis.call('BITFIELD', KEYS[2], 'SET', 'u32', '#' .. numberOf(KEYS[1], ARGV[i]), ARGV[i + 1])
end
if string.find(ARGV[1], 'm', 1, true) then
  redis.call('BITFIELD', KEYS[2], 'SET', 'u32', '#0', 1)
  redis.call('SADD', string.sub(KEYS[1], 1, #KEYS[1] - #'numbers') .. 'numbered', KEYS[2])
end
return 1
`,
};

/**
 * KEYS[1]: a calendar's first string, KEYS[2]: builds. Clears its completeness
 * mark (a missing string stays missing) and drops its build under way. Returns 1.
 *
 * @internal
 */
export const INVALIDATE_FIRST_ACTIVITY_SCRIPT: RedisScript = {
  name: 'souvenirsInvalidateFirstActivity',
  numberOfKeys: 2,
  lua: `
if redis.call('EXISTS', KEYS[1]) == 1 then redis.call('BITFIELD', KEYS[1], 'SET', 'u32', '#0', 0) end
local build = redis.call('HGET', KEYS[2], KEYS[1])
if build then
  redis.call('DEL', build)
  redis.call('HDEL', KEYS[2], KEYS[1])
end
return 1
`,
};

/**
 * KEYS[1]: numbers, KEYS[2]: builds, KEYS[3]: the calendar's first string,
 * KEYS[4]: its build (see BEGIN_BUILDS_SCRIPT). ARGV[1]: '1' to swap the build in
 * after, ARGV[2]: the build's lifetime (ms), ARGV[3..]: user id, day (offset)
 * pairs from SQL, each LOWERING the user's day in the build (a row committed
 * meanwhile may have put an earlier one there). Only while KEYS[4] is still the
 * registered build with its mark; then returns 1, else writes nothing and returns 0.
 *
 * @internal
 */
export const WRITE_FIRST_BUILD_SCRIPT: RedisScript = {
  name: 'souvenirsWriteFirstBuild',
  numberOfKeys: 4,
  lua: `${NUMBER_OF}${LOWER_FIRST_DAY}
numbering(KEYS[1])
if redis.call('HGET', KEYS[2], KEYS[3]) ~= KEYS[4] or redis.call('BITFIELD', KEYS[4], 'GET', 'u32', '#0')[1] ~= 1 then return 0 end
for i = 3, #ARGV - 1, 2 do
  lowerFirstDay(KEYS[4], numberOf(KEYS[1], ARGV[i]), tonumber(ARGV[i + 1]))
end
if ARGV[1] == '1' then
  redis.call('RENAME', KEYS[4], KEYS[3])
  redis.call('HDEL', KEYS[2], KEYS[3])
  redis.call('PERSIST', KEYS[3])
  redis.call('SADD', string.sub(KEYS[1], 1, #KEYS[1] - #'numbers') .. 'numbered', KEYS[3])
else
  redis.call('PEXPIRE', KEYS[4], ARGV[2])
end
return 1
`,
};

/**
 * The numbers of the users first active in `window`, from a first string read
 * as it is (a Buffer: empty when missing), or `null` when it is not complete.
 * A pass over 4 bytes per user: a few milliseconds per million users.
 *
 * @internal
 * @throws UnexpectedStoreReplyError for a reply that is not a string of 32-bit slots.
 */
export function parseFirstActive(reply: unknown, window: FirstActivityWindow): UserBitset | null {
  if (!Buffer.isBuffer(reply) || reply.length % 4 !== 0) {
    throw new UnexpectedStoreReplyError('the first-activity read', 'a string of 32-bit slots', reply);
  }
  if (reply.length === 0 || reply.readUInt32BE(0) !== 1) return null;
  const [from, to] = [window.fromDay + FIRST_DAY_OFFSET, window.toDay + FIRST_DAY_OFFSET];
  const users = UserBitset.empty();
  for (let n = 1, at = 4; at < reply.length; n++, at += 4) {
    const day = reply.readUInt32BE(at);
    if (day >= from && day <= to) users.add(n);
  }
  return users;
}
