import { parseArgs, type ParseArgsConfig } from 'node:util';
import { CliUsageError } from '../errors/cli-usage.error.js';
import type { ReportFormat } from '../shared/report-output.js';

/** The options table of a command, in `util.parseArgs` form. @internal */
export type CliOptions = NonNullable<ParseArgsConfig['options']>;

/** What {@link parseCliArguments} returns: parseArgs' `values` and `positionals`. @internal */
export type ParsedCliArguments<O extends CliOptions> = ReturnType<
  typeof parseArgs<{ args: string[]; options: O; strict: true; allowPositionals: boolean }>
>;

/**
 * Parses a command's arguments with node's `util.parseArgs` (strict: unknown flags and
 * missing values are errors), accepting both `--flag=value` and `--flag value`.
 *
 * `optionalValues` lists string options whose value may be left out, as argparse's
 * `nargs='?'` allows (`--recent` or `--recent 3`): alone, they get the given default.
 *
 * @throws CliUsageError with parseArgs' own message (it names the flag) for a bad argument.
 * @internal
 */
export function parseCliArguments<O extends CliOptions>(
  args: string[],
  options: O,
  { allowPositionals = false, optionalValues = {} }: { allowPositionals?: boolean; optionalValues?: Record<string, string> } = {},
): ParsedCliArguments<O> {
  const expanded: string[] = [];
  for (let i = 0; i < args.length; i += 1) {
    const name = args[i].startsWith('--') ? args[i].slice(2) : undefined;
    if (name !== undefined && name in optionalValues) {
      // A following bare number is this option's value; anything else is left for the parser.
      const next = args[i + 1];
      const value = next !== undefined && /^\d+$/.test(next) ? next : optionalValues[name];
      if (value === next) i += 1;
      expanded.push(`--${name}=${value}`);
    } else {
      expanded.push(args[i]);
    }
  }
  try {
    return parseArgs({ args: expanded, options, strict: true, allowPositionals });
  } catch (error) {
    // By code, not `instanceof TypeError`: node's errors may come from another realm (a vm context, as in jest).
    const code = (error as { code?: unknown } | null)?.code;
    if (typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS')) {
      throw new CliUsageError((error as Error).message);
    }
    throw error;
  }
}

/**
 * A count option's value as a positive integer (at most `max`).
 *
 * @throws CliUsageError for anything else.
 * @internal
 */
export function parsePositiveInteger(flag: string, text: string, max = Number.MAX_SAFE_INTEGER): number {
  const value = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isSafeInteger(value) || value < 1 || value > max) {
    const bounds = max === Number.MAX_SAFE_INTEGER ? 'of at least 1' : `from 1 to ${max}`;
    throw new CliUsageError(`${flag} must be a whole number ${bounds}, received ${JSON.stringify(text)}.`);
  }
  return value;
}

/**
 * The output a command's `--csv` / `--json` flags choose: a plain table by default.
 *
 * @throws CliUsageError when both are given.
 * @internal
 */
export function outputFormat(values: { csv?: boolean; json?: boolean }): ReportFormat {
  if (values.csv && values.json) throw new CliUsageError('choose --csv or --json, not both.');
  return values.csv ? 'csv' : values.json ? 'json' : 'table';
}
