import { UnexpectedStoreReplyError } from '../../errors/unexpected-store-reply.error.js';
import { parseCounter } from './redis-replies.js';

/** Fields parsed between two yields to the event loop. @internal */
export const HASH_FIELDS_PER_TURN = 1000;

const SPACE = 0x20;
const NEWLINE = 0x0a;
const ZERO = 0x30;
const NINE = 0x39;

/**
 * Lets requests and timers run between slices of a long parse. Storage sits
 * below the metricas layer, so it does not import the export's own helper.
 */
function yieldToEventLoop(): Promise<void> {
  return new Promise((resolve) => setImmediate(resolve));
}

/**
 * Parses the reply of {@link DUMP_COUNTER_HASH_SCRIPT} (read as a Buffer):
 * `<byte length> <field><integer value>\n` per field, back into pairs, yielding to
 * the event loop every {@link HASH_FIELDS_PER_TURN} fields so reading a hash of
 * hundreds of thousands of fields never blocks for long. Fields are decoded as
 * UTF-8, as the store wrote them.
 *
 * @internal
 * @returns the hash's fields with their counters, in the order Redis gave them.
 * @throws UnexpectedStoreReplyError when the reply is not a Buffer or any entry is malformed.
 */
export async function parseHashDump(reply: unknown, command: string): Promise<Array<[string, number]>> {
  if (!Buffer.isBuffer(reply)) throw new UnexpectedStoreReplyError(command, 'one bulk string', reply);
  const malformed = (at: number, what: string): UnexpectedStoreReplyError =>
    new UnexpectedStoreReplyError(command, `${what} at byte ${at} of the hash dump`, reply.subarray(at, at + 40).toString('latin1'));
  const pairs: Array<[string, number]> = [];
  let at = 0;
  while (at < reply.length) {
    // The field's byte length: decimal digits, then one space.
    let length = 0;
    const lengthStart = at;
    while (at < reply.length && reply[at] >= ZERO && reply[at] <= NINE) length = length * 10 + (reply[at++] - ZERO);
    if (at === lengthStart || at - lengthStart > 15 || reply[at] !== SPACE) throw malformed(lengthStart, 'a field length and a space');
    at++;
    if (at + length > reply.length) throw malformed(lengthStart, `a field of ${length} bytes`);
    const field = reply.toString('utf8', at, at + length);
    at += length;
    const end = reply.indexOf(NEWLINE, at);
    if (end < 0) throw malformed(at, 'a value ending in a newline');
    pairs.push([field, parseCounter(reply.toString('latin1', at, end), command)]);
    at = end + 1;
    if (pairs.length % HASH_FIELDS_PER_TURN === 0) await yieldToEventLoop();
  }
  return pairs;
}
