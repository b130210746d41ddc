/** What the benchmarks share: a seeded generator and wall-clock timing. */

/** mulberry32: a small seeded generator, so every run loads the same rows. */
export function random(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

/** `run`'s result and its wall time in milliseconds. */
export async function time<T>(run: () => Promise<T>): Promise<[T, number]> {
  const started = process.hrtime.bigint();
  const result = await run();
  return [result, Number(process.hrtime.bigint() - started) / 1e6];
}

/** The median wall time of three runs, with the last run's result. */
export async function median<T>(run: () => Promise<T>): Promise<[T, number]> {
  const runs: number[] = [];
  let result!: T;
  for (let i = 0; i < 3; i++) {
    const [value, ms] = await time(run);
    result = value;
    runs.push(ms);
  }
  return [result, runs.sort((a, b) => a - b)[1]];
}
