import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/**
 * One line of the fault table in `bench/README.md`: what a fault test broke, for how
 * long, under what load, and what it cost. Fault tests record what they measured;
 * `npm run bench:faults` runs them and rebuilds the table from these records.
 */
export interface FaultFigure {
  /** Stable id, also the record's file name: `shutdown-redis`, `blip-after-apply-cluster`, … */
  readonly id: string;
  /** What was broken, in a few words: "Redis killed (SIGKILL) mid-load". */
  readonly fault: string;
  /** For how long, in words: "until restart, 3.0 s", "one cut". */
  readonly duration: string;
  /** The load it ran under: "4 workers × 200 tracked requests". */
  readonly load: string;
  /** Events lost (kicks, rows, …) out of those that should have been stored. */
  readonly lost: number;
  /** Events stored more than once. */
  readonly doubled: number;
  /** Requests that failed (non-2xx or transport error); 0 where no HTTP load ran. */
  readonly failedRequests: number;
  /** Anything else worth a column: "3,840 kicks stored exactly once". */
  readonly note?: string;
}

/**
 * Records a fault test's figures as JSON under `SOUVENIRS_FAULT_FIGURES` (a folder),
 * when that variable is set; a plain test run records nothing.
 */
export async function recordFaultFigure(figure: FaultFigure): Promise<void> {
  const folder = process.env.SOUVENIRS_FAULT_FIGURES;
  if (!folder) return;
  await mkdir(folder, { recursive: true });
  await writeFile(join(folder, `${figure.id}.json`), `${JSON.stringify(figure, null, 2)}\n`);
}
