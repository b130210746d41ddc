import { SouvenirsError } from './souvenirs.error.js';

/**
 * A `souvenirs` CLI invocation that cannot run as written: an unknown command or flag, a
 * missing or malformed value (a date the CLI cannot read, `--recent abc`), a required flag
 * left out (`--subscription-start` for a customer report). `runCli` prints its message on
 * stderr and resolves to exit code 2, without writing anything on stdout.
 *
 * @publicApi
 */
export class CliUsageError extends SouvenirsError {
  constructor(
    /** What was wrong and how to write it instead. */
    message: string,
  ) {
    super(message);
  }
}
