import type { RedisScript } from './redis-scripts.js';

/**
 * Removes one user from the active-users index in Redis (see `ActiveDaysStore.forgetActiveUser`
 * and the layout in active-days-scripts.ts). KEYS[1]: numbers, KEYS[2]: builds, KEYS[3]:
 * pending, KEYS[4]: numbered. ARGV[1]: the user id, ARGV[2]: the field that takes the
 * user's place in the numbering (so its length, hence the next number, does not move:
 * numbers never repeat), ARGV[3]: pending adds recorded before this wall time (ms) are
 * left standing and counted, ARGV[4]: '1' to remove them too.
 *
 * In one atomic step: the user's pending adds; every build under way (it may have read
 * SQL before the user's rows were deleted: its writer is told it was lost); the user's bit
 * in every numbered day, its first day in every first-activity string, every day log that
 * holds its number or is still being built; its number. Returns the pending adds left.
 *
 * @internal
 */
export const FORGET_ACTIVE_USER_SCRIPT: RedisScript = {
  name: 'souvenirsForgetActiveUser',
  numberOfKeys: 4,
  lua: `
local user, before, drop = ARGV[1], tonumber(ARGV[3]), ARGV[4] == '1'
local standing = 0
local pending = redis.call('ZRANGE', KEYS[3], 0, -1, 'WITHSCORES')
for i = 1, #pending, 2 do
  local member = pending[i]
  local cut = string.find(member, '\\n', 1, true)
  if cut and string.sub(member, cut + 1) == user then
    if tonumber(pending[i + 1]) < before and not drop then standing = standing + 1
    else redis.call('ZREM', KEYS[3], member) end
  end
end
local held = redis.call('HVALS', KEYS[2])
for i = 1, #held, 1000 do redis.call('DEL', unpack(held, i, math.min(i + 999, #held))) end
redis.call('DEL', KEYS[2])
local base = string.sub(KEYS[1], 1, #KEYS[1] - #'numbers')
local dayPrefix, firstPrefix, logPrefix = base .. 'day:', base .. 'first', base .. 'log:'
local complete = struct.pack('>I4I4', 0, 1)
local n = redis.call('HGET', KEYS[1], user)
n = n and tonumber(n)
local pattern = n and struct.pack('>I4', n)
local keys = redis.call('SMEMBERS', KEYS[4])
for i = 1, #keys do
  local key = keys[i]
  if string.sub(key, 1, #logPrefix) == logPrefix then
    local log = redis.call('GET', key)
    -- A log under build may hold the user from its SQL read; a complete one, by number (an
    -- unaligned match drops a log for nothing: it is rebuilt on use).
    if log and (string.sub(log, 1, 8) ~= complete or (pattern and string.find(log, pattern, 9, true))) then redis.call('DEL', key) end
  elseif n and string.sub(key, 1, #dayPrefix) == dayPrefix then
    if redis.call('GETBIT', key, n) == 1 then redis.call('SETBIT', key, n, 0) end
  elseif n and string.sub(key, 1, #firstPrefix) == firstPrefix then
    if redis.call('STRLEN', key) >= 4 * (n + 1) then redis.call('BITFIELD', key, 'SET', 'u32', '#' .. n, 0) end
  end
end
if n then
  redis.call('HDEL', KEYS[1], user)
  redis.call('HSET', KEYS[1], ARGV[2], '0')
end
return standing
`,
};

/**
 * KEYS[1]: the lock. ARGV[1]: the holder's token. Deletes the lock only if the token still
 * holds it (else it expired, and another may hold it now). Returns 1 when released.
 *
 * @internal
 */
export const RELEASE_LOCK_SCRIPT: RedisScript = {
  name: 'souvenirsReleaseLock',
  numberOfKeys: 1,
  lua: `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0
`,
};

/**
 * KEYS[1]: the mark. ARGV[1]: an integer. Sets the mark to ARGV[1] unless it already
 * stands at or above it (an atomic maximum); returns the mark as it stands after.
 *
 * @internal
 */
export const RAISE_MARK_SCRIPT: RedisScript = {
  name: 'souvenirsRaiseMark',
  numberOfKeys: 1,
  lua: `
local current = redis.call('GET', KEYS[1])
if current == false or tonumber(current) < tonumber(ARGV[1]) then
  redis.call('SET', KEYS[1], ARGV[1])
  return ARGV[1]
end
return current
`,
};
