import { UnexpectedStoreReplyError } from '../../../errors/unexpected-store-reply.error.js';
import type { ActiveUsersPerTenant } from '../../active-users-per-tenant.interface.js';
import { INCOMPLETE_DAYS, OWNERS_OF, PAIR_BLOCK_BITS, TENANT_OF_PAIR, UNION_INTO } from './index-lua-functions.js';
import type { RedisScript } from './redis-scripts.js';

/**
 * The billing run of a pairs index (see NUMBER_OF in index-lua-functions.ts: each tenant's
 * pairs numbered in blocks of 64, the tenant of each block in the numbering and copied to
 * the list `owners`). KEYS[1]: numbers, KEYS[2]: owners, KEYS[3]: scratch, KEYS[4..]:
 * days. ARGV: pairs to add to the union (each once). Returns {0, i, …} with the 1-based positions of the days not complete,
 * or {1, tenant, count, …} for every tenant with an active pair.
 *
 * The days are ORed into scratch (as `unionInto` does), pairs of ARGV set in it (one
 * without a number is in no day: its tenant's count just takes one more), and the union
 * read into Lua once: each block's 8 bytes are counted there and added to its owner.
 * What Redis does is one site-wide union and one pass over it (about 210 KB of bits for a
 * million pairs in 10,000 tenants); only the tenants' counts cross the network.
 *
 * @internal
 */
export const COUNT_ACTIVE_USERS_PER_TENANT_SCRIPT: RedisScript = {
  name: 'souvenirsCountActiveUsersPerTenant',
  numberOfKeys: 0, // variadic: given per call
  lua: `${UNION_INTO}${INCOMPLETE_DAYS}${TENANT_OF_PAIR}${OWNERS_OF}
local incomplete, numbered = incompleteDays(KEYS[1], 4)
if #incomplete > 1 then return incomplete end
local counts = {}
local scratch = KEYS[3]
redis.call('DEL', scratch)
if #KEYS >= 4 then unionInto(scratch, 4, #KEYS) end
-- No day asked: every pair of ARGV counts, whatever its number (none trusted without the mark).
for from = 1, #ARGV, 1000 do
  local got = numbered and redis.call('HMGET', KEYS[1], unpack(ARGV, from, math.min(from + 999, #ARGV))) or {}
  for j = 1, math.min(1000, #ARGV - from + 1) do
    if got[j] then
      redis.call('SETBIT', scratch, tonumber(got[j]), 1)
    else
      local tenant = tenantOfPair(ARGV[from + j - 1])
      counts[tenant] = (counts[tenant] or 0) + 1
    end
  end
end
local union = redis.call('GET', scratch) or ''
redis.call('DEL', scratch)
local POP = {}
for b = 0, 255 do
  local n, v = 0, b
  while v > 0 do n, v = n + v % 2, math.floor(v / 2) end
  POP[b] = n
end
local owners = ownersOf(KEYS[1], KEYS[2])
local width = ${PAIR_BLOCK_BITS / 8}
for k = 1, #owners do
  local p = k * width + 1
  if p > #union then break end
  local a, b, c, d, e, f, g, h = string.byte(union, p, p + width - 1)
  local n = POP[a] + POP[b or 0] + POP[c or 0] + POP[d or 0] + POP[e or 0] + POP[f or 0] + POP[g or 0] + POP[h or 0]
  if n > 0 and owners[k] ~= '' then counts[owners[k]] = (counts[owners[k]] or 0) + n end
end
local reply = {1}
for tenant, n in pairs(counts) do
  reply[#reply + 1] = tenant
  reply[#reply + 1] = n
end
return reply
`,
};

/** The script's reply as the store's answer; `days` as asked. @internal */
export function parseActiveUsersPerTenant(reply: unknown, days: readonly string[]): ActiveUsersPerTenant {
  const unexpected = () => new UnexpectedStoreReplyError('the per-tenant count script', '[1, tenant, count, …] or [0, day positions…]', reply);
  if (!Array.isArray(reply)) throw unexpected();
  if (reply[0] === 0 && reply.length > 1) {
    const positions = reply.slice(1);
    if (!positions.every((at) => Number.isSafeInteger(at) && at >= 1 && at <= days.length)) throw unexpected();
    return { incompleteDays: positions.map((at: number) => days[at - 1]) };
  }
  if (reply[0] !== 1 || reply.length % 2 === 0) throw unexpected();
  const tenants: (readonly [string, number])[] = [];
  for (let i = 1; i < reply.length; i += 2) {
    const [tenant, count] = [reply[i], reply[i + 1]];
    if (typeof tenant !== 'string' || !Number.isSafeInteger(count) || count <= 0) throw unexpected();
    tenants.push([tenant, count]);
  }
  return { tenants };
}
