import { LOWER_FIRST_DAY, LOWER_FIRST_DAYS, NUMBER_OF, NUMBERS_OF, SET_BITS } from './index-lua-functions.js';
import { CLAIM_RATE_LIMIT_SCRIPT, type RedisScript } from './redis-scripts.js';

/**
 * The Lua scripts of the active-users index in Redis. Layout, all under one hash
 * tag so every script runs on one Cluster node:
 * - `{activity}:numbers`: a hash user id → dense number (1, 2, …: its length + 1
 *   when a user is first seen, so numbers never repeat while the hash lives);
 * - `{activity}:day:<id>`: a bitmap per local day, bit n set when user n was
 *   active; bit 0 set when the day is complete (built from SQL). A flush or an
 *   expiry drops the users and the mark together, so a day is never trusted
 *   half-lost;
 * - `{activity}:scratch`: a scratch bitmap, written and deleted inside one script;
 * - `{activity}:first:<calendar>`: first activity, lowered by the add and claim
 *   scripts (see first-activity-scripts.ts);
 * - `{activity}:log:<id>`: a day's log, when built (see day-log-scripts.ts): the add
 *   and claim scripts append each row they add to its day, the clear and the
 *   invalidation drop it.
 */

/**
 * KEYS[1]: numbers, KEYS[2]: the day, KEYS[3]: the first string of the day's
 * calendar, KEYS[4]: the day's log. ARGV[1]: flags, 'c' to clear the day (and drop
 * its log) first, 'm' to mark it complete after, 'o' when each user is followed by
 * its row's offset in the day (appended to the log when it exists), ARGV[2]:
 * expire-at (ms), ARGV[3]: the day for first activity (offset; '0': none),
 * ARGV[4..]: user ids, whose first day is lowered to the day's. Returns 1.
 *
 * @internal
 */
export const ADD_ACTIVE_USERS_SCRIPT: RedisScript = {
  name: 'souvenirsAddActiveUsers',
  numberOfKeys: 4,
  // In bulk (one HMGET, BITFIELD or APPEND per 1,000 users, not calls per user): a backfill batch is 10,000 rows.
  lua: `${NUMBERS_OF}${SET_BITS}${LOWER_FIRST_DAYS}
if string.find(ARGV[1], 'c', 1, true) then redis.call('DEL', KEYS[2], KEYS[4]) end
local firstDay = tonumber(ARGV[3])
local step = string.find(ARGV[1], 'o', 1, true) and 2 or 1
local ids = {}
for i = 4, #ARGV, step do ids[#ids + 1] = ARGV[i] end
local ns = numbersOf(KEYS[1], ids)
setBits(KEYS[2], ns)
lowerFirstDays(KEYS[3], ns, firstDay)
if step == 2 and #ns > 0 and redis.call('EXISTS', KEYS[4]) == 1 then
  local rows = {}
  for k = 1, #ns do rows[k] = struct.pack('>I4I4', ns[k], tonumber(ARGV[4 + 2 * k - 1])) end
  redis.call('APPEND', KEYS[4], table.concat(rows))
end
if string.find(ARGV[1], 'm', 1, true) then redis.call('SETBIT', KEYS[2], 0, 1) end
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIREAT', KEYS[2], ARGV[2]) end
return 1
`,
};

/**
 * KEYS[1..ARGV[1]]: days, then their logs. Clears the days' completeness bit (a
 * missing day stays missing) and drops the logs. Returns 1.
 *
 * @internal
 */
export const INVALIDATE_ACTIVE_DAYS_SCRIPT: RedisScript = {
  name: 'souvenirsInvalidateActiveDays',
  numberOfKeys: 0, // variadic: given per call
  lua: `
local days = tonumber(ARGV[1])
for i = 1, days do
  if redis.call('EXISTS', KEYS[i]) == 1 then redis.call('SETBIT', KEYS[i], 0, 0) end
end
for i = days + 1, #KEYS do redis.call('DEL', KEYS[i]) end
return 1
`,
};

/**
 * KEYS[1]: numbers, KEYS[2]: scratch, KEYS[3..]: days. ARGV: distinct user ids from
 * outside the index. Returns {0, i, …} with the 1-based positions of the days not
 * complete, or {1, count}: the users of the union of the days and of ARGV. A user
 * of ARGV without a number is in no day, so it only adds one.
 *
 * @internal
 */
export const COUNT_ACTIVE_USERS_SCRIPT: RedisScript = {
  name: 'souvenirsCountActiveUsers',
  numberOfKeys: 0, // variadic: given per call
  lua: `
local incomplete = {0}
for i = 3, #KEYS do
  if redis.call('GETBIT', KEYS[i], 0) == 0 then incomplete[#incomplete + 1] = i - 2 end
end
if #incomplete > 1 then return incomplete end
if #KEYS == 3 and #ARGV == 0 then
  return {1, redis.call('BITCOUNT', KEYS[3]) - 1}
end
local outside = 0
redis.call('DEL', KEYS[2])
if #KEYS >= 3 then
  for i = 3, #KEYS, 1000 do
    redis.call('BITOP', 'OR', KEYS[2], KEYS[2], unpack(KEYS, i, math.min(i + 999, #KEYS)))
  end
end
redis.call('SETBIT', KEYS[2], 0, 1)
for i = 1, #ARGV do
  local n = redis.call('HGET', KEYS[1], ARGV[i])
  if n then redis.call('SETBIT', KEYS[2], tonumber(n), 1) else outside = outside + 1 end
end
local count = redis.call('BITCOUNT', KEYS[2]) - 1 + outside
redis.call('DEL', KEYS[2])
return {1, count}
`,
};

/**
 * The rate-limit claim, plus the active-users index: KEYS[1]: the subject's
 * rate-limit key, KEYS[2]: numbers, KEYS[3]: the day, KEYS[4]: the first string of
 * the day's calendar; ARGV[1], ARGV[2]: as the claim; ARGV[3]: the subject,
 * ARGV[4]: the day's expire-at (ms), ARGV[5]: the day for first activity (offset;
 * '0': none); KEYS[5]: the day's log, ARGV[6]: the row's offset in the day ('':
 * none). A granted claim also sets the subject's bit in the day, lowers its first
 * day and appends the row to the day's log when it exists. Same replies as the claim.
 *
 * @internal
 */
export const CLAIM_RATE_LIMIT_ACTIVE_SCRIPT: RedisScript = {
  name: 'souvenirsClaimRateLimitActive',
  numberOfKeys: 5,
  lua: `${NUMBER_OF}${LOWER_FIRST_DAY}
local function claim()
${CLAIM_RATE_LIMIT_SCRIPT.lua}
end
local reply = claim()
if reply[1] == 1 then
  local n = numberOf(KEYS[2], ARGV[3])
  redis.call('SETBIT', KEYS[3], n, 1)
  redis.call('PEXPIREAT', KEYS[3], ARGV[4])
  lowerFirstDay(KEYS[4], n, tonumber(ARGV[5]))
  if ARGV[6] ~= '' and redis.call('EXISTS', KEYS[5]) == 1 then
    redis.call('APPEND', KEYS[5], struct.pack('>I4I4', n, tonumber(ARGV[6])))
  end
end
return reply
`,
};

/** The index's scripts, defined on the client next to the store's own. @internal */
export const ACTIVE_DAYS_SCRIPTS: readonly RedisScript[] = [
  ADD_ACTIVE_USERS_SCRIPT,
  INVALIDATE_ACTIVE_DAYS_SCRIPT,
  COUNT_ACTIVE_USERS_SCRIPT,
  CLAIM_RATE_LIMIT_ACTIVE_SCRIPT,
];
