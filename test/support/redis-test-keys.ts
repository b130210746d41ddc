import { randomBytes } from 'node:crypto';
import type { Redis } from 'ioredis';

/** A key prefix no other test file (or run) uses: `test-souvenirs-<hex>`. */
export function randomKeyPrefix(label = 'test-souvenirs'): string {
  return `${label}-${randomBytes(6).toString('hex')}`;
}

/** `text` with Redis glob characters escaped, for SCAN MATCH. */
export function escapeGlob(text: string): string {
  return text.replace(/[\\*?[\]]/g, (char) => `\\${char}`);
}

/**
 * Deletes every key under `${prefix}:` on a single Redis (SCAN MATCH, then DEL in
 * batches), so a test file leaves the shared Redis as it found it.
 *
 * @returns how many keys were deleted.
 */
export async function deleteKeysWithPrefix(client: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await client.scan(cursor, 'MATCH', `${escapeGlob(prefix)}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length > 0) deleted += await client.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
