import { describe, expect, it } from '@jest/globals';
import { UnexpectedStoreReplyError } from '../../../lib/errors/unexpected-store-reply.error.js';
import { HASH_FIELDS_PER_TURN, parseHashDump } from '../../../lib/store/redis/redis-hash-dump.js';

/** Builds a dump as the Lua script does: `<byte length> <field><value>\n` per field. */
const dump = (pairs: Array<[string, string | number]>): Buffer =>
  Buffer.concat(pairs.map(([field, value]) => Buffer.from(`${Buffer.byteLength(field)} ${field}${value}\n`)));

describe('parseHashDump', () => {
  it('reads fields of any bytes by their length, and an empty dump as no fields', async () => {
    const pairs: Array<[string, number]> = [['a b', 1], ['x\n9', -2], ['', 0], ['€🦊{}', 9_007_199_254_740_991], ['12', 34]];
    await expect(parseHashDump(dump(pairs), 'test')).resolves.toEqual(pairs);
    await expect(parseHashDump(Buffer.alloc(0), 'test')).resolves.toEqual([]);
  });

  it.each([
    ['a string, not a Buffer', '1 a1\n'],
    ['no length', Buffer.from(' a1\n')],
    ['no space after the length', Buffer.from('1a1\n')],
    ['a length past the end', Buffer.from('9 a1\n')],
    ['no newline after the value', Buffer.from('1 a1')],
    ['a value that is not an integer', Buffer.from('1 a1.5\n')],
    ['an empty value', Buffer.from('1 a\n')],
    ['a value past the safe integers', Buffer.from('1 a9007199254740993\n')],
  ])('refuses %s with UnexpectedStoreReplyError', async (_label, reply) => {
    await expect(parseHashDump(reply, 'test')).rejects.toThrow(UnexpectedStoreReplyError);
  });

  it('lets other callbacks run between slices of a large dump', async () => {
    const pairs = Array.from({ length: HASH_FIELDS_PER_TURN * 5 }, (_, index): [string, number] => [`f${index}`, index]);
    let done = false;
    let turnsDuringParse = 0;
    const parsing = parseHashDump(dump(pairs), 'test').finally(() => (done = true));
    while (!done) {
      await new Promise((resolve) => setImmediate(resolve));
      if (!done) turnsDuringParse++;
    }
    await expect(parsing).resolves.toEqual(pairs);
    expect(turnsDuringParse).toBeGreaterThanOrEqual(4);
  });
});
