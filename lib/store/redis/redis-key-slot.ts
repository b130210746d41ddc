/**
 * Redis Cluster key slots, computed as Redis does (CRC16/XMODEM of the key's UTF-8
 * bytes, or of its hash tag, modulo 16384), so commands can be grouped into one
 * pipeline per slot without depending on ioredis's internal helper.
 */

/** Number of hash slots of a Redis Cluster. @internal */
export const CLUSTER_SLOTS = 16384;

const CRC16_TABLE = buildCrc16Table();

function buildCrc16Table(): Uint16Array {
  const table = new Uint16Array(256);
  for (let byte = 0; byte < 256; byte++) {
    let crc = byte << 8;
    for (let bit = 0; bit < 8; bit++) crc = crc & 0x8000 ? (crc << 1) ^ 0x1021 : crc << 1;
    table[byte] = crc & 0xffff;
  }
  return table;
}

/** CRC16/XMODEM (polynomial 0x1021, initial value 0), the checksum Redis Cluster uses. @internal */
export function crc16(bytes: Uint8Array): number {
  let crc = 0;
  for (const byte of bytes) crc = ((crc << 8) & 0xffff) ^ CRC16_TABLE[((crc >> 8) ^ byte) & 0xff];
  return crc;
}

/**
 * The part of `key` that decides its slot: the text between the first `{` and the
 * next `}` when that text is not empty, else the whole key (Redis's rule).
 *
 * @internal
 */
export function hashTagOf(key: string): string {
  const open = key.indexOf('{');
  if (open === -1) return key;
  const close = key.indexOf('}', open + 1);
  if (close === -1 || close === open + 1) return key;
  return key.slice(open + 1, close);
}

/** The Redis Cluster slot of `key` (0–16383). @internal */
export function keySlot(key: string): number {
  return crc16(Buffer.from(hashTagOf(key), 'utf8')) % CLUSTER_SLOTS;
}

let slotTags: string[] | undefined;

/**
 * A short hash tag whose key slot is `slot`: a key `…{tag}…` lands in that slot,
 * so a key of our own (a flush id) can join keys of a slot that have no tag of
 * their own. The table is built once, on first use (a few ms).
 *
 * @internal
 */
export function tagOfSlot(slot: number): string {
  if (!slotTags) {
    const tags: string[] = new Array<string>(CLUSTER_SLOTS);
    let missing = CLUSTER_SLOTS;
    for (let n = 0; missing > 0; n++) {
      const tag = n.toString(36);
      const at = keySlot(tag);
      if (tags[at] === undefined) {
        tags[at] = tag;
        missing--;
      }
    }
    slotTags = tags;
  }
  return slotTags[slot]!;
}
