import { InvalidUserNumberError } from '../errors/invalid-user-number.error.js';

/**
 * Whether this machine stores a 32-bit word least significant byte first: then
 * Redis' bytes, read as words, need their bytes swapped (one native pass).
 */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;
const TOP_BIT = 0x80000000;

/** Set bits of a 32-bit word, by bit tricks (no loop over its bits). */
export function bitsIn(word: number): number {
  let v = word - ((word >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

/**
 * A set of users by number (non-negative integers, small and dense: the
 * active-users index's own user numbers), as bits over 32-bit words. Union,
 * intersection and difference are one pass over the words, and counting needs
 * no loop over the bits: what makes distinct counts and the active-user
 * analytics fast at a million users (125 KB a set).
 *
 * Bit order is Redis' SETBIT order, so a day bitmap read from Redis becomes a
 * bitset with one byte swap: user `n` is bit `n % 32` counted from the most
 * significant bit of word `n / 32`, each word being four bytes of the bitmap
 * read big-endian.
 *
 * Mutating methods (`add`, `addAll`, `retainAll`, `removeAll`) change this set and
 * return it; a set read from a store may be shared, so `clone` it first.
 *
 * @publicApi
 */
export class UserBitset {
  private constructor(private words: Uint32Array) {}

  /** No users. */
  static empty(): UserBitset {
    return new UserBitset(new Uint32Array(0));
  }

  /** The given user numbers. */
  static of(users: Iterable<number>): UserBitset {
    const set = UserBitset.empty();
    for (const user of users) set.add(user);
    return set;
  }

  /**
   * The users of a day bitmap as Redis keeps it (bit n set, most significant bit
   * of each byte first, for user n), without bit 0: the index's mark that the
   * day is complete, never a user.
   */
  static fromRedisBitmap(bitmap: Uint8Array): UserBitset {
    const words = new Uint32Array(Math.ceil(bitmap.length / 4));
    new Uint8Array(words.buffer).set(bitmap);
    if (LITTLE_ENDIAN) Buffer.from(words.buffer, words.byteOffset, words.byteLength).swap32();
    if (words.length > 0) words[0] &= ~TOP_BIT;
    return new UserBitset(words);
  }

  /**
   * The sets of `parts` side by side, part i's user n becoming n + 32 × `wordOffsets[i]`
   * (offsets growing, each part ending before the next begins): one copy of each, for
   * stores that keep users in disjoint shards of their own numbering.
   */
  static joined(parts: readonly UserBitset[], wordOffsets: readonly number[]): UserBitset {
    const last = parts.length - 1;
    const words = new Uint32Array(last < 0 ? 0 : wordOffsets[last] + parts[last].words.length);
    parts.forEach((part, i) => words.set(part.words, wordOffsets[i]));
    return new UserBitset(words);
  }

  /** The 32-bit words (see the class for the bit order); read-only, for counting passes over several sets. */
  get wordArray(): Uint32Array {
    return this.words;
  }

  /** How many users. */
  count(): number {
    const words = this.words;
    let count = 0;
    for (let i = 0; i < words.length; i++) if (words[i] !== 0) count += bitsIn(words[i]);
    return count;
  }

  has(user: number): boolean {
    const at = user >>> 5;
    return at < this.words.length && (this.words[at] & (TOP_BIT >>> (user & 31))) !== 0;
  }

  /**
   * Adds user number `user`.
   * @throws InvalidUserNumberError unless an integer in [0, 2³²).
   */
  add(user: number): this {
    if (!Number.isInteger(user) || user < 0 || user > 0xffffffff) throw new InvalidUserNumberError(user);
    const at = user >>> 5;
    this.grow(at + 1);
    this.words[at] |= TOP_BIT >>> (user & 31);
    return this;
  }

  /** Adds every user of `other` (union). */
  addAll(other: UserBitset): this {
    const theirs = other.words;
    this.grow(theirs.length);
    const words = this.words;
    for (let i = 0; i < theirs.length; i++) words[i] |= theirs[i];
    return this;
  }

  /** Becomes a copy of `other`, reusing this set's memory. */
  assign(other: UserBitset): this {
    if (this.words.length < other.words.length) this.words = new Uint32Array(other.words.length);
    this.words.set(other.words);
    this.words.fill(0, other.words.length);
    return this;
  }

  /**
   * Becomes `a ∪ b` (either may be this set), reusing this set's memory: one
   * pass, no allocation once the set is large enough, for sweeps that make many unions.
   */
  assignUnion(a: UserBitset, b: UserBitset): this {
    const [long, short] = a.words.length >= b.words.length ? [a.words, b.words] : [b.words, a.words];
    if (this.words.length < long.length) this.words = new Uint32Array(long.length);
    const words = this.words;
    for (let i = 0; i < short.length; i++) words[i] = long[i] | short[i];
    if (long !== words) words.set(long.subarray(short.length), short.length);
    words.fill(0, long.length);
    return this;
  }

  /** Keeps only the users also in `other` (intersection). */
  retainAll(other: UserBitset): this {
    const [words, theirs] = [this.words, other.words];
    const shared = Math.min(words.length, theirs.length);
    for (let i = 0; i < shared; i++) words[i] &= theirs[i];
    words.fill(0, shared);
    return this;
  }

  /** Removes the users of `other` (difference). */
  removeAll(other: UserBitset): this {
    const [words, theirs] = [this.words, other.words];
    const shared = Math.min(words.length, theirs.length);
    for (let i = 0; i < shared; i++) words[i] &= ~theirs[i];
    return this;
  }

  /** How many users are in this set or in `other`, without making the union. */
  countUnion(other: UserBitset): number {
    const [long, short] = this.words.length >= other.words.length ? [this.words, other.words] : [other.words, this.words];
    let count = 0;
    for (let i = 0; i < short.length; i++) {
      const word = long[i] | short[i];
      if (word !== 0) count += bitsIn(word);
    }
    for (let i = short.length; i < long.length; i++) if (long[i] !== 0) count += bitsIn(long[i]);
    return count;
  }

  /** How many users are in both this set and `other`, without making the intersection. */
  countIntersection(other: UserBitset): number {
    const [words, theirs] = [this.words, other.words];
    const shared = Math.min(words.length, theirs.length);
    let count = 0;
    for (let i = 0; i < shared; i++) {
      const word = words[i] & theirs[i];
      if (word !== 0) count += bitsIn(word);
    }
    return count;
  }

  clone(): UserBitset {
    return new UserBitset(this.words.slice());
  }

  /** The user numbers, ascending. */
  *[Symbol.iterator](): IterableIterator<number> {
    const words = this.words;
    for (let at = 0; at < words.length; at++) {
      // Highest set bit first: the smallest number of the word.
      for (let word = words[at]; word !== 0; ) {
        const bit = Math.clz32(word);
        yield at * 32 + bit;
        word = (word & ~(TOP_BIT >>> bit)) >>> 0;
      }
    }
  }

  /** The user numbers, ascending, as an array. */
  toArray(): number[] {
    return [...this];
  }

  /** Makes room for `length` words (sets grow when a larger number is added). */
  private grow(length: number): void {
    if (length <= this.words.length) return;
    const words = new Uint32Array(Math.max(length, this.words.length * 2));
    words.set(this.words);
    this.words = words;
  }
}
