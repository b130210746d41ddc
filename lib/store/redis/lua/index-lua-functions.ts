/**
 * Lua functions shared by the scripts of the active-users index and of first
 * activity (active-days-scripts.ts, first-activity-scripts.ts), pasted at the top
 * of each script that needs them.
 */

/** The numbers in a block of one tenant's pairs (see NUMBER_OF): 8 bytes of a bitmap. @internal */
export const PAIR_BLOCK_BITS = 64;

/**
 * Lua: the tenant of pair `pair` (`<user>\0<tenant>`, see NUMBER_OF), and `NUL`.
 *
 * @internal
 */
export const TENANT_OF_PAIR = `
local NUL = string.char(0)
local function tenantOfPair(pair)
  return string.sub(pair, string.find(pair, NUL, 1, true) + 1)
end
`;

/**
 * Lua: the 1-based positions (among KEYS[from..]) of the days not complete, after a 0
 * (the reply of a count that cannot answer), and whether the numbering `numbers` has its
 * mark: without it (see NUMBER_OF) every day counts as not complete.
 *
 * @internal
 */
export const INCOMPLETE_DAYS = `
local function incompleteDays(numbers, from)
  local numbered = redis.call('HEXISTS', numbers, '') == 1
  local incomplete = {0}
  for i = from, #KEYS do
    if not numbered or redis.call('GETBIT', KEYS[i], 0) == 0 then incomplete[#incomplete + 1] = i - from + 1 end
  end
  return incomplete, numbered
end
`;

/**
 * Lua: the number of user `u` in hash `numbers`, assigned when first seen (its
 * length + 1, so numbers never repeat while the hash lives); and `numbering`,
 * which every script that numbers users calls first.
 *
 * The numbering carries a mark, field '' (no user id is empty). A hash without
 * it is either an older one, still whole (it holds users: the mark is added), or
 * a numbering that vanished (evicted, deleted) or never was: then every key that
 * holds users by number (the complete days and first-activity strings, listed in
 * `{activity}:numbered` when swapped in, and every build under way) is deleted
 * before numbers start again from 1, so no old bit is read under a new number.
 * Readers treat a numbering without its mark as holding nothing complete. The
 * other keys are named from the numbers key (same hash tag, so same slot).
 *
 * A numbering holds either user ids or (user, tenant) pairs (`<user>\0<tenant>`, the
 * pairs index of the billing run), never both. A pair is numbered in a block of its
 * tenant, {@link PAIR_BLOCK_BITS} numbers each: the k-th block given (k = 1, 2, …; block
 * 0 would hold bit 0, the marks) holds numbers 64k to 64k + 63, so bytes 8k to 8k + 7
 * of every bitmap. The numbering itself holds the count of blocks given (field `\0`),
 * the tenant of block k (field `\0#k`) and each tenant's next number (field
 * `\0\0<tenant>`): no pair id starts with a NUL (user ids are non-empty), nor do these
 * meet a forgotten user's placeholder (`\0forgotten:…`). So they are lost, and only
 * lost, with the numbering. `owners`, a list of the blocks' tenants in order, is a copy
 * for the readers, rebuilt from the numbering when its length is not the count of
 * blocks (see OWNERS_OF). So a tenant's users are a few runs of bytes of every day, and
 * one union of the site's days counts every tenant.
 *
 * @internal
 */
export const NUMBER_OF = `${TENANT_OF_PAIR}
local function numbering(numbers)
  if redis.call('HEXISTS', numbers, '') == 1 then return end
  if redis.call('EXISTS', numbers) == 0 then
    local base = string.sub(numbers, 1, #numbers - #'numbers')
    local numbered, builds = base .. 'numbered', base .. 'builds'
    local keys = redis.call('SMEMBERS', numbered)
    for i = 1, #keys, 1000 do redis.call('DEL', unpack(keys, i, math.min(i + 999, #keys))) end
    local held = redis.call('HVALS', builds)
    for i = 1, #held, 1000 do redis.call('DEL', unpack(held, i, math.min(i + 999, #held))) end
    redis.call('DEL', numbered, builds, base .. 'owners')
  end
  redis.call('HSET', numbers, '', '0')
end
-- The next number of pair \`u\`'s tenant (cursors[tenant] caches it within a script), a new block given when its block is full.
local function pairNumber(numbers, u, cursors)
  local tenant = tenantOfPair(u)
  local n = cursors[tenant] or tonumber(redis.call('HGET', numbers, NUL .. NUL .. tenant) or '0')
  if n % ${PAIR_BLOCK_BITS} == 0 then
    local k = redis.call('HINCRBY', numbers, NUL, 1)
    redis.call('HSET', numbers, NUL .. '#' .. k, tenant)
    -- The list is a copy for the readers, appended to only while whole (see OWNERS_OF).
    local owners = string.sub(numbers, 1, #numbers - #'numbers') .. 'owners'
    if redis.call('LLEN', owners) == k - 1 then redis.call('RPUSH', owners, tenant) end
    n = k * ${PAIR_BLOCK_BITS}
  end
  cursors[tenant] = n + 1
  return n
end
local function saveCursors(numbers, cursors)
  for tenant, n in pairs(cursors) do redis.call('HSET', numbers, NUL .. NUL .. tenant, n) end
end
local function numberOf(numbers, u)
  local n = redis.call('HGET', numbers, u)
  if n then return tonumber(n) end
  if string.find(u, NUL, 1, true) then
    local cursors = {}
    n = pairNumber(numbers, u, cursors)
    saveCursors(numbers, cursors)
  else
    n = redis.call('HLEN', numbers) + 1
  end
  redis.call('HSET', numbers, u, n)
  return n
end
`;

/**
 * Lua: the tenant of each block of a pairs numbering (see NUMBER_OF), from the list
 * `owners`, rebuilt first from the numbering's `\0#k` fields (1,000 a call) when its
 * length is not the count of blocks given (the list was lost, or is being read before
 * it was whole). Pasted after TENANT_OF_PAIR (its `NUL`).
 *
 * @internal
 */
export const OWNERS_OF = `
local function ownersOf(numbers, owners)
  local blocks = tonumber(redis.call('HGET', numbers, NUL) or '0')
  if redis.call('LLEN', owners) ~= blocks then
    redis.call('DEL', owners)
    for from = 1, blocks, 1000 do
      local fields = {}
      for k = from, math.min(from + 999, blocks) do fields[#fields + 1] = NUL .. '#' .. k end
      local got = redis.call('HMGET', numbers, unpack(fields))
      for j = 1, #got do got[j] = got[j] or '' end
      redis.call('RPUSH', owners, unpack(got))
    end
  end
  return redis.call('LRANGE', owners, 0, -1)
end
`;

/**
 * Lua: lowers the first day of user number `n` in the first string `first` to `v`
 * (already offset, see first-activity-scripts.ts; 0: nothing to record).
 *
 * @internal
 */
export const LOWER_FIRST_DAY = `
local function lowerFirstDay(first, n, v)
  if v == 0 then return end
  local held = redis.call('BITFIELD', first, 'GET', 'u32', '#' .. n)[1]
  if held == 0 or v < held then redis.call('BITFIELD', first, 'SET', 'u32', '#' .. n, v) end
end
`;

/**
 * Lua: the key of the build under way (see active-days-scripts.ts) registered in
 * hash `builds` for the live key `live`, or nil when none is, or it was lost (its
 * mark gone with it: expired, evicted, flushed). A day build's mark is bit 0, a
 * first-activity build's is slot #0 of u32 = 1: the same mark that makes the key
 * complete once it is renamed over the live key.
 *
 * @internal
 */
export const BUILD_OF = `
local function dayBuild(builds, live)
  local b = redis.call('HGET', builds, live)
  if b and redis.call('GETBIT', b, 0) == 1 then return b end
  return nil
end
local function firstBuild(builds, live)
  local b = redis.call('HGET', builds, live)
  if b and redis.call('BITFIELD', b, 'GET', 'u32', '#0')[1] == 1 then return b end
  return nil
end
`;

/**
 * Lua: the numbers of the ids `ids` (a Lua array) in hash `numbers`, as NUMBER_OF
 * gives them (a new id gets the hash's length + 1, in order; a new pair, its tenant's next), with one HMGET per
 * 1,000 ids and one HSET per 1,000 new ones instead of calls per id: what makes a
 * backfill batch's index update cheap in Redis.
 *
 * @internal
 */
export const NUMBERS_OF = `
local function numbersOf(numbers, ids)
  local out = {}
  for from = 1, #ids, 1000 do
    local got = redis.call('HMGET', numbers, unpack(ids, from, math.min(from + 999, #ids)))
    for j = 1, #got do out[from + j - 1] = got[j] and tonumber(got[j]) or false end
  end
  local fresh, assign, length, cursors = {}, {}, nil, {}
  for k = 1, #ids do
    if not out[k] then
      local n = fresh[ids[k]]
      if not n then
        if string.find(ids[k], NUL, 1, true) then
          n = pairNumber(numbers, ids[k], cursors)
        else
          length = (length or redis.call('HLEN', numbers)) + 1
          n = length
        end
        fresh[ids[k]] = n
        assign[#assign + 1] = ids[k]
        assign[#assign + 1] = n
      end
      out[k] = n
    end
  end
  for from = 1, #assign, 2000 do
    redis.call('HSET', numbers, unpack(assign, from, math.min(from + 1999, #assign)))
  end
  saveCursors(numbers, cursors)
  return out
end
`;

/**
 * Lua: sets the bits `ns` (user numbers) of bitmap `key`, 1,000 per BITFIELD call.
 *
 * @internal
 */
export const SET_BITS = `
local function setBits(key, ns)
  for from = 1, #ns, 1000 do
    local ops = {}
    for j = from, math.min(from + 999, #ns) do
      ops[#ops + 1] = 'SET'
      ops[#ops + 1] = 'u1'
      ops[#ops + 1] = ns[j]
      ops[#ops + 1] = 1
    end
    redis.call('BITFIELD', key, unpack(ops))
  end
end
`;

/**
 * Lua: LOWER_FIRST_DAY for every number of `ns`, with one BITFIELD read and at most
 * one write per 1,000 numbers.
 *
 * @internal
 */
export const LOWER_FIRST_DAYS = `
local function lowerFirstDays(first, ns, v)
  if v == 0 then return end
  for from = 1, #ns, 1000 do
    local to = math.min(from + 999, #ns)
    local gets = {}
    for j = from, to do
      gets[#gets + 1] = 'GET'
      gets[#gets + 1] = 'u32'
      gets[#gets + 1] = '#' .. ns[j]
    end
    local held = redis.call('BITFIELD', first, unpack(gets))
    local sets = {}
    for j = from, to do
      local h = held[j - from + 1]
      if h == 0 or v < h then
        sets[#sets + 1] = 'SET'
        sets[#sets + 1] = 'u32'
        sets[#sets + 1] = '#' .. ns[j]
        sets[#sets + 1] = v
      end
    end
    if #sets > 0 then redis.call('BITFIELD', first, unpack(sets)) end
  end
end
`;

/**
 * Lua: ORs the bitmaps `keys` (at least one) into `dest`, replacing it (`unionOf`), or
 * those of `KEYS[from..to]` (`unionInto`). Redis ORs 32 bytes at a step only when a
 * BITOP has at most 16 sources, each at least 32 bytes long, and byte by byte
 * otherwise (a 30-day union of 125 KB days: 0.5 ms against 6 ms). So the long bitmaps
 * go 16 (then `dest` and 15) per BITOP, and the short ones (a day of no user numbered
 * past 255, an empty day) are ORed apart, into `dest:short` (same hash tag), then into
 * `dest` in one step.
 *
 * @internal
 */
export const UNION_INTO = `
local function orInto(dest, keys)
  redis.call('BITOP', 'OR', dest, unpack(keys, 1, math.min(16, #keys)))
  for i = 17, #keys, 15 do
    redis.call('BITOP', 'OR', dest, dest, unpack(keys, i, math.min(i + 14, #keys)))
  end
end
local function unionOf(dest, keys)
  local long, short = {}, {}
  for i = 1, #keys do
    if redis.call('STRLEN', keys[i]) >= 32 then long[#long + 1] = keys[i] else short[#short + 1] = keys[i] end
  end
  if #long == 0 then return orInto(dest, short) end
  orInto(dest, long)
  if #short > 0 then
    local shorts = dest .. ':short'
    orInto(shorts, short)
    redis.call('BITOP', 'OR', dest, dest, shorts)
    redis.call('DEL', shorts)
  end
end
local function unionInto(dest, from, to)
  local keys = {}
  for i = from, to do keys[#keys + 1] = KEYS[i] end
  return unionOf(dest, keys)
end
`;