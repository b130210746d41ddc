import { UnexpectedStoreReplyError } from '../../../errors/unexpected-store-reply.error.js';
import type { ActiveDayUnions } from '../../active-day-logs.interface.js';
import type { RedisScript } from './redis-scripts.js';
import { UNION_INTO } from './index-lua-functions.js';
import { parseDayLog } from './day-log-scripts.js';
import { bitmapMembers } from './active-day-members-script.js';

/**
 * KEYS[1]: numbers, KEYS[2]: scratch, KEYS[3..]: the days of each union in turn
 * (see active-days-scripts.ts), then logs (see day-log-scripts.ts). ARGV: each
 * union's number of days (at least one). Returns the 1-based positions (among the
 * day keys) of the days not complete, then each union as a bitmap (the days ORed
 * into scratch, which is deleted; an empty string when one of its days is not
 * complete), then each log as it is (empty when missing). One script, so days,
 * unions and logs are of one instant and one numbering; only the unions and the
 * logs cross the network, not every day (a 30-day union is one 125 KB bitmap per
 * million users, not thirty).
 *
 * @internal
 */
export const READ_ACTIVE_DAY_UNIONS_SCRIPT: RedisScript = {
  name: 'souvenirsReadActiveDayUnions',
  numberOfKeys: 0, // variadic: given per call
  lua: `${UNION_INTO}
local incomplete = {}
local reply = {incomplete}
-- A numbering without its mark (see index-lua-functions.ts) holds nothing complete.
local numbered = redis.call('HEXISTS', KEYS[1], '') == 1
local at = 3
for u = 1, #ARGV do
  local last = at + tonumber(ARGV[u]) - 1
  local complete = true
  for i = at, last do
    if not numbered or redis.call('GETBIT', KEYS[i], 0) == 0 then
      incomplete[#incomplete + 1] = i - 2
      complete = false
    end
  end
  if not complete then
    reply[#reply + 1] = ''
  elseif last == at then
    reply[#reply + 1] = redis.call('GET', KEYS[at])
  else
    unionInto(KEYS[2], at, last)
    reply[#reply + 1] = redis.call('GET', KEYS[2])
  end
  at = last + 1
end
redis.call('DEL', KEYS[2])
for i = at, #KEYS do
  reply[#reply + 1] = numbered and redis.call('GET', KEYS[i]) or ''
end
return reply
`,
};

/**
 * Parses the reply of {@link READ_ACTIVE_DAY_UNIONS_SCRIPT} (read with Buffer
 * replies) for the day ids `days` (every union's days in turn).
 *
 * @internal
 * @throws UnexpectedStoreReplyError for a reply of another shape.
 */
export function parseActiveDayUnions(reply: unknown, days: readonly string[], unionCount: number, logCount: number): ActiveDayUnions {
  const fail = (): never => {
    throw new UnexpectedStoreReplyError('the day unions read script', `day positions, ${unionCount} bitmaps, ${logCount} logs`, reply);
  };
  if (!Array.isArray(reply) || reply.length !== 1 + unionCount + logCount || !Array.isArray(reply[0])) return fail();
  const positions = reply[0] as unknown[];
  if (!positions.every((at) => Number.isSafeInteger(at) && (at as number) >= 1 && (at as number) <= days.length)) return fail();
  return {
    incompleteDays: [...new Set(positions.map((at) => days[(at as number) - 1]))],
    unions: reply.slice(1, 1 + unionCount).map((bitmap: unknown) => (Buffer.isBuffer(bitmap) ? bitmapMembers(bitmap) : fail())),
    logs: reply.slice(1 + unionCount).map(parseDayLog),
  };
}
