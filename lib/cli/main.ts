#!/usr/bin/env node
/**
 * The `souvenirs` bin: `souvenirs --app path/to/module.js[#ExportName] <command> [options]`.
 * The application module comes from `--app` (or the `SOUVENIRS_APP` environment variable);
 * the command runs through {@link runCli} against it, and the exit code is left in
 * `process.exitCode` so pending output is flushed before the process ends.
 * `SOUVENIRS_CONNECT_TIMEOUT` stands for `--connect-timeout` when the flag is absent.
 *
 * @internal
 */
import 'reflect-metadata';
import { createRequire } from 'node:module';
import { CliUsageError } from '../errors/cli-usage.error.js';
import { splitAppFlag } from './app-flag.js';
import { abandonedBoots } from './boot-app-context.js';
import { CONNECT_TIMEOUT_ENV, CONNECT_TIMEOUT_FLAG, parseSeconds } from './connect-timeout.js';
import { loadAppModule } from './load-app-module.js';
import { CLI_EXIT_CODES, CLI_USAGE, runCli } from './run-cli.js';

/**
 * The `runCli` of the copy of this package the app itself loaded. This bin is the ES build;
 * a CommonJS app `require`s the CommonJS build, whose `ReportsService` is another class, so
 * ours would find no provider in that app. An app file Node loaded as CommonJS sits in
 * `require.cache`; `nestjs-souvenirs` resolved from it is the copy it got.
 */
function runCliOfApp(file: string): typeof runCli {
  const require = createRequire(file);
  if (!(file in require.cache)) return runCli;
  return (require('nestjs-souvenirs') as { runCli: typeof runCli }).runCli;
}

async function main(argv: string[]): Promise<number> {
  const { app: appFlag, rest } = splitAppFlag(argv);
  const app = appFlag ?? process.env.SOUVENIRS_APP;
  if (!app) {
    const help = rest.length === 0 || ['--help', '-h', 'help'].includes(rest[0]);
    const message = help ? '' : 'souvenirs: error: name your application module with --app path/to/module.js[#ExportName] or SOUVENIRS_APP.\n\n';
    (help && rest.length > 0 ? process.stdout : process.stderr).write(message + CLI_USAGE);
    return help && rest.length > 0 ? CLI_EXIT_CODES.ok : CLI_EXIT_CODES.usage;
  }
  // The environment's timeout applies unless the command line gives one.
  const timeout = process.env[CONNECT_TIMEOUT_ENV];
  const flagged = rest.some((arg) => arg === CONNECT_TIMEOUT_FLAG || arg.startsWith(`${CONNECT_TIMEOUT_FLAG}=`));
  if (timeout !== undefined && timeout !== '' && !flagged) {
    try {
      rest.unshift(`${CONNECT_TIMEOUT_FLAG}=${parseSeconds(timeout, CONNECT_TIMEOUT_ENV)}`);
    } catch (error) {
      process.stderr.write(`souvenirs: error: ${(error as Error).message}\n`);
      return CLI_EXIT_CODES.usage;
    }
  }
  try {
    const { module, file } = await loadAppModule(app);
    return await runCliOfApp(file)(module, rest);
  } catch (error) {
    const usage = error instanceof CliUsageError;
    process.stderr.write(`souvenirs: ${usage ? 'error: ' : ''}cannot load ${app}: ${(error as Error).message}\n`);
    return usage ? CLI_EXIT_CODES.usage : CLI_EXIT_CODES.failure;
  }
}

const code = await main(process.argv.slice(2));
process.exitCode = code;
if (abandonedBoots() > 0) {
  // A boot given up on (--connect-timeout) still retries in the background, on timers
  // TypeORM gives no way to cancel: end now, once the output is flushed, not when they run out.
  await Promise.all([process.stdout, process.stderr].map((stream) => new Promise((flushed) => stream.write('', flushed))));
  process.exit(code);
}
