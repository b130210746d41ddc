import { BUILD_OF, INCOMPLETE_DAYS, LOWER_FIRST_DAYS, NUMBER_OF, NUMBERS_OF, SET_BITS, UNION_INTO } from './index-lua-functions.js';
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
 * - `{activity}:scratch` (and `{activity}:scratch:short`): scratch bitmaps (a union
 *   of days), written and deleted
 *   inside one script;
 * - `{activity}:build:<uuid>`: a rebuild of a day (or of first activity) under way,
 *   made fresh before its SQL read, with the completeness mark already set, and
 *   `{activity}:builds`, a hash naming the build of each live key being rebuilt.
 *   Every add writes the users of committed rows to the live key AND to its build;
 *   the last write of a build RENAMEs it over the live key (so it replaces, never
 *   merges), only if it is still the registered build and its mark is still there
 *   (else the build was lost, and a row may have missed it: nothing is swapped).
 *   Builds expire after a few minutes unused;
 * - `{activity}:pending`: a sorted set of pending adds, `<day key>\n<user>` scored
 *   by the wall time of the claim that recorded it (the claim of a row not yet
 *   committed); the add of that user to that day removes it;
 * - `{activity}:first:<calendar>`: first activity, lowered by the add script (see
 *   first-activity-scripts.ts);
 * - `{activity}:log:<id>`: a day's log, when built (see day-log-scripts.ts): the add
 *   script appends each committed row it adds to its day's log (a log under build
 *   included), the clear and the invalidation drop it. Logs hold user numbers, so
 *   they are listed in `{activity}:numbered` from the moment a build begins them.
 */

/**
 * KEYS[1]: numbers, KEYS[2]: the day, KEYS[3]: the first string of the day's
 * calendar, KEYS[4]: builds, KEYS[5]: pending, KEYS[6]: the day's log. ARGV[1]:
 * flags, 'c' to clear the day (and drop its log) first, 'm' to mark it complete
 * after, 'o' when each user is followed by its row's offset in the day (appended to
 * the log when it exists, complete or under build), ARGV[2]: expire-at (ms),
 * ARGV[3]: the day for first activity (offset; '0': none), ARGV[4..]: user ids,
 * whose first day is lowered to the day's. The users also go to the day's build
 * under way and lower the calendar's build under way (keys named by `builds`, of
 * the same hash tag, so of the declared keys' slot). Returns 1.
 *
 * @internal
 */
export const ADD_ACTIVE_USERS_SCRIPT: RedisScript = {
  name: 'souvenirsAddActiveUsers',
  numberOfKeys: 6,
  // In bulk (one HMGET, BITFIELD or APPEND per 1,000 users, not calls per user): a backfill batch is 10,000 rows.
  lua: `${NUMBER_OF}${NUMBERS_OF}${SET_BITS}${LOWER_FIRST_DAYS}${BUILD_OF}
numbering(KEYS[1])
if string.find(ARGV[1], 'c', 1, true) then redis.call('DEL', KEYS[2], KEYS[6]) end
local firstDay = tonumber(ARGV[3])
local build = dayBuild(KEYS[4], KEYS[2])
local first = nil
if firstDay ~= 0 then first = firstBuild(KEYS[4], KEYS[3]) end
local step = string.find(ARGV[1], 'o', 1, true) and 2 or 1
local ids = {}
for i = 4, #ARGV, step do ids[#ids + 1] = ARGV[i] end
local ns = numbersOf(KEYS[1], ids)
setBits(KEYS[2], ns)
lowerFirstDays(KEYS[3], ns, firstDay)
if build then setBits(build, ns) end
if first then lowerFirstDays(first, ns, firstDay) end
local pending = {}
for k = 1, #ids do pending[k] = KEYS[2] .. '\\n' .. ids[k] end
for from = 1, #pending, 1000 do
  redis.call('ZREM', KEYS[5], unpack(pending, from, math.min(from + 999, #pending)))
end
if step == 2 and #ns > 0 and redis.call('EXISTS', KEYS[6]) == 1 then
  local rows = {}
  for k = 1, #ns do rows[k] = struct.pack('>I4I4', ns[k], tonumber(ARGV[4 + 2 * k - 1])) end
  for from = 1, #rows, 1000 do
    redis.call('APPEND', KEYS[6], table.concat(rows, '', from, math.min(from + 999, #rows)))
  end
end
if string.find(ARGV[1], 'm', 1, true) then
  redis.call('SETBIT', KEYS[2], 0, 1)
  redis.call('SADD', string.sub(KEYS[1], 1, #KEYS[1] - #'numbers') .. 'numbered', KEYS[2])
end
if redis.call('EXISTS', KEYS[2]) == 1 then redis.call('PEXPIREAT', KEYS[2], ARGV[2]) end
return 1
`,
};

/**
 * KEYS[1]: builds, KEYS[2..ARGV[1] + 1]: days, then their logs. Clears the days'
 * completeness bit (a missing day stays missing), drops their builds under way
 * (which may have read SQL before the rows that made the day unsure) and drops the
 * logs. Returns 1.
 *
 * @internal
 */
export const INVALIDATE_ACTIVE_DAYS_SCRIPT: RedisScript = {
  name: 'souvenirsInvalidateActiveDays',
  numberOfKeys: 0, // variadic: given per call
  lua: `
local last = 1 + tonumber(ARGV[1])
for i = 2, last do
  if redis.call('EXISTS', KEYS[i]) == 1 then redis.call('SETBIT', KEYS[i], 0, 0) end
  local build = redis.call('HGET', KEYS[1], KEYS[i])
  if build then
    redis.call('DEL', build)
    redis.call('HDEL', KEYS[1], KEYS[i])
  end
end
for i = last + 1, #KEYS do redis.call('DEL', KEYS[i]) end
return 1
`,
};

/**
 * KEYS[1]: numbers, KEYS[2]: builds, then pairs of a live key and a fresh key (the
 * same hash tag). ARGV[1]: 'd' for days, 'f' for first-activity strings, ARGV[2]:
 * the builds' lifetime (ms). Calls `numbering` first, so a build begins under the
 * numbering its users will be written in (else, on an install not numbered yet, the
 * first write would find no mark and wipe the build with every other numbered key).
 * Per pair: the live key's build under way, or else the fresh key, made an empty
 * build (its mark set, an expiry) and registered. Returns the build keys.
 *
 * @internal
 */
export const BEGIN_BUILDS_SCRIPT: RedisScript = {
  name: 'souvenirsBeginBuilds',
  numberOfKeys: 0, // variadic: given per call
  lua: `${NUMBER_OF}${BUILD_OF}
numbering(KEYS[1])
local reply = {}
for i = 3, #KEYS - 1, 2 do
  local live, held = KEYS[i], nil
  if ARGV[1] == 'd' then held = dayBuild(KEYS[2], live) else held = firstBuild(KEYS[2], live) end
  if not held then
    held = KEYS[i + 1]
    redis.call('DEL', held)
    if ARGV[1] == 'd' then redis.call('SETBIT', held, 0, 1) else redis.call('BITFIELD', held, 'SET', 'u32', '#0', 1) end
    redis.call('PEXPIRE', held, ARGV[2])
    redis.call('HSET', KEYS[2], live, held)
  end
  reply[#reply + 1] = held
end
return reply
`,
};

/**
 * KEYS[1]: numbers, KEYS[2]: builds, KEYS[3]: the live day, KEYS[4]: its build.
 * ARGV[1]: '1' to swap the build in after, ARGV[2]: the day's expire-at (ms),
 * ARGV[3]: the build's lifetime (ms), ARGV[4..]: user ids from SQL. Only while
 * KEYS[4] is still the day's registered build with its mark: sets the users'
 * bits in it and, to swap, RENAMEs it over the day (marked complete already) and
 * unregisters it; returns 1. Else writes nothing and returns 0.
 *
 * @internal
 */
export const WRITE_DAY_BUILD_SCRIPT: RedisScript = {
  name: 'souvenirsWriteDayBuild',
  numberOfKeys: 4,
  lua: `${NUMBER_OF}
numbering(KEYS[1])
if redis.call('HGET', KEYS[2], KEYS[3]) ~= KEYS[4] or redis.call('GETBIT', KEYS[4], 0) ~= 1 then return 0 end
for i = 4, #ARGV do
  redis.call('SETBIT', KEYS[4], numberOf(KEYS[1], ARGV[i]), 1)
end
if ARGV[1] == '1' then
  redis.call('RENAME', KEYS[4], KEYS[3])
  redis.call('HDEL', KEYS[2], KEYS[3])
  redis.call('PEXPIREAT', KEYS[3], ARGV[2])
  redis.call('SADD', string.sub(KEYS[1], 1, #KEYS[1] - #'numbers') .. 'numbered', KEYS[3])
else
  redis.call('PEXPIRE', KEYS[4], ARGV[3])
end
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
  lua: `${UNION_INTO}${INCOMPLETE_DAYS}
local incomplete = incompleteDays(KEYS[1], 3)
if #incomplete > 1 then return incomplete end
if #KEYS == 3 and #ARGV == 0 then
  return {1, redis.call('BITCOUNT', KEYS[3]) - 1}
end
local outside = 0
redis.call('DEL', KEYS[2])
if #KEYS >= 3 then unionInto(KEYS[2], 3, #KEYS) end
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
 * The rate-limit claim, plus a pending add: KEYS[1]: the subject's rate-limit
 * key, KEYS[2]: pending. ARGV[1], ARGV[2]: as the claim; ARGV[3]: the pending
 * member (`<day key>\n<subject>`), ARGV[4]: the wall time (ms). A granted claim
 * also records the pending add; it does not touch the day (the row is not
 * committed yet). Same replies as the claim.
 *
 * @internal
 */
export const CLAIM_RATE_LIMIT_ACTIVE_SCRIPT: RedisScript = {
  name: 'souvenirsClaimRateLimitPending',
  numberOfKeys: 2,
  lua: `
local function claim()
${CLAIM_RATE_LIMIT_SCRIPT.lua}
end
local reply = claim()
if reply[1] == 1 then redis.call('ZADD', KEYS[2], ARGV[4], ARGV[3]) end
return reply
`,
};

/**
 * KEYS[1]: pending. ARGV[1]: wall time (ms). Removes the pending adds recorded
 * before it and returns their members (`<day key>\n<user>`), at most 10,000 a call.
 *
 * @internal
 */
export const TAKE_STALE_PENDING_SCRIPT: RedisScript = {
  name: 'souvenirsTakeStalePending',
  numberOfKeys: 1,
  lua: `
local stale = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', '(' .. ARGV[1], 'LIMIT', 0, 10000)
for i = 1, #stale, 1000 do
  redis.call('ZREM', KEYS[1], unpack(stale, i, math.min(i + 999, #stale)))
end
return stale
`,
};

/** The index's scripts, defined on the client next to the store's own. @internal */
export const ACTIVE_DAYS_SCRIPTS: readonly RedisScript[] = [
  ADD_ACTIVE_USERS_SCRIPT,
  BEGIN_BUILDS_SCRIPT,
  WRITE_DAY_BUILD_SCRIPT,
  INVALIDATE_ACTIVE_DAYS_SCRIPT,
  COUNT_ACTIVE_USERS_SCRIPT,
  CLAIM_RATE_LIMIT_ACTIVE_SCRIPT,
  TAKE_STALE_PENDING_SCRIPT,
];
