/**
 * The Lua scripts behind {@link RedisSouvenirsStore}'s atomic steps. Each touches
 * one key, or keys of one hash slot, so it runs on one Cluster node; ioredis's
 * `defineCommand` sends them by EVALSHA and falls back to EVAL when the server does
 * not know the script yet.
 */

/** A script as given to ioredis's `defineCommand`. @internal */
export interface RedisScript {
  /** Name of the command defined on the client: distinctive, so it cannot clash with a user's own. */
  readonly name: string;
  /** Absent: the call gives the number of keys as its first argument. */
  readonly numberOfKeys: number | undefined;
  readonly lua: string;
}

/**
 * KEYS[1]: the subject's rate-limit key. ARGV[1]: the event time (ms), ARGV[2]: the
 * limit (ms). Rate-limited when a last time stands and the event time is before
 * last + limit: returns {0, last}. Else stores the event time for `limit` ms of
 * wall time and returns {1, last} ({1} when there was none). The comparison is
 * `withinRateLimit` (rate-limit-window.ts) in Lua, since it must run inside Redis;
 * a property test keeps the two equal.
 *
 * @internal
 */
export const CLAIM_RATE_LIMIT_SCRIPT: RedisScript = {
  name: 'souvenirsClaimRateLimit',
  numberOfKeys: 1,
  lua: `
local last = redis.call('GET', KEYS[1])
if last then
  local lastMs = tonumber(last)
  if not lastMs then
    return redis.error_reply('souvenirs: rate-limit key ' .. KEYS[1] .. ' does not hold a time')
  end
  if tonumber(ARGV[1]) < lastMs + tonumber(ARGV[2]) then
    return {0, last}
  end
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
if last then
  return {1, last}
end
return {1}
`,
};

/**
 * KEYS[1]: the subject's rate-limit key. ARGV[1]: the released claim's event time,
 * ARGV[2]: the time it replaced ('' for none), ARGV[3]: the limit (ms). Only while
 * the key still holds this claim: restores the replaced time, or deletes the key.
 * Returns 1 when it changed the key, else 0.
 *
 * @internal
 */
export const RELEASE_RATE_LIMIT_SCRIPT: RedisScript = {
  name: 'souvenirsReleaseRateLimit',
  numberOfKeys: 1,
  lua: `
if redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return 0
end
if ARGV[2] == '' then
  redis.call('DEL', KEYS[1])
else
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
end
return 1
`,
};

/**
 * KEYS[1]: the set. ARGV[1]: the most members allowed ('' for no bound), ARGV[2..]:
 * distinct values. Adds all values, or none when the new ones would take the set
 * past the bound (members already there never count, even in a set already past
 * a since-lowered bound). Returns 1 when added, 0 when refused. SADD is sent in slices
 * because Lua's `unpack` has a bounded stack.
 *
 * @internal
 */
export const ADD_CHOICES_SCRIPT: RedisScript = {
  name: 'souvenirsAddChoices',
  numberOfKeys: 1,
  lua: `
local fresh = {}
for i = 2, #ARGV do
  if redis.call('SISMEMBER', KEYS[1], ARGV[i]) == 0 then
    fresh[#fresh + 1] = ARGV[i]
  end
end
if #fresh > 0 and ARGV[1] ~= '' and redis.call('SCARD', KEYS[1]) + #fresh > tonumber(ARGV[1]) then
  return 0
end
for i = 1, #fresh, 1000 do
  redis.call('SADD', KEYS[1], unpack(fresh, i, math.min(i + 999, #fresh)))
end
return 1
`,
};

/**
 * KEYS[1]: the set. ARGV[1]: the number of templates; then six per template: key
 * text, key suffix, '1' when the member goes between them ('0': the key is the
 * text alone), and the same three for the field. Returns {members, counters}, the
 * counters flat, member by member, template by template; a missing one is 0 (Lua
 * arrays stop at the first nil, so it cannot stay a nil).
 *
 * Redis Cluster wants every key a script touches declared in KEYS, but the counter
 * keys exist only once the members are read, so only the set is declared and the
 * others are built here. That is sound because the caller ties every counter key
 * to the set's slot by a hash tag in its fixed text (checked before sending): the
 * script runs on the node owning that slot, where Redis allows keys of the
 * declared slot. The trade-off: Redis cannot check it up front, and a slot
 * migrating mid-call may fail the call (it is a read; the caller may retry).
 *
 * @internal
 */
export const READ_COUNTERS_OF_MEMBERS_SCRIPT: RedisScript = {
  name: 'souvenirsReadCountersOfMembers',
  numberOfKeys: 1,
  lua: `
local members = redis.call('SMEMBERS', KEYS[1])
local templates = {}
for t = 1, tonumber(ARGV[1]) do
  local at = 2 + (t - 1) * 6
  templates[t] = {ARGV[at], ARGV[at + 1], ARGV[at + 2] == '1', ARGV[at + 3], ARGV[at + 4], ARGV[at + 5] == '1'}
end
local counters = {}
for i = 1, #members do
  local member = members[i]
  for t = 1, #templates do
    local template = templates[t]
    local key = template[1]
    if template[3] then key = key .. member .. template[2] end
    local field = template[4]
    if template[6] then field = field .. member .. template[5] end
    local value = redis.call('HGET', key, field)
    if value then
      counters[#counters + 1] = value
    else
      counters[#counters + 1] = 0
    end
  end
end
return {members, counters}
`,
};

/**
 * Called with the number of keys first. KEYS[1..n]: counter hashes of one slot, then
 * optionally the flush id's key (same slot). ARGV[1]: n; ARGV[2]: how long the id
 * is remembered (ms), when there is one; then per counter key: its number of fields,
 * its lifetime in ms ('' for none: PERSIST), then field, increment, field, … .
 *
 * With an id, the id is recorded (SET NX) in the same atomic step as the
 * increments, so a write sent again after a lost reply finds it and applies
 * nothing: returns 0 for such a repeat, 1 when the increments were applied.
 *
 * @internal
 */
export const INCREMENT_COUNTERS_SCRIPT: RedisScript = {
  name: 'souvenirsIncrementCounters',
  numberOfKeys: undefined,
  lua: `
local n = tonumber(ARGV[1])
local at = 2
if #KEYS > n then
  if not redis.call('SET', KEYS[n + 1], '1', 'NX', 'PX', ARGV[2]) then
    return 0
  end
  at = 3
end
for k = 1, n do
  local fields = tonumber(ARGV[at])
  local ttl = ARGV[at + 1]
  at = at + 2
  for f = 1, fields do
    redis.call('HINCRBY', KEYS[k], ARGV[at], ARGV[at + 1])
    at = at + 2
  end
  if ttl == '' then
    redis.call('PERSIST', KEYS[k])
  else
    redis.call('PEXPIRE', KEYS[k], ttl)
  end
end
return 1
`,
};

/**
 * KEYS[1]: a hash of integer counters. Returns the whole hash as ONE bulk string,
 * `<byte length of field> <field><value>\n` per field: the client parses one
 * buffer by byte offsets, a slice at a time, instead of ioredis parsing hundreds of
 * thousands of bulk strings in one go (a 132,000-field HGETALL blocked the event
 * loop for up to 300 ms). The length prefix lets fields hold any bytes (spaces,
 * newlines); values are HINCRBY integers, so they hold no newline. An empty or
 * missing hash gives ''. `table.concat` keeps the build linear.
 *
 * @internal
 */
export const DUMP_COUNTER_HASH_SCRIPT: RedisScript = {
  name: 'souvenirsDumpCounterHash',
  numberOfKeys: 1,
  lua: `
local flat = redis.call('HGETALL', KEYS[1])
local out = {}
for i = 1, #flat, 2 do
  local field = flat[i]
  out[#out + 1] = #field .. ' ' .. field .. flat[i + 1] .. '\\n'
end
return table.concat(out)
`,
};

/** Every script the store defines on its client. @internal */
export const SOUVENIRS_SCRIPTS: readonly RedisScript[] = [
  CLAIM_RATE_LIMIT_SCRIPT,
  RELEASE_RATE_LIMIT_SCRIPT,
  ADD_CHOICES_SCRIPT,
  READ_COUNTERS_OF_MEMBERS_SCRIPT,
  INCREMENT_COUNTERS_SCRIPT,
  DUMP_COUNTER_HASH_SCRIPT,
];
