import { describe, expect, it } from '@jest/globals';
import { MAX_USER_ID_LENGTH, toUserId } from '../../../lib/activity/user-ref.js';
import { InvalidUserError } from '../../../lib/errors/invalid-user.error.js';

describe('toUserId', () => {
  it.each([
    ['a string', 'ann', 'ann'],
    ['an integer, in decimal', 42, '42'],
    ['zero', 0, '0'],
    ['a negative integer', -7, '-7'],
    ['a finite fraction, via String()', 1.5, '1.5'],
    ['an object with a string id', { id: 'u-1', name: 'Ann' }, 'u-1'],
    ['an object with a number id', { id: 9 }, '9'],
    ['a string of 191 characters', 'a'.repeat(MAX_USER_ID_LENGTH), 'a'.repeat(MAX_USER_ID_LENGTH)],
  ])('keeps %s', (_name, user, expected) => {
    expect(toUserId(user)).toBe(expected);
  });

  it('makes 42, "42" and { id: 42 } the same user', () => {
    expect(new Set([toUserId(42), toUserId('42'), toUserId({ id: 42 })])).toEqual(new Set(['42']));
  });

  it.each([
    ['an empty string', ''],
    ['a blank string', ' \t'],
    ['NaN', Number.NaN],
    ['Infinity', Number.POSITIVE_INFINITY],
    ['-Infinity', Number.NEGATIVE_INFINITY],
    ['null', null],
    ['undefined', undefined],
    ['a boolean', true],
    ['a bigint', 10n],
    ['an array', ['1']],
    ['an object without id', { name: 'ann' }],
    ['an object with a null id', { id: null }],
    ['an object with an empty id', { id: '' }],
    ['an object with a NaN id', { id: Number.NaN }],
    ['an object whose id is an object', { id: { id: 1 } }],
  ])('rejects %s with InvalidUserError', (_name, user) => {
    expect(() => toUserId(user)).toThrow(InvalidUserError);
    expect(() => toUserId(user)).toThrow(expect.objectContaining({ reason: 'no-id' }));
    expect(() => toUserId(user)).toThrow(/Cannot tell which user this is/);
  });

  it('rejects an id past 191 characters (code points) with InvalidUserError, reason too-long', () => {
    expect(() => toUserId('a'.repeat(192))).toThrow(InvalidUserError);
    expect(() => toUserId('a'.repeat(192))).toThrow(expect.objectContaining({ reason: 'too-long', maxLength: 191 }));
    expect(() => toUserId({ id: 'a'.repeat(192) })).toThrow(/User id is 192 characters long, but activity keeps at most 191/);
    // 191 astral characters are 382 UTF-16 units, but 191 characters to the database.
    expect(toUserId('𝒜'.repeat(191))).toBe('𝒜'.repeat(191));
    expect(() => toUserId('𝒜'.repeat(192))).toThrow(InvalidUserError);
    expect(() => toUserId('𝒜'.repeat(192))).toThrow(expect.objectContaining({ reason: 'too-long', maxLength: 191 }));
  });
});
