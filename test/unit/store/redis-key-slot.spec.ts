import { describe, expect, it } from '@jest/globals';
import { crc16, hashTagOf, keySlot } from '../../../lib/store/redis/redis-key-slot.js';

describe('redis-key-slot', () => {
  it('computes CRC16/XMODEM (check value of "123456789" is 0x31C3)', () => {
    expect(crc16(Buffer.from('123456789'))).toBe(0x31c3);
    expect(crc16(new Uint8Array())).toBe(0);
  });

  it('gives the slots the Redis documentation shows', () => {
    expect(keySlot('somekey')).toBe(11058);
    expect(keySlot('foo')).toBe(12182);
  });

  it('hashes only a non-empty hash tag, by Redis rules', () => {
    expect(hashTagOf('{user1000}.following')).toBe('user1000');
    expect(hashTagOf('foo{}{bar}')).toBe('foo{}{bar}');
    expect(hashTagOf('foo{{bar}}zap')).toBe('{bar');
    expect(hashTagOf('foo{bar}{zap}')).toBe('bar');
    expect(hashTagOf('no-tag')).toBe('no-tag');
    expect(hashTagOf('open{only')).toBe('open{only');
    expect(keySlot('prefix:{user1000}:x')).toBe(keySlot('{user1000}.followers'));
  });

  it('hashes the UTF-8 bytes of the key', () => {
    expect(keySlot('ü')).toBe(crc16(Buffer.from([0xc3, 0xbc])) % 16384);
  });
});
