import { CLUSTER_SLOTS, keySlot } from './redis-key-slot.js';

/**
 * How the site-wide active-users index is split on a Redis Cluster: into
 * {@link SITE_INDEX_SHARDS} shards, each a whole index of its own (numbering, days,
 * builds, pending adds, day logs, first activity, rate-limit claims) under a hash
 * tag of its own, so every script still runs in one slot, and a user belongs to the
 * shard its id hashes to (always the same one). Shards share no user, so the site's
 * users are the disjoint union of theirs: counts add up, and sets read back are
 * joined with each shard's numbers in a range of its own. See docs/activity.md,
 * "The site index on a Redis Cluster: shards".
 */

/**
 * Shards of the site index on a Cluster. Never change it: a user's shard (so where
 * its number and bits live) follows from it. 8 spreads a million users 125,000 a
 * shard (a 15.6 KB bitmap a day) over 8 slots about 2,048 apart, so any Cluster of up to 8
 * masters with even slot ranges holds a share on each; more shards would cost each
 * count more requests and scripts (16: a 30-day count at 1M users twice as slow as 8).
 *
 * @internal
 */
export const SITE_INDEX_SHARDS = 8;

let tags: readonly string[] | undefined;

/**
 * The hash tags of the shards: shard k's tag is `{activity-s<k>-<n>}`, n the first
 * integer that puts it in the k-th of {@link SITE_INDEX_SHARDS} equal bands of slots
 * (consecutive shards about 2,048 slots apart, on different masters of an evenly split
 * Cluster). The text does
 * not start `{activity:`, so no shard is mistaken for a tenant's namespace.
 *
 * @internal
 */
export function siteShardTags(): readonly string[] {
  if (!tags) {
    const band = CLUSTER_SLOTS / SITE_INDEX_SHARDS;
    tags = Array.from({ length: SITE_INDEX_SHARDS }, (_, shard) => {
      for (let n = 0; ; n++) {
        const tag = `activity-s${shard}-${n}`;
        if (Math.floor(keySlot(tag) / band) === shard) return `{${tag}}`;
      }
    });
  }
  return tags;
}

/**
 * The shard of user `id`: FNV-1a over its UTF-8 bytes, mixed (murmur3's finalizer,
 * so consecutive ids spread), modulo the shards. Stable forever (see {@link SITE_INDEX_SHARDS}).
 *
 * @internal
 */
export function siteShardOf(id: string): number {
  let hash = 0x811c9dc5;
  for (const byte of Buffer.from(id, 'utf8')) hash = Math.imul(hash ^ byte, 0x01000193);
  hash ^= hash >>> 16;
  hash = Math.imul(hash, 0x85ebca6b);
  hash ^= hash >>> 13;
  hash = Math.imul(hash, 0xc2b2ae35);
  hash ^= hash >>> 16;
  return (hash >>> 0) % SITE_INDEX_SHARDS;
}
