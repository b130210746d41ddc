import type { INestApplicationContext } from '@nestjs/common';

/**
 * Where a CLI run writes: its report or counts on `stdout`, errors and the progress bar
 * on `stderr`. `runCli` defaults both to the process's own streams.
 */
export interface CliIo {
  stdout: NodeJS.WritableStream;
  stderr: NodeJS.WritableStream;
}

/**
 * One `souvenirs` command. `parse` checks the arguments without the application (so a
 * usage error never boots it) and returns `'help'` for `--help`; `run` does the work
 * against the booted application context.
 *
 * @internal
 */
export interface CliCommand<Parsed> {
  readonly name: string;
  /** One line for the command list. */
  readonly summary: string;
  /** The `--help` text. */
  readonly usage: string;
  /** @throws CliUsageError for anything the command cannot run with. */
  parse(args: string[]): Promise<Parsed | 'help'>;
  /** @throws CliUsageError for a value only readable with the application (a date in its time zone). */
  run(context: INestApplicationContext, parsed: Parsed, io: CliIo): Promise<void>;
}

/** Writes `text` and waits until the stream has taken it. @internal */
export function writeOut(stream: NodeJS.WritableStream, text: string): Promise<void> {
  return new Promise((resolve, reject) => {
    stream.write(text, (error?: Error | null) => (error ? reject(error) : resolve()));
  });
}
