import { bitsIn, type UserBitset } from '../shared/user-bitset.js';

/**
 * How many days each user was active on, over a run of days, for every user at
 * once: bit-sliced counters (plane k holds bit k of every user's count, word for
 * word as the days' bitsets), so adding a day is a ripple-carry add of its words
 * into the planes and the histogram is a few word masks and bit counts per count
 * value, with no pass over single users.
 *
 * @internal
 */
export class DaysActiveTally {
  private readonly planes: Uint32Array[] = [];

  /** Counts up to `maxDays` (the days that will be added). */
  constructor(private readonly maxDays: number) {
    for (let most = maxDays; most > 0; most >>>= 1) this.planes.push(new Uint32Array(0));
  }

  /** Adds one to the count of every user of `day`. */
  add(day: UserBitset): void {
    const words = day.wordArray;
    this.grow(words.length);
    const planes = this.planes;
    for (let i = 0; i < words.length; i++) {
      let carry = words[i];
      for (let k = 0; carry !== 0 && k < planes.length; k++) {
        const plane = planes[k];
        const next = plane[i] & carry;
        plane[i] ^= carry;
        carry = next;
      }
    }
  }

  /** For n = 1…maxDays, the users counted exactly n times. */
  histogram(): number[] {
    const histogram = new Array<number>(this.maxDays).fill(0);
    const planes = this.planes;
    const length = planes.length === 0 ? 0 : planes[0].length;
    for (let i = 0; i < length; i++) {
      let any = 0;
      for (const plane of planes) any |= plane[i];
      if (any === 0) continue;
      for (let n = 1; n <= this.maxDays; n++) {
        // Users whose count's bits are exactly n's.
        let mask = any;
        for (let k = 0; k < planes.length && mask !== 0; k++) mask &= n & (1 << k) ? planes[k][i] : ~planes[k][i];
        if (mask !== 0) histogram[n - 1] += bitsIn(mask >>> 0);
      }
    }
    return histogram;
  }

  private grow(length: number): void {
    if (this.planes.length === 0 || length <= this.planes[0].length) return;
    this.planes.forEach((plane, k) => {
      const grown = new Uint32Array(length);
      grown.set(plane);
      this.planes[k] = grown;
    });
  }
}
