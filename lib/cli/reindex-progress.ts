import cliProgress from 'cli-progress';
import type { INestApplicationContext } from '@nestjs/common';
import { ActiveUsersIndex } from '../active-users/active-users.index.js';

/** A progress bar over the index's days being built, as `reindex` draws it. @internal */
export interface ReindexProgress {
  readonly onProgress: (done: number, total: number) => void;
  stop(): void;
}

/**
 * The `reindex` progress bar on `stream` when it is a terminal (nothing otherwise),
 * started on the first report; `prune` draws it over rows.
 *
 * @internal
 */
export function reindexProgress(stream: NodeJS.WritableStream, label = 'reindex', unit = 'days'): ReindexProgress {
  const bar = (stream as NodeJS.WriteStream).isTTY
    ? new cliProgress.SingleBar(
        { stream: stream as NodeJS.WriteStream, format: `${label} |{bar}| {percentage}% | {value}/{total} ${unit}`, hideCursor: true },
        cliProgress.Presets.shades_classic,
      )
    : null;
  let started = false;
  let total = 0;
  return {
    onProgress: (done, of) => {
      if (!started || of !== total) bar?.start(of, done);
      started = true;
      total = of;
      bar?.update(done);
    },
    stop: () => {
      if (started) bar?.stop();
    },
  };
}

/**
 * Runs `work` (a report) with the index's first-use builds drawn as the `reindex`
 * bar on `stream`: a first call on an install whose days were never built shows
 * what it is waiting for.
 *
 * @internal
 */
export async function withBuildProgress<T>(context: INestApplicationContext, stream: NodeJS.WritableStream, work: () => Promise<T>): Promise<T> {
  const index = context.get(ActiveUsersIndex, { strict: false });
  const progress = reindexProgress(stream);
  index.onBuildProgress = progress.onProgress;
  try {
    return await work();
  } finally {
    index.onBuildProgress = undefined;
    progress.stop();
  }
}
