import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { freePorts } from './free-ports.js';

/** A throwaway `redis-server` of one test, to be killed on purpose. */
export interface StandaloneRedis {
  readonly port: number;
  readonly url: string;
  /** SIGKILLs the server and resolves once it has exited. Safe to call twice. */
  kill(): Promise<void>;
}

/**
 * Starts a `redis-server` (must be on PATH) on a free loopback port, or on `port`
 * (to restart one killed earlier, where its clients reconnect), without
 * persistence, with `args` added to its command line (e.g. `['--maxmemory', '4mb']`),
 * and waits until it answers PING (at most 10 s).
 */
export async function startStandaloneRedis(options: { port?: number; args?: readonly string[] } = {}): Promise<StandaloneRedis> {
  const port = options.port ?? (await freePorts(1))[0];
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', ...(options.args ?? [])];
  const child: ChildProcess = spawn('redis-server', args, {
    stdio: 'ignore',
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const kill = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await exited;
  };
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null, disconnectTimeout: 50 });
    // A short disconnectTimeout: ioredis keeps a timer that long after disconnect(), holding the process open.
    // A refused probe is expected while the server starts: handled here, not printed as an unhandled error event.
    probe.on('error', () => {});
    const ok = await probe
      .connect()
      .then(() => probe.ping())
      .then((reply) => reply === 'PONG')
      .catch(() => false);
    probe.disconnect();
    if (ok) break;
    if (Date.now() > deadline || child.exitCode !== null) {
      await kill();
      throw new Error(`redis-server on port ${port} did not answer PING within 10 s`);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return { port, url: `redis://127.0.0.1:${port}`, kill };
}
