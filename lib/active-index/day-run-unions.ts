import type { UserBitset } from '../storage/user-bitset.js';

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
 * union of one suffix OR and one prefix OR, each made by one sweep of a block
 * (OR of the running union with the next day). That is about two ORs per day
 * and length, and one counting pass per run, instead of L ORs per run.
 *
 * Memory: besides the days, one prefix OR per run of the block being answered
 * (a sweep keeps only the unions that a run asks for).
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
    else countLength(days, runs, group, length, counts);
  }
  return counts;
}

/** Counts the runs `group` of one length into `counts`. */
function countLength(days: readonly UserBitset[], runs: readonly DayRun[], group: readonly number[], length: number, counts: number[]): void {
  // Runs by the block their first day falls in.
  const byBlock = new Map<number, number[]>();
  for (const i of group) {
    const block = Math.floor(runs[i].from / length);
    const runsOfBlock = byBlock.get(block);
    if (runsOfBlock) runsOfBlock.push(i);
    else byBlock.set(block, [i]);
  }
  for (const [block, runsOfBlock] of byBlock) {
    const start = block * length;
    // Forward through the next block: the union of its first days up to each run's end.
    const prefixes = new Map<number, UserBitset>();
    const ends = new Set(runsOfBlock.map((i) => runs[i].to - 1).filter((last) => last >= start + length));
    let running: UserBitset | null = null;
    for (let day = start + length; ends.size > prefixes.size && day < Math.min(start + 2 * length, days.length); day++) {
      running = running === null ? days[day].clone() : running.addAll(days[day]);
      if (ends.has(day)) prefixes.set(day, running.clone());
    }
    // Backward through this block: the union of its last days from each run's start.
    const starts = new Map<number, number[]>();
    for (const i of runsOfBlock) starts.set(runs[i].from, [...(starts.get(runs[i].from) ?? []), i]);
    running = null;
    for (let day = start + length - 1; day >= start && starts.size > 0; day--) {
      running = running === null ? days[day].clone() : running.addAll(days[day]);
      for (const i of starts.get(day) ?? []) {
        const prefix = prefixes.get(runs[i].to - 1);
        counts[i] = unionCount(running, prefix, runs[i].extra);
      }
      starts.delete(day);
    }
  }
}

/** Users of `a ∪ b ∪ extra`. */
function unionCount(a: UserBitset, b: UserBitset | undefined, extra: readonly number[] | undefined): number {
  let count = b ? a.countUnion(b) : a.count();
  for (const user of new Set(extra ?? [])) if (!a.has(user) && !b?.has(user)) count += 1;
  return count;
}
