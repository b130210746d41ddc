import type { DynamicModule, INestApplicationContext, LoggerService, Type } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

/** The lifecycle hooks Nest runs on `close()`, in its order. */
const SHUTDOWN_HOOKS = ['onModuleDestroy', 'beforeApplicationShutdown', 'onApplicationShutdown'] as const;

/** What `@nestjs/typeorm` logs (as an error) each time a connection attempt fails and it will try again. */
const TYPEORM_RETRY = /^Unable to connect to the database(?: \((.+)\))?\..*Retrying \((\d+)\)/s;

/** How the CLI boots the user's module. @internal */
export interface BootOptions {
  /** Give up booting after that many seconds (`--connect-timeout`); absent: TypeORM's own retries decide. */
  readonly connectTimeoutSeconds?: number;
}

/** Boots given up on (past `--connect-timeout`) and still running: TypeORM's retry timers cannot be cancelled. */
const abandoned = new Set<Promise<unknown>>();

/**
 * How many boots were given up on and still run in the background. The bin ends the
 * process when there are any, rather than wait for their retries to run out. @internal
 */
export function abandonedBoots(): number {
  return abandoned.size;
}

/**
 * Boots the user's module as the CLI does: `NestFactory.createApplicationContext`, no HTTP
 * server, Nest's log reduced to errors on `stderr`.
 *
 * While the database does not answer, `@nestjs/typeorm` retries (10 attempts, 3 s apart, by
 * default: half a minute): each failed attempt is told on `stderr` at once, with its cause,
 * so the CLI never sits silent. With `connectTimeoutSeconds`, the boot is given up on past
 * that time, with the last cause; what it opened is closed once it settles.
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
  { connectTimeoutSeconds }: BootOptions = {},
): Promise<INestApplicationContext> {
  const created: unknown[] = [];
  const logged: string[] = [];
  const waiting = new DatabaseWait(stderr, connectTimeoutSeconds);
  const boot = NestFactory.createApplicationContext(app, {
    logger: bootLogger(logged, waiting),
    // Without this, Nest exits the process when the module fails to boot.
    abortOnError: false,
    instrument: {
      instanceDecorator: (instance) => {
        created.push(instance);
        return instance;
      },
    },
  });
  let context: INestApplicationContext;
  try {
    context = connectTimeoutSeconds === undefined ? await boot : await withinDeadline(boot, connectTimeoutSeconds, waiting, created);
  } catch (error) {
    if (!waiting.gaveUp) await shutDown(created.reverse());
    throw error;
  }
  for (const line of logged) stderr.write(line);
  context.useLogger(errorsOnlyLogger(stderr));
  return context;
}

/** `boot`, or a rejection past `seconds`; a boot given up on is closed (or its instances shut down) once it settles. */
function withinDeadline(
  boot: Promise<INestApplicationContext>,
  seconds: number,
  waiting: DatabaseWait,
  created: unknown[],
): Promise<INestApplicationContext> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      waiting.gaveUp = true;
      const cleanup = boot.then(
        (late) => late.close(),
        () => shutDown(created.reverse()),
      ).catch(() => undefined).finally(() => abandoned.delete(cleanup));
      abandoned.add(cleanup);
      reject(new Error(waiting.timeoutMessage(seconds)));
    }, seconds * 1000);
  });
  return Promise.race([boot, deadline]).finally(() => clearTimeout(timer));
}

/** What the boot is waiting for: TypeORM's failed attempts, told as they come. */
class DatabaseWait {
  /** Set once the deadline passed: the boot still running is no longer the user's. */
  gaveUp = false;
  private attempts = 0;
  private lastCause?: string;
  private dataSource?: string;

  constructor(
    private readonly stderr: NodeJS.WritableStream,
    private readonly timeoutSeconds: number | undefined,
  ) {}

  /** Whether `message` is TypeORM's retry notice; if so, it is told on stderr (until given up on). */
  notice(message: string, stack: unknown): boolean {
    const retry = TYPEORM_RETRY.exec(message);
    if (!retry) return false;
    this.attempts = Number(retry[2]);
    this.dataSource = retry[1];
    this.lastCause = causeOf(stack);
    if (!this.gaveUp) {
      const then = this.timeoutSeconds === undefined ? 'TypeORM retries; --connect-timeout SECONDS gives up sooner' : `retrying for up to ${this.timeoutSeconds} s (--connect-timeout)`;
      this.stderr.write(`souvenirs: waiting for ${this.what()}: attempt ${this.attempts} failed${this.lastCause ? ` (${this.lastCause})` : ''}; ${then}\n`);
    }
    return true;
  }

  timeoutMessage(seconds: number): string {
    if (this.attempts === 0) return `the application did not finish booting within ${seconds} s (--connect-timeout); raise it, or check what its providers wait for.`;
    return (
      `${this.what()} did not answer within ${seconds} s (--connect-timeout; ${this.attempts} attempt${this.attempts === 1 ? '' : 's'} failed` +
      `${this.lastCause ? `, the last: ${this.lastCause}` : ''}); check TypeOrmModule's connection options and that the database is up.`
    );
  }

  private what(): string {
    return this.dataSource ? `the database (${this.dataSource})` : 'the database';
  }
}

/** The first line of an error's stack as TypeORM logs it, without the `Error: ` prefix. */
function causeOf(stack: unknown): string | undefined {
  if (typeof stack !== 'string') return undefined;
  return stack.split('\n', 1)[0].replace(/^Error: /, '').trim() || undefined;
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

/** The boot's log: TypeORM's retry notices told by `waiting`, other errors kept in `logged`. */
function bootLogger(logged: string[], waiting: DatabaseWait): LoggerService {
  const keep = errorsOnlyLogger(logged);
  return {
    ...keep,
    error: (message: unknown, ...rest: unknown[]) => {
      if (typeof message === 'string' && waiting.notice(message, rest[0])) return;
      if (!waiting.gaveUp) keep.error(message, ...rest);
    },
  };
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
