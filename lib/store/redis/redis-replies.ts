import { UnexpectedStoreReplyError } from '../../errors/unexpected-store-reply.error.js';

/**
 * Type checks of Redis replies: a reply of the wrong shape is an error, never a
 * silently wrong number.
 */

const INTEGER = /^-?\d+$/;

/**
 * A counter as HGET/HMGET returns it: `null` (missing, read as 0) or the decimal
 * text of an integer JavaScript represents exactly.
 *
 * @internal
 * @throws UnexpectedStoreReplyError for anything else.
 */
export function parseCounter(reply: unknown, command: string): number {
  if (reply === null) return 0;
  if (typeof reply === 'string' && INTEGER.test(reply)) {
    const value = Number(reply);
    if (Number.isSafeInteger(value)) return value;
  }
  throw new UnexpectedStoreReplyError(command, 'an integer counter or nothing', reply);
}

/**
 * An event time kept by the rate-limit scripts: the decimal text of an integer.
 *
 * @internal
 * @throws UnexpectedStoreReplyError for anything else.
 */
export function parseTime(reply: unknown, command: string): number {
  if (typeof reply === 'string' && INTEGER.test(reply)) {
    const value = Number(reply);
    if (Number.isSafeInteger(value)) return value;
  }
  throw new UnexpectedStoreReplyError(command, 'an integer time in milliseconds', reply);
}

/**
 * The claim script's reply: `[1]` (granted, no previous time), `[1, last]`
 * (granted, replacing `last`) or `[0, last]` (rate-limited).
 *
 * @internal
 * @returns whether the claim was granted and the last time that stood before it.
 * @throws UnexpectedStoreReplyError for any other shape.
 */
export function parseClaimReply(reply: unknown, command: string): { granted: boolean; previousMs: number | null } {
  if (Array.isArray(reply)) {
    if (reply.length === 1 && reply[0] === 1) return { granted: true, previousMs: null };
    if (reply.length === 2 && (reply[0] === 0 || reply[0] === 1)) {
      return { granted: reply[0] === 1, previousMs: parseTime(reply[1], command) };
    }
  }
  throw new UnexpectedStoreReplyError(command, '[1], [1, last] or [0, last]', reply);
}

/**
 * A 0/1 integer reply as a boolean.
 *
 * @internal
 * @throws UnexpectedStoreReplyError for anything else.
 */
export function parseFlag(reply: unknown, command: string): boolean {
  if (reply === 0 || reply === 1) return reply === 1;
  throw new UnexpectedStoreReplyError(command, '0 or 1', reply);
}

/**
 * An array of strings, as SMEMBERS returns.
 *
 * @internal
 * @throws UnexpectedStoreReplyError for anything else.
 */
export function parseStrings(reply: unknown, command: string): string[] {
  if (Array.isArray(reply) && reply.every((item) => typeof item === 'string')) return reply as string[];
  throw new UnexpectedStoreReplyError(command, 'an array of strings', reply);
}

/**
 * The reply of the members-and-counters script: `[members, counters]`, the
 * counters flat (`templateCount` per member), each an integer text or 0 (missing).
 *
 * @internal
 * @returns the members and one row of counters per member.
 * @throws UnexpectedStoreReplyError for any other shape or a counter that is not an integer.
 */
export function parseMemberCounters(
  reply: unknown,
  templateCount: number,
  command: string,
): { members: string[]; counters: number[][] } {
  if (!Array.isArray(reply) || reply.length !== 2 || !Array.isArray(reply[1])) {
    throw new UnexpectedStoreReplyError(command, '[members, counters]', reply);
  }
  // An empty Lua table comes back as an empty array, whichever of the two it is.
  const members = parseStrings(reply[0], command);
  const flat = reply[1] as unknown[];
  if (flat.length !== members.length * templateCount) {
    throw new UnexpectedStoreReplyError(command, `${members.length * templateCount} counters`, flat.length);
  }
  const counters = members.map((_member, index) =>
    flat.slice(index * templateCount, (index + 1) * templateCount).map((value) => (value === 0 ? 0 : parseCounter(value, command))),
  );
  return { members, counters };
}

/**
 * The replies of an executed pipeline, throwing the first command error.
 *
 * @internal
 * @throws the first error a command of the pipeline got.
 */
export function pipelineReplies(results: Array<[Error | null, unknown]> | null, what: string): unknown[] {
  if (results === null) throw new UnexpectedStoreReplyError(what, 'one reply per command', results);
  return results.map(([error, reply]) => {
    if (error) throw error;
    return reply;
  });
}
