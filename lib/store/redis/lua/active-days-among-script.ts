import { UnexpectedStoreReplyError } from '../../../errors/unexpected-store-reply.error.js';
import type { RedisScript } from './redis-scripts.js';
import { UNION_INTO } from './index-lua-functions.js';

/**
 * KEYS[1]: numbers, KEYS[2]: scratch, KEYS[3..]: days, each once (see
 * active-days-scripts.ts). ARGV[1]: how many unions; then per union its number of days
 * and their positions among the day keys (1-based); then user ids. Returns the 1-based
 * positions of the days not complete, then per union the 1-based positions (among the
 * user ids) of the users active on one of its days, ascending, or nil when one of its
 * days is not complete.
 *
 * A union of several days is ORed into scratch (as `unionInto` does; deleted at the
 * end), read into Lua once, and each user's bit tested there; numbers come from one
 * HMGET per thousand users (unpack is bounded by Lua's C stack). Only the
 * subset's positions cross the network: a 30-day union of a million users is 125 KB in
 * Redis, a 10,000-user answer some 50 KB, whatever the site's size.
 *
 * @internal
 */
export const READ_ACTIVE_DAYS_AMONG_SCRIPT: RedisScript = {
  name: 'souvenirsReadActiveDaysAmong',
  numberOfKeys: 0, // variadic: given per call
  lua: `${UNION_INTO}
local incomplete = {}
local reply = {incomplete}
-- A numbering without its mark (see index-lua-functions.ts) holds nothing complete.
local numbered = redis.call('HEXISTS', KEYS[1], '') == 1
local complete = {}
for i = 3, #KEYS do
  complete[i] = numbered and redis.call('GETBIT', KEYS[i], 0) == 1
  if not complete[i] then incomplete[#incomplete + 1] = i - 2 end
end
local unions, at = {}, 2
for u = 1, tonumber(ARGV[1]) do
  local keys, whole = {}, true
  for j = at + 1, at + tonumber(ARGV[at]) do
    local i = tonumber(ARGV[j]) + 2
    keys[#keys + 1] = KEYS[i]
    whole = whole and complete[i]
  end
  at = at + tonumber(ARGV[at]) + 1
  unions[u] = whole and keys or false
end
-- The users' numbers, with their positions; '0' is the numbering's mark (field ''), no user's.
local first, numbers, held = at, {}, 0
if numbered then
  for from = first, #ARGV, 1000 do
    local got = redis.call('HMGET', KEYS[1], unpack(ARGV, from, math.min(from + 999, #ARGV)))
    for j = 1, #got do
      local n = got[j]
      if n and n ~= '0' then
        held = held + 2
        numbers[held - 1], numbers[held] = from + j - first, tonumber(n)
      end
    end
  end
end
-- Bit n of a bitmap is bit 7 - n % 8 of byte n / 8 (the first byte's top bit is bit 0).
local band, byte, floor = bit.band, string.byte, math.floor
local masks = {128, 64, 32, 16, 8, 4, 2, 1}
local scratched = false
for u = 1, #unions do
  local keys = unions[u]
  if not keys then
    reply[#reply + 1] = false
  else
    local found, count = {}, 0
    if #keys > 0 then
      local key = keys[1]
      if #keys > 1 then
        unionOf(KEYS[2], keys)
        key, scratched = KEYS[2], true
      end
      -- The union read once into Lua and its bits tested there: a GETBIT per user costs
      -- a command each, four times the whole loop.
      local bitmap = redis.call('GET', key)
      for k = 1, held, 2 do
        local n = numbers[k + 1]
        local b = byte(bitmap, floor(n / 8) + 1)
        if b and band(b, masks[n % 8 + 1]) ~= 0 then
          count = count + 1
          found[count] = numbers[k]
        end
      end
    end
    reply[#reply + 1] = found
  end
end
if scratched then redis.call('DEL', KEYS[2]) end
return reply
`,
};

/**
 * Parses the reply of {@link READ_ACTIVE_DAYS_AMONG_SCRIPT} for `dayCount` day keys,
 * `unionCount` unions and `userCount` users: the 1-based positions of the incomplete days,
 * and per union the 0-based positions of its users, or `null`.
 *
 * @internal
 * @throws UnexpectedStoreReplyError for a reply of another shape.
 */
export function parseActiveDaysAmong(reply: unknown, dayCount: number, unionCount: number, userCount: number): { incomplete: number[]; members: (number[] | null)[] } {
  const fail = (): never => {
    throw new UnexpectedStoreReplyError('the subset read script', `day positions, then ${unionCount} lists of user positions or nil`, reply);
  };
  const positions = (list: unknown, max: number): number[] =>
    Array.isArray(list) && list.every((at) => Number.isSafeInteger(at) && at >= 1 && at <= max) ? (list as number[]) : fail();
  if (!Array.isArray(reply) || reply.length !== 1 + unionCount) return fail();
  return {
    incomplete: positions(reply[0], dayCount),
    members: reply.slice(1).map((list: unknown) => (list === null ? null : positions(list, userCount).map((at) => at - 1))),
  };
}
