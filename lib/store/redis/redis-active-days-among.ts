import type { Cluster, Redis } from 'ioredis';
import type { ActiveDaysAmong } from '../active-days-among.interface.js';
import { READ_ACTIVE_DAYS_AMONG_SCRIPT, parseActiveDaysAmong } from './lua/active-days-among-script.js';
import { pipelineReplies } from './redis-replies.js';

/**
 * Users a subset read asks per script, and bits it tests (users times unions): a larger
 * subset goes in several scripts of one pipeline, so Redis is never held for long (10,000
 * users over one union: about 10 ms, most of it the HMGET of their numbers) and no
 * script's arguments grow without bound.
 */
const USERS_PER_SCRIPT = 10_000;
const BITS_PER_SCRIPT = 100_000;

type Runner = (...args: string[]) => Promise<unknown>;

/** The keys of one index (its hash tag in each) a subset read takes. @internal */
export interface AmongKeys {
  readonly numbers: string;
  readonly scratch: string;
  day(id: string): string;
}

/**
 * Which of `users` are in each list of days of `unions`, intersected in Redis by
 * {@link READ_ACTIVE_DAYS_AMONG_SCRIPT}: one script per part of the users, one pipeline
 * (one round trip). Each part is one atomic step; a user is in one part, so the parts'
 * answers are merged as they are (positions shifted to the whole list, a union `null`
 * when any part found one of its days not complete).
 *
 * @internal
 */
export async function readActiveDaysAmong(
  client: Redis | Cluster,
  keys: AmongKeys,
  unions: readonly (readonly string[])[],
  users: readonly string[],
): Promise<ActiveDaysAmong> {
  const days = [...new Set(unions.flat())];
  const position = new Map(days.map((id, at) => [id, at + 1]));
  const scriptKeys = [keys.numbers, keys.scratch, ...days.map((id) => keys.day(id))];
  const shape = [String(unions.length), ...unions.flatMap((union) => [String(union.length), ...union.map((id) => String(position.get(id)))])];
  const perScript = Math.max(1, Math.min(USERS_PER_SCRIPT, Math.floor(BITS_PER_SCRIPT / Math.max(1, unions.length))));
  const pipeline = client.pipeline() as unknown as Record<string, Runner> & { exec(): Promise<Array<[Error | null, unknown]> | null> };
  const parts: number[] = [];
  for (let from = 0; from === 0 || from < users.length; from += perScript) {
    parts.push(from);
    pipeline[READ_ACTIVE_DAYS_AMONG_SCRIPT.name](String(scriptKeys.length), ...scriptKeys, ...shape, ...users.slice(from, from + perScript));
  }
  const replies = pipelineReplies(await pipeline.exec(), 'the subset reads');
  const incomplete = new Set<string>();
  const members: (number[] | null)[] = unions.map(() => []);
  replies.forEach((reply, p) => {
    const from = parts[p];
    const read = parseActiveDaysAmong(reply, days.length, unions.length, Math.min(perScript, users.length - from));
    for (const at of read.incomplete) incomplete.add(days[at - 1]);
    read.members.forEach((found, u) => {
      const held = members[u];
      if (found === null) members[u] = null;
      else if (held !== null) for (const at of found) held.push(from + at);
    });
  });
  return { members, incompleteDays: [...incomplete] };
}
