import { CliUsageError } from '../errors/cli-usage.error.js';

/** The flag, and the environment variable the bin reads when the flag is absent. @internal */
export const CONNECT_TIMEOUT_FLAG = '--connect-timeout';
/** @internal */
export const CONNECT_TIMEOUT_ENV = 'SOUVENIRS_CONNECT_TIMEOUT';

/**
 * `--connect-timeout SECONDS` / `--connect-timeout=SECONDS`, wherever it stands (before or
 * after the command, like `--app`), and the other arguments in their order. Everything
 * after `--` is left alone.
 *
 * @throws CliUsageError for a value that is not a positive number of seconds.
 * @internal
 */
export function splitConnectTimeout(argv: readonly string[]): { seconds?: number; rest: string[] } {
  const rest: string[] = [];
  let text: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    if (arg === CONNECT_TIMEOUT_FLAG) {
      text = argv[++i];
      if (text === undefined) throw new CliUsageError(`${CONNECT_TIMEOUT_FLAG} needs a number of seconds, e.g. ${CONNECT_TIMEOUT_FLAG} 10.`);
    } else if (arg.startsWith(`${CONNECT_TIMEOUT_FLAG}=`)) text = arg.slice(CONNECT_TIMEOUT_FLAG.length + 1);
    else rest.push(arg);
  }
  return { seconds: text === undefined ? undefined : parseSeconds(text, CONNECT_TIMEOUT_FLAG), rest };
}

/**
 * A timeout in seconds: a positive, finite number (`10`, `0.5`).
 *
 * @throws CliUsageError naming `source` (the flag or the environment variable) otherwise.
 * @internal
 */
export function parseSeconds(text: string, source: string): number {
  const seconds = /^\s*\d+(\.\d+)?\s*$/.test(text) ? Number(text) : NaN;
  if (!(seconds > 0) || !Number.isFinite(seconds)) {
    throw new CliUsageError(`${source} must be a positive number of seconds, such as 10 or 2.5, received ${JSON.stringify(text)}.`);
  }
  return seconds;
}
