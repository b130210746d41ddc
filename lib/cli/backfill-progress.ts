import cliProgress from 'cli-progress';

/** What the backfill command reports progress to. @internal */
export interface BackfillProgress {
  update(bytesRead: number, records: number): void;
  stop(): void;
}

const SILENT: BackfillProgress = { update: () => undefined, stop: () => undefined };

/**
 * A progress bar over the file's bytes on `stream` when it is a terminal, else nothing (a
 * bar in a log file or a pipe is only noise).
 *
 * @internal
 */
export function backfillProgress(stream: NodeJS.WritableStream, totalBytes: number): BackfillProgress {
  if (!(stream as NodeJS.WriteStream).isTTY) return SILENT;
  const bar = new cliProgress.SingleBar(
    {
      stream: stream as NodeJS.WriteStream,
      format: 'backfill |{bar}| {percentage}% | {records} records',
      hideCursor: true,
      clearOnComplete: false,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(Math.max(totalBytes, 1), 0, { records: 0 });
  return {
    update: (bytesRead, records) => bar.update(Math.min(bytesRead, totalBytes), { records }),
    stop: () => bar.stop(),
  };
}
