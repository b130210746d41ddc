import { spawn, execFile, type ChildProcess } from 'node:child_process';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { freePorts } from './free-ports.js';

/**
 * A throw-away 3-master Redis Cluster on loopback ports, for integration tests
 * (`redis-server` and `redis-cli` must be on PATH). Each call starts its own
 * cluster in its own temporary directory, so test files may run in parallel.
 */

const run = promisify(execFile);
const HOST = '127.0.0.1';
const MASTERS = 3;
const ATTEMPTS = 4;

/** A running test cluster. */
export interface TestRedisCluster {
  /** The masters' addresses (as started), e.g. for `new Cluster(cluster.nodes)`. */
  readonly nodes: ReadonlyArray<{ host: string; port: number }>;
  /** The replicas' addresses (as started): empty unless `replicas` was asked for. */
  readonly replicas: ReadonlyArray<{ host: string; port: number }>;
  /**
   * Promotes the replica on `port` with `CLUSTER FAILOVER` (coordinated: its master
   * hands over without losing writes) and resolves once it is a master and every
   * node reports the cluster ok again.
   */
  failover(port: number): Promise<void>;
  /** Kills the servers and removes their directory; safe to call twice. */
  stop(): Promise<void>;
}

/** Options of {@link startRedisCluster}. */
export interface RedisClusterOptions {
  /** Replicas per master (default 0). */
  readonly replicas?: number;
}

/**
 * Starts the cluster and resolves once every node reports `cluster_state:ok` and
 * sees all 16384 slots served. Ports come from the OS; if one is taken between
 * asking and binding, the whole start is retried on fresh ports.
 *
 * @throws Error with the servers' log tails when it cannot start.
 */
export async function startRedisCluster(options: RedisClusterOptions = {}): Promise<TestRedisCluster> {
  const replicas = options.replicas ?? 0;
  const total = MASTERS * (1 + replicas);
  let lastError: unknown;
  for (let attempt = 1; attempt <= ATTEMPTS; attempt++) {
    const dir = await mkdtemp(join(tmpdir(), 'souvenirs-cluster-'));
    const processes: ChildProcess[] = [];
    const stop = once(async () => {
      process.off('exit', killNow);
      await Promise.all(processes.map(terminate));
      await rm(dir, { recursive: true, force: true });
    });
    // If the test run dies before `stop()`, do not leave servers behind.
    const killNow = (): void => processes.forEach((child) => child.kill('SIGKILL'));
    process.on('exit', killNow);
    try {
      const ports = await freePorts(total * 2);
      const all = ports.slice(0, total).map((port) => ({ host: HOST, port }));
      all.forEach(({ port }, index) => processes.push(startServer(dir, port, ports[total + index])));
      await Promise.all(all.map(({ port }, index) => waitForPing(port, processes[index], dir)));
      await run('redis-cli', [
        '--cluster', 'create', ...all.map(({ port }) => `${HOST}:${port}`),
        '--cluster-replicas', String(replicas), '--cluster-yes',
      ], { timeout: 30_000 });
      await Promise.all(all.map(({ port }) => waitForClusterOk(port, total)));
      // redis-cli picks which nodes are masters: ask each one.
      const roles = await Promise.all(all.map(async ({ port }) => /role:master/.test(await redisCli(port, 'info', 'replication'))));
      const masterNodes = all.filter((_, index) => roles[index]);
      const replicaNodes = all.filter((_, index) => !roles[index]);
      await Promise.all(replicaNodes.map(({ port }) => waitForReplicaLink(port)));
      const failover = async (port: number): Promise<void> => {
        await redisCli(port, 'cluster', 'failover');
        await poll(`replica ${port} to become a master`, async () => /role:master/.test(await redisCli(port, 'info', 'replication').catch(() => '')));
        await Promise.all(all.map((node) => waitForClusterOk(node.port, total)));
      };
      return { nodes: masterNodes, replicas: replicaNodes, failover, stop };
    } catch (error) {
      lastError = new Error(`Redis Cluster start failed (attempt ${attempt}): ${String(error)}\n${await logTails(dir)}`);
      await stop();
    }
  }
  throw lastError;
}

/** Why a server process could not even start (e.g. `redis-server` not on PATH). */
const spawnErrors = new WeakMap<ChildProcess, Error>();

function startServer(dir: string, port: number, busPort: number): ChildProcess {
  const child = spawn('redis-server', [
    '--port', String(port),
    '--cluster-port', String(busPort),
    '--bind', HOST,
    '--cluster-enabled', 'yes',
    '--cluster-config-file', join(dir, `nodes-${port}.conf`),
    '--cluster-node-timeout', '5000',
    '--save', '',
    '--appendonly', 'no',
    '--dir', dir,
    '--logfile', join(dir, `redis-${port}.log`),
  ], { stdio: 'ignore' });
  child.on('error', (error) => spawnErrors.set(child, error));
  return child;
}

async function redisCli(port: number, ...args: string[]): Promise<string> {
  const { stdout } = await run('redis-cli', ['-h', HOST, '-p', String(port), ...args], { timeout: 5_000 });
  return stdout;
}

async function waitForPing(port: number, child: ChildProcess, dir: string): Promise<void> {
  await poll(`redis-server on port ${port} to answer PING`, async () => {
    const failure = spawnErrors.get(child);
    if (failure) throw failure;
    if (child.exitCode !== null) throw new Error(`redis-server on port ${port} exited (${child.exitCode}) in ${dir}`);
    return (await redisCli(port, 'ping').catch(() => '')).trim() === 'PONG';
  });
}

async function waitForClusterOk(port: number, nodes: number): Promise<void> {
  await poll(`node ${port} to report cluster_state:ok`, async () => {
    const info = await redisCli(port, 'cluster', 'info').catch(() => '');
    return /cluster_state:ok/.test(info) && /cluster_slots_ok:16384/.test(info) && new RegExp(`cluster_known_nodes:${nodes}\\b`).test(info);
  });
}

async function waitForReplicaLink(port: number): Promise<void> {
  await poll(`replica ${port} to sync with its master`, async () => {
    const info = await redisCli(port, 'info', 'replication').catch(() => '');
    return /role:slave/.test(info) && /master_link_status:up/.test(info);
  });
}

async function poll(what: string, check: () => Promise<boolean>, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function terminate(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(() => child.kill('SIGKILL'), 3_000);
    child.once('exit', () => {
      clearTimeout(timer);
      resolve();
    });
    child.kill('SIGTERM');
  });
}

async function logTails(dir: string): Promise<string> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((name) => name.endsWith('.log'));
  const tails = await Promise.all(
    files.map(async (name) => {
      const text = await readFile(join(dir, name), 'utf8').catch(() => '');
      return `--- ${name}\n${text.split('\n').slice(-8).join('\n')}`;
    }),
  );
  return tails.join('\n');
}

function once(action: () => Promise<void>): () => Promise<void> {
  let result: Promise<void> | undefined;
  return () => (result ??= action());
}
