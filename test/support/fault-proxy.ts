import { createHash } from 'node:crypto';
import { createConnection, createServer, type Socket } from 'node:net';
import { INCREMENT_COUNTERS_SCRIPT } from '../../lib/store/redis/lua/redis-scripts.js';

/** Where a one-shot cut drops the connection, relative to the request it matches. */
export type CutPoint =
  /** The request never reaches the server: not applied. */
  | 'before-forwarding'
  /** The server gets the request and answers, the answer never reaches the client: applied, reply lost. */
  | 'after-forwarding';

/**
 * A TCP proxy on loopback in front of one server (a Redis node), that breaks
 * connections on purpose: once, at a chosen point of a chosen request, or for a
 * while (an outage: every connection cut and new ones refused).
 */
export interface FaultProxy {
  /** The loopback port to connect to instead of the server. */
  readonly port: number;
  /**
   * Arms one cut: the next request chunk for which `matches` is true cuts its
   * connection (client and server side) at `point`.
   */
  cutOnce(point: CutPoint, matches: (chunk: Buffer) => boolean): void;
  /** Cuts every connection now and refuses new ones for `ms`. */
  outage(ms: number): void;
  /** Cuts made so far (one-shot cuts and connections cut by outages). */
  cuts(): number;
  /** Whether an armed cut is still waiting for its request. */
  armed(): boolean;
  /** Stops listening and cuts every connection. */
  close(): Promise<void>;
}

interface ArmedCut {
  readonly point: CutPoint;
  readonly matches: (chunk: Buffer) => boolean;
}

/** Starts a {@link FaultProxy} to `target` on a free loopback port. */
export async function startFaultProxy(target: { host: string; port: number }): Promise<FaultProxy> {
  let cut: ArmedCut | null = null;
  let cuts = 0;
  let downUntil = 0;
  const pairs = new Set<[Socket, Socket]>();
  const destroy = (pair: [Socket, Socket]): void => {
    pair[0].destroy();
    pair[1].destroy();
    pairs.delete(pair);
  };

  const server = createServer((client) => {
    client.on('error', () => undefined);
    if (Date.now() < downUntil) {
      cuts++;
      client.destroy();
      return;
    }
    const upstream = createConnection(target);
    upstream.on('error', () => undefined);
    const pair: [Socket, Socket] = [client, upstream];
    pairs.add(pair);
    /** Set by an 'after-forwarding' cut: the next reply from the server is swallowed and the pair cut. */
    let swallowNextReply = false;
    client.on('data', (chunk: Buffer) => {
      const armedCut = cut;
      if (armedCut && armedCut.matches(chunk)) {
        cut = null;
        cuts++;
        if (armedCut.point === 'before-forwarding') {
          destroy(pair);
          return;
        }
        swallowNextReply = true;
      }
      upstream.write(chunk);
    });
    upstream.on('data', (chunk: Buffer) => {
      if (swallowNextReply) {
        destroy(pair);
        return;
      }
      client.write(chunk);
    });
    client.on('close', () => destroy(pair));
    upstream.on('close', () => destroy(pair));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));

  return {
    port: (server.address() as { port: number }).port,
    cutOnce: (point, matches) => {
      cut = { point, matches };
    },
    outage: (ms) => {
      downUntil = Date.now() + ms;
      for (const pair of [...pairs]) {
        cuts++;
        destroy(pair);
      }
    },
    cuts: () => cuts,
    armed: () => cut !== null,
    close: async () => {
      const closed = new Promise((resolve) => server.close(resolve));
      for (const pair of [...pairs]) destroy(pair);
      await closed;
    },
  };
}

const INCREMENT_SHA = createHash('sha1').update(INCREMENT_COUNTERS_SCRIPT.lua).digest('hex');

/**
 * Matches a chunk carrying a counter flush (the increment script, by EVALSHA or
 * EVAL), for {@link FaultProxy.cutOnce}.
 */
export const isCounterFlush = (chunk: Buffer): boolean => chunk.includes(INCREMENT_SHA) || chunk.includes('HINCRBY');
