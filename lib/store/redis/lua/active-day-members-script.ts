import { UnexpectedStoreReplyError } from '../../../errors/unexpected-store-reply.error.js';
import type { ActiveDayMembers } from '../../active-day-members.interface.js';
import type { RedisScript } from './redis-scripts.js';
import { UserBitset } from '../../../shared/user-bitset.js';
import type { FirstActivityWindow } from '../../first-activity.interface.js';
import { parseFirstActive } from './first-activity-scripts.js';
import { parseDayLog } from './day-log-scripts.js';

/**
 * KEYS[1]: numbers, KEYS[2]: a first string (see first-activity-scripts.ts),
 * KEYS[3..]: ARGV[2] days (see active-days-scripts.ts for the layout), then logs
 * (see day-log-scripts.ts). ARGV[1]: '1' to read the first string, ARGV[3..]: user
 * ids. Returns each day's bitmap as it is (an empty string for a missing day), then
 * each user's number or nil, then the first string (empty when not asked or
 * missing), then each log (empty when missing). One script, so every day, log and
 * first activity are read at the same instant: numbers are the index's own dense
 * user numbers.
 *
 * @internal
 */
export const READ_ACTIVE_DAYS_SCRIPT: RedisScript = {
  name: 'souvenirsReadActiveDays',
  numberOfKeys: 0, // variadic: given per call
  lua: `
local reply = {}
-- A numbering without its mark (see index-lua-functions.ts) holds nothing complete: all read as missing.
local numbered = redis.call('HEXISTS', KEYS[1], '') == 1
local lastDay = 2 + tonumber(ARGV[2])
for i = 3, lastDay do
  reply[#reply + 1] = numbered and redis.call('GET', KEYS[i]) or ''
end
-- One HMGET per thousand users, not one HGET each: a command's own cost, 10,000 times, was most
-- of a subset's read (and unpack is bounded by Lua's C stack, 8,000 values).
for from = 3, #ARGV, 1000 do
  local to = math.min(from + 999, #ARGV)
  local found = numbered and redis.call('HMGET', KEYS[1], unpack(ARGV, from, to)) or {}
  for at = 1, to - from + 1 do
    reply[#reply + 1] = found[at] or false
  end
end
reply[#reply + 1] = numbered and ARGV[1] == '1' and redis.call('GET', KEYS[2]) or ''
for i = lastDay + 1, #KEYS do
  reply[#reply + 1] = numbered and redis.call('GET', KEYS[i]) or ''
end
return reply
`,
};

/** The users of a day bitmap (or a union of days), or `null` when its completeness mark (bit 0, the first byte's top bit) is unset. @internal */
export function bitmapMembers(bitmap: Buffer): UserBitset | null {
  if (bitmap.length === 0 || (bitmap[0] & 0x80) === 0) return null;
  return UserBitset.fromRedisBitmap(bitmap);
}

/**
 * Parses the reply of {@link READ_ACTIVE_DAYS_SCRIPT} (read with Buffer replies);
 * `firstActive` only when `first` was asked.
 *
 * @internal
 * @throws UnexpectedStoreReplyError for a reply of another shape.
 */
export function parseActiveDayMembers(reply: unknown, dayCount: number, userCount: number, first?: FirstActivityWindow, logCount?: number): ActiveDayMembers {
  const fail = (): never => {
    throw new UnexpectedStoreReplyError('the active-days read script', `${dayCount} bitmaps, ${userCount} numbers or nil, a string, ${logCount ?? 0} logs`, reply);
  };
  if (!Array.isArray(reply) || reply.length !== dayCount + userCount + 1 + (logCount ?? 0)) return fail();
  const days = reply.slice(0, dayCount).map((bitmap: unknown) => (Buffer.isBuffer(bitmap) ? bitmapMembers(bitmap) : fail()));
  const users = reply.slice(dayCount, dayCount + userCount).map((number: unknown) => {
    if (number === null) return null;
    const n = Buffer.isBuffer(number) ? Number(number.toString()) : NaN;
    return Number.isSafeInteger(n) && n > 0 ? n : fail();
  });
  const logs = logCount === undefined ? undefined : reply.slice(dayCount + userCount + 1).map(parseDayLog);
  const read = { days, users, ...(logs && { logs }) };
  if (first === undefined) return read;
  return { ...read, firstActive: parseFirstActive(reply[dayCount + userCount], first) };
}
