import { UserBitset } from '../shared/user-bitset.js';

/** A run of consecutive days `[from, to)` of a list of days, and users from outside the days to count with them. @internal */
export interface DayRun {
  readonly from: number;
  readonly to: number;
  /** User numbers to add to the run's union (they may be in its days already). */
  readonly extra?: readonly number[];
}

/**
 * The distinct users of each run of days (the union of its days' users, and its
 * extra users): the counts of a DAU/WAU/MAU series, or any list of ranges, from
 * days read once.
 *
 * Runs are grouped by length L, and the days cut in blocks of L: a run then
 * covers the end of one block and the start of the next, so its union is the
 * union of one suffix OR of the first block and one prefix OR of the next. A
 * block's suffix ORs are made backward, each from the one after it, and the
 * next block's prefix ORs forward in one running set; each run is counted when
 * the running set reaches its last day. That is about two ORs per day and
 * length, and one counting pass per run, instead of L ORs per run; a run of one
 * day is that day's count.
 *
 * Memory: besides the days, L suffix sets and one running set, reused from block
 * to block.
 *
 * @internal
 */
export function countRunUnions(days: readonly UserBitset[], runs: readonly DayRun[]): number[] {
  const counts = new Array<number>(runs.length).fill(0);
  const byLength = new Map<number, number[]>();
  runs.forEach(({ from, to }, i) => {
    if (from < 0 || to > days.length || to < from) throw new RangeError(`Run [${from}, ${to}) is not within ${days.length} days`);
    const length = to - from;
    const group = byLength.get(length);
    if (group) group.push(i);
    else byLength.set(length, [i]);
  });
  for (const [length, group] of byLength) {
    if (length === 0) for (const i of group) counts[i] = new Set(runs[i].extra ?? []).size;
    else if (length === 1) for (const i of group) counts[i] = unionCount(days[runs[i].from], undefined, runs[i].extra);
    else countLength(days, runs, group, length, counts);
  }
  return counts;
}

/** Counts the runs `group`, all `length` days long, into `counts`. */
function countLength(days: readonly UserBitset[], runs: readonly DayRun[], group: readonly number[], length: number, counts: number[]): void {
  // Runs by the block their first day falls in, then by their first day.
  const blocks = new Map<number, Map<number, number[]>>();
  for (const i of group) {
    const { from } = runs[i];
    const block = Math.floor(from / length);
    const starts = blocks.get(block) ?? blocks.set(block, new Map()).get(block)!;
    starts.set(from, [...(starts.get(from) ?? []), i]);
  }
  const suffixes: UserBitset[] = [];
  const running = UserBitset.empty();
  for (const [block, starts] of blocks) {
    const start = block * length;
    const first = Math.min(...starts.keys());
    // suffixes[j - start]: the union of days j … the block's last.
    for (let day = start + length - 1; day >= first; day--) {
      const at = day - start;
      suffixes[at] ??= UserBitset.empty();
      if (at === length - 1) suffixes[at].assign(days[day]);
      else suffixes[at].assignUnion(days[day], suffixes[at + 1]);
    }
    // A run from the block's first day is the whole block.
    for (const i of starts.get(start) ?? []) counts[i] = unionCount(suffixes[0], undefined, runs[i].extra);
    // Forward through the next block: a run starting at `from` ends on day from + length - 1.
    const lastEnd = Math.max(...starts.keys()) + length - 1;
    for (let day = start + length; day <= lastEnd; day++) {
      if (day === start + length) running.assign(days[day]);
      else running.addAll(days[day]);
      for (const i of starts.get(day - length + 1) ?? []) counts[i] = unionCount(suffixes[day - length + 1 - start], running, runs[i].extra);
    }
  }
}

/** Users of `a ∪ b ∪ extra`. */
function unionCount(a: UserBitset, b: UserBitset | undefined, extra: readonly number[] | undefined): number {
  let count = b ? a.countUnion(b) : a.count();
  for (const user of new Set(extra ?? [])) if (!a.has(user) && !b?.has(user)) count += 1;
  return count;
}
