import { describe, expect, it } from '@jest/globals';
import { isRedisUrl, toIoredisUrl } from '../../../lib/store/redis/redis-url.js';

describe('Redis URLs', () => {
  it.each(['redis://h:6379', 'rediss://h:6380/2', 'valkey://h', 'valkeys://user:pw@h:6380', 'VALKEY://h'])('accepts %s', (url) => {
    expect(isRedisUrl(url)).toBe(true);
  });

  it.each(['http://h', 'h:6379', 'redis:/h', 'valkey:h', '', 42])('refuses %j', (url) => {
    expect(isRedisUrl(url)).toBe(false);
  });

  it.each([
    ['valkey://h:6379/1', 'redis://h:6379/1'],
    ['valkeys://u:p@h:6380', 'rediss://u:p@h:6380'],
    ['Valkeys://h', 'rediss://h'],
    ['redis://h', 'redis://h'],
    ['rediss://h', 'rediss://h'],
  ])('gives ioredis %s as %s (TLS kept)', (url, ioredis) => {
    expect(toIoredisUrl(url)).toBe(ioredis);
  });
});
