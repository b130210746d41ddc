import { describe, expect, it } from '@jest/globals';
import { CLUSTER_SLOTS, keySlot } from '../../../lib/store/redis/redis-key-slot.js';
import { SITE_INDEX_SHARDS, siteShardOf, siteShardTags } from '../../../lib/store/redis/redis-index-shards.js';
import { namespaceOfTag } from '../../../lib/store/redis/redis-active-days.js';

describe('the shards of the site index on a Cluster', () => {
  it('puts shard k in the k-th band of slots, under a tag no tenant namespace reads as its own', () => {
    const tags = siteShardTags();
    expect(tags).toHaveLength(SITE_INDEX_SHARDS);
    tags.forEach((tag, shard) => {
      expect(Math.floor(keySlot(`souvenirs:${tag}:day:UTC/2026-03-02`) / (CLUSTER_SLOTS / SITE_INDEX_SHARDS))).toBe(shard);
      expect(namespaceOfTag(tag)).toBeNull();
    });
  });

  it("keeps the layout a stored index relies on: the shard count, the tags and each user's shard", () => {
    // Changing any of these moves users' numbers and bits to other keys: never do it.
    expect(SITE_INDEX_SHARDS).toBe(8);
    expect(siteShardTags()).toEqual(['{activity-s0-43}', '{activity-s1-2}', '{activity-s2-2}', '{activity-s3-43}', '{activity-s4-2}', '{activity-s5-42}', '{activity-s6-42}', '{activity-s7-2}']);
    expect(['1', '42', 'ann', 'ü{x}', 'user-123456'].map(siteShardOf)).toEqual([7, 5, 5, 7, 6]);
  });

  it('spreads users evenly, consecutive numeric ids included', () => {
    const perShard = new Array<number>(SITE_INDEX_SHARDS).fill(0);
    for (let id = 1; id <= 80_000; id++) perShard[siteShardOf(String(id))]++;
    for (const users of perShard) expect(Math.abs(users - 10_000)).toBeLessThan(500);
  });
});
