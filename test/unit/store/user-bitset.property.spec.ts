import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { InvalidUserNumberError } from '../../../lib/errors/invalid-user-number.error.js';
import { UserBitset, bitsIn } from '../../../lib/shared/user-bitset.js';

/** Sets of user numbers crossing several 32-bit words, some near word edges. */
const users = fc.uniqueArray(fc.oneof(fc.integer({ min: 0, max: 300 }), fc.constantFrom(0, 31, 32, 63, 64, 95, 96, 4_095, 4_096)), { maxLength: 80 });
const sorted = (values: Iterable<number>): number[] => [...values].sort((a, b) => a - b);

/** The Redis SETBIT layout of `members`: bit n, most significant bit of each byte first. */
function redisBitmap(members: readonly number[], extraBytes = 0): Buffer {
  const bitmap = Buffer.alloc((members.length === 0 ? 0 : Math.floor(Math.max(...members) / 8) + 1) + extraBytes);
  for (const n of members) bitmap[n >> 3] |= 0x80 >> (n & 7);
  return bitmap;
}

describe('UserBitset', () => {
  it('counts the set bits of any 32-bit word', () => {
    fc.assert(fc.property(fc.integer({ min: 0, max: 0xffffffff }), (word) => expect(bitsIn(word)).toBe(word.toString(2).replaceAll('0', '').length)));
  });

  it('holds what a Set holds: members, count, has', () => {
    fc.assert(
      fc.property(users, fc.integer({ min: 0, max: 5_000 }), (members, probe) => {
        const set = UserBitset.of(members);
        expect(set.toArray()).toEqual(sorted(members));
        expect(set.count()).toBe(members.length);
        expect(set.has(probe)).toBe(members.includes(probe));
      }),
    );
  });

  it('unites, intersects and subtracts as Sets do, and counts unions and intersections without making them', () => {
    fc.assert(
      fc.property(users, users, (a, b) => {
        const [left, right] = [UserBitset.of(a), UserBitset.of(b)];
        const union = sorted(new Set([...a, ...b]));
        const intersection = sorted(a.filter((n) => b.includes(n)));
        expect(left.clone().addAll(right).toArray()).toEqual(union);
        expect(left.clone().retainAll(right).toArray()).toEqual(intersection);
        expect(left.clone().removeAll(right).toArray()).toEqual(sorted(a.filter((n) => !b.includes(n))));
        // Made into a set of another size, or into one of the operands.
        expect(UserBitset.of([5_000]).assignUnion(left, right).toArray()).toEqual(union);
        expect(UserBitset.empty().assignUnion(right, left).toArray()).toEqual(union);
        const operand = left.clone();
        expect(operand.assignUnion(right, operand).toArray()).toEqual(union);
        expect(UserBitset.of([5_000, 1]).assign(right).toArray()).toEqual(sorted(b));
        expect(left.countUnion(right)).toBe(union.length);
        expect(right.countUnion(left)).toBe(union.length);
        expect(left.countIntersection(right)).toBe(intersection.length);
        // The operands are left as they were.
        expect(left.toArray()).toEqual(sorted(a));
      }),
    );
  });

  it('reads a Redis bitmap of any length whole, without bit 0 (the completeness mark)', () => {
    fc.assert(
      fc.property(users, fc.integer({ min: 0, max: 6 }), (members, extraBytes) => {
        const withMark = [...new Set([0, ...members])];
        const set = UserBitset.fromRedisBitmap(redisBitmap(withMark, extraBytes));
        expect(set.toArray()).toEqual(sorted(members.filter((n) => n !== 0)));
      }),
    );
  });

  it('reads a bitmap that is a view into a larger buffer (as a Redis reply may be)', () => {
    const pool = Buffer.concat([Buffer.from([0xff, 0xff, 0xff]), redisBitmap([0, 9, 40]), Buffer.from([0xff])]);
    const bitmap = pool.subarray(3, pool.length - 1);
    expect(UserBitset.fromRedisBitmap(bitmap).toArray()).toEqual([9, 40]);
  });

  it('refuses a number that is not a non-negative 32-bit integer', () => {
    for (const bad of [-1, 1.5, 2 ** 32, Number.NaN]) expect(() => UserBitset.empty().add(bad)).toThrow(InvalidUserNumberError);
  });

  it('joins sets side by side: part i\'s user n becomes n + 32 × its word offset, nothing else', () => {
    fc.assert(
      fc.property(fc.array(fc.tuple(users, fc.integer({ min: 0, max: 3 })), { maxLength: 6 }), (parts) => {
        const sets = parts.map(([members]) => UserBitset.of(members));
        // Offsets past each part's words, with a gap of 0 to 3 words.
        const offsets: number[] = [];
        let at = 0;
        sets.forEach((set, i) => {
          offsets.push(at);
          at += set.wordArray.length + parts[i][1];
        });
        const joined = UserBitset.joined(sets, offsets);
        expect(joined.toArray()).toEqual(sorted(parts.flatMap(([members], i) => members.map((n) => n + 32 * offsets[i]))));
        expect(joined.count()).toBe(parts.reduce((sum, [members]) => sum + members.length, 0));
      }),
    );
  });
});
