import type { DynamicModule, INestApplicationContext, Type } from '@nestjs/common';
import { CliUsageError } from '../errors/cli-usage.error.js';
import { backfillCommand } from './backfill.command.js';
import { bootAppContext } from './boot-app-context.js';
import { splitConnectTimeout } from './connect-timeout.js';
import { describeFailure } from './cli-failure.js';
import { writeOut, type CliCommand, type CliIo } from './cli-command.interface.js';
import { reindexCommand } from './reindex.command.js';
import { showUsageCommand } from './show-usage.command.js';
import { ANALYTICS_COMMANDS } from './analytics.command.js';
import { tenantsCommand } from './tenants.command.js';
import { inactiveUsersCommand } from './inactive-users.command.js';
import { forgetCommand } from './forget.command.js';
import { exportUserCommand } from './export-user.command.js';
import { pruneCommand } from './prune.command.js';

/** Exit codes of `runCli` and the `souvenirs` bin. @publicApi */
export const CLI_EXIT_CODES = { ok: 0, failure: 1, usage: 2 } as const;

const COMMANDS: CliCommand<never>[] = [
  showUsageCommand,
  backfillCommand,
  reindexCommand,
  // Active-user analytics: one command per report description.
  ...ANALYTICS_COMMANDS,
  tenantsCommand,
  inactiveUsersCommand,
  // Privacy and the life of the data.
  forgetCommand,
  exportUserCommand,
  pruneCommand,
] as CliCommand<never>[];

const HELP_FLAGS = new Set(['--help', '-h', 'help']);

/** Where the command list's summaries start: after the longest name and a two-space gap. */
const SUMMARY_COLUMN = Math.max(...COMMANDS.map((command) => command.name.length)) + 2;

/** The command list, for `souvenirs --help` and an unknown command. @internal */
export const CLI_USAGE = `Usage: souvenirs [--app path/to/module.js[#ExportName]] [--connect-timeout SECONDS] <command> [options]

Commands:
${COMMANDS.map((command) => `  ${command.name.padEnd(SUMMARY_COLUMN)}${command.summary}`).join('\n')}

Every command:
  --app FILE[#ExportName]    your application module (or SOUVENIRS_APP); default export AppModule
  --connect-timeout SECONDS  give up booting after SECONDS while the database does not answer
                             (or SOUVENIRS_CONNECT_TIMEOUT; default: TypeORM's own retries)

Run "souvenirs <command> --help" for a command's options.
`;

/**
 * Runs a `souvenirs` CLI command against the application's Nest module, as the `souvenirs`
 * bin does, and resolves to its exit code: 0 done, 2 a usage error (unknown command or flag,
 * unreadable date, missing `--subscription-start`: the message on stderr, nothing on stdout),
 * 1 a failure while running (a malformed backfill record, with its line, a database error).
 * Nothing here calls `process.exit`.
 *
 * Given a module (class or dynamic), it boots it with `NestFactory.createApplicationContext`
 * (no HTTP server; Nest's own log reduced to errors, on `stderr`) after the arguments are
 * checked, and closes it before resolving. If the boot fails (say the database is unreachable
 * once TypeORM's retries are spent), what it had opened is closed too (a Redis connection),
 * and the cause is printed on one line, so the process can end. While TypeORM retries the
 * database, each failed attempt is told on stderr; `--connect-timeout SECONDS` (anywhere in
 * `argv`) gives up past that time. Given an application context, it uses it and leaves it open.
 *
 * @param argv the command then its arguments, e.g. `['show-usage', '--daily', '--subscription-start=2010-01-24']`.
 * @param io where to write; the process's stdout and stderr by default.
 * @example
 * const code = await runCli(AppModule, ['show-usage', '--calendar', '--after=2024-01-01', '--csv']);
 * @publicApi
 */
export async function runCli(
  app: Type<unknown> | DynamicModule | INestApplicationContext,
  argv: string[],
  io: { stdout?: NodeJS.WritableStream; stderr?: NodeJS.WritableStream } = {},
): Promise<number> {
  const streams: CliIo = { stdout: io.stdout ?? process.stdout, stderr: io.stderr ?? process.stderr };
  let split: ReturnType<typeof splitConnectTimeout>;
  try {
    split = splitConnectTimeout(argv);
  } catch (error) {
    await writeOut(streams.stderr, `souvenirs: error: ${(error as Error).message}\n`);
    return CLI_EXIT_CODES.usage;
  }
  const [name, ...args] = split.rest;
  if (name === undefined || HELP_FLAGS.has(name)) {
    await writeOut(name === undefined ? streams.stderr : streams.stdout, CLI_USAGE);
    return name === undefined ? CLI_EXIT_CODES.usage : CLI_EXIT_CODES.ok;
  }
  const command = COMMANDS.find((candidate) => candidate.name === name);
  if (!command) {
    await writeOut(streams.stderr, `souvenirs: error: unknown command ${JSON.stringify(name)}.\n\n${CLI_USAGE}`);
    return CLI_EXIT_CODES.usage;
  }

  let context: INestApplicationContext | undefined;
  let owned = false;
  let code: number;
  try {
    const parsed = await command.parse(args);
    if (parsed === 'help') {
      await writeOut(streams.stdout, command.usage);
      return CLI_EXIT_CODES.ok;
    }
    if (isApplicationContext(app)) {
      context = app;
    } else {
      owned = true;
      context = await bootAppContext(app, streams.stderr, { connectTimeoutSeconds: split.seconds });
    }
    await command.run(context, parsed, streams);
    code = CLI_EXIT_CODES.ok;
  } catch (error) {
    code = await report(streams, name, error);
  }
  if (owned && context) {
    try {
      await context.close();
    } catch (error) {
      code = Math.max(code, await report(streams, name, error));
    }
  }
  return code;
}

/** Prints `error` on stderr and returns its exit code. */
async function report(io: CliIo, name: string, error: unknown): Promise<number> {
  if (error instanceof CliUsageError) {
    await writeOut(io.stderr, `souvenirs ${name}: error: ${error.message}\nRun "souvenirs ${name} --help" for usage.\n`);
    return CLI_EXIT_CODES.usage;
  }
  await writeOut(io.stderr, `souvenirs ${name}: ${describeFailure(error)}\n`);
  return CLI_EXIT_CODES.failure;
}

/** An application context (has `get` and `close`), not a module class or a dynamic module. */
function isApplicationContext(app: unknown): app is INestApplicationContext {
  return (
    typeof app === 'object' &&
    app !== null &&
    typeof (app as INestApplicationContext).get === 'function' &&
    typeof (app as INestApplicationContext).close === 'function'
  );
}
