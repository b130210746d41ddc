import { UnexpectedStoreReplyError } from '../../../errors/unexpected-store-reply.error.js';
import type { ActiveDayLog } from '../../active-day-logs.interface.js';
import { NUMBER_OF } from './index-lua-functions.js';
import type { RedisScript } from './redis-scripts.js';

/**
 * Day logs in Redis (see `ActiveDayLogsStore`): `{activity}:log:<id>`, a string of
 * 8-byte records, each a big-endian u32 user number then a u32 offset (ms from the
 * day's start). The first record is the header: number 0 (never a user), then the
 * owning build's token while it is built, 1 once complete. Rows are appended with
 * APPEND (8 bytes a row, no per-entry overhead); a flush or an expiry drops the rows
 * and the header together, so a log is never trusted half-lost.
 */

const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/**
 * KEYS[1]: numbers, KEYS[2]: the log. ARGV[1]: flags, 'b' to begin (replace the log
 * with an empty one owned by the build), 'm' to mark it complete after; ARGV[2]:
 * the build's token, ARGV[3]: expire-at (ms), ARGV[4..]: pairs of user id and
 * offset. Does nothing (returns 0) when another build owns the log, or when it
 * vanished (evicted, or wiped with the numbering: see NUMBER_OF); else 1. A log
 * under build also gets every committed row added meanwhile (the add script
 * appends to it), so once marked it holds every committed row of its day: a row
 * both read by the build and added (it committed in between) appears twice, which
 * readers allow.
 *
 * @internal
 */
export const ADD_ACTIVE_DAY_LOG_SCRIPT: RedisScript = {
  name: 'souvenirsAddActiveDayLog',
  numberOfKeys: 2,
  lua: `${NUMBER_OF}
numbering(KEYS[1])
local header = struct.pack('>I4I4', 0, tonumber(ARGV[2]))
if string.find(ARGV[1], 'b', 1, true) then
  redis.call('SET', KEYS[2], header, 'PXAT', ARGV[3])
  -- It holds user numbers: wiped with the others should the numbering vanish (which makes this build's next write do nothing).
  redis.call('SADD', string.sub(KEYS[1], 1, #KEYS[1] - #'numbers') .. 'numbered', KEYS[2])
elseif redis.call('GETRANGE', KEYS[2], 0, 7) ~= header then
  return 0
end
local rows = {}
for i = 4, #ARGV, 2 do
  rows[#rows + 1] = struct.pack('>I4I4', numberOf(KEYS[1], ARGV[i]), tonumber(ARGV[i + 1]))
end
if #rows > 0 then redis.call('APPEND', KEYS[2], table.concat(rows)) end
if string.find(ARGV[1], 'm', 1, true) then
  redis.call('SETRANGE', KEYS[2], 0, struct.pack('>I4I4', 0, 1))
  redis.call('PEXPIREAT', KEYS[2], ARGV[3])
end
return 1
`,
};

/**
 * A log as `GET` returns it (a Buffer; empty when missing): its rows, or `null`
 * unless complete.
 *
 * @internal
 * @throws UnexpectedStoreReplyError for a string that is not 8-byte records.
 */
export function parseDayLog(reply: unknown): ActiveDayLog | null {
  if (!Buffer.isBuffer(reply) || reply.length % 8 !== 0) throw new UnexpectedStoreReplyError('the day log read', 'a string of 8-byte records', reply);
  if (reply.length === 0 || reply.readUInt32BE(0) !== 0 || reply.readUInt32BE(4) !== 1) return null;
  const words = (reply.length - 8) / 4;
  // The reply's own memory when its words are aligned (a large reply is a buffer of its own): no copy of a 1 MB log.
  const aligned = (reply.byteOffset + 8) % 4 === 0;
  const rows = aligned ? new Uint32Array(reply.buffer, reply.byteOffset + 8, words) : new Uint32Array(words);
  if (!aligned) new Uint8Array(rows.buffer).set(reply.subarray(8));
  // Big-endian records, read as native words: one byte swap pass, in place.
  if (LITTLE_ENDIAN) Buffer.from(rows.buffer, rows.byteOffset, rows.byteLength).swap32();
  return { rows };
}
