import type { DynamicModule, INestApplicationContext, LoggerService, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

/** The lifecycle hooks Nest runs on `close()`, in its order. */
const SHUTDOWN_HOOKS = ['onModuleDestroy', 'beforeApplicationShutdown', 'onApplicationShutdown'] as const;

/**
 * Boots the user's module as the CLI does: `NestFactory.createApplicationContext`, no HTTP
 * server, Nest's log reduced to errors on `stderr`.
 *
 * If the boot fails (the database unreachable after TypeORM's retries, a provider throwing),
 * Nest leaves every provider it already created alive, and with them their sockets (a Redis
 * client, a pool): the process would never exit. So every instance Nest creates is noted,
 * and on failure their shutdown hooks run, newest first, as `close()` would have run them.
 * The error that stopped the boot is rethrown; the errors Nest logged while booting are
 * dropped then (they are that same error and its retries), and written only if the boot
 * succeeds.
 *
 * @internal
 */
export async function bootAppContext(
  app: Type<unknown> | DynamicModule,
  stderr: NodeJS.WritableStream,
): Promise<INestApplicationContext> {
  const created: unknown[] = [];
  const logged: string[] = [];
  try {
    const context = await NestFactory.createApplicationContext(app, {
      logger: errorsOnlyLogger(logged),
      // Without this, Nest exits the process when the module fails to boot.
      abortOnError: false,
      instrument: {
        instanceDecorator: (instance) => {
          created.push(instance);
          return instance;
        },
      },
    });
    for (const line of logged) stderr.write(line);
    context.useLogger(errorsOnlyLogger(stderr));
    return context;
  } catch (error) {
    await shutDown(created.reverse());
    throw error;
  }
}

/** Runs Nest's shutdown hooks on `instances`, hook by hook; a failing hook does not stop the others. */
async function shutDown(instances: unknown[]): Promise<void> {
  for (const hook of SHUTDOWN_HOOKS) {
    for (const instance of instances) {
      const method = (instance as Record<string, unknown> | null)?.[hook];
      if (typeof method !== 'function') continue;
      try {
        await method.call(instance);
      } catch {
        // Best effort: the boot error is what the user needs to see.
      }
    }
  }
}

/** Nest's log: errors only, the message without a stack, into `sink` (a stream or a buffer of lines). */
function errorsOnlyLogger(sink: NodeJS.WritableStream | string[]): LoggerService {
  const write = (level: string) => (message: unknown) => {
    const line = `[Nest] ${level}: ${message instanceof Error ? message.message : String(message)}\n`;
    if (Array.isArray(sink)) sink.push(line);
    else sink.write(line);
  };
  const ignore = () => undefined;
  return { log: ignore, warn: ignore, debug: ignore, verbose: ignore, error: write('error'), fatal: write('fatal') };
}
