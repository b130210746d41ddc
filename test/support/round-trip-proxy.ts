import { createConnection, createServer, type Socket } from 'node:net';

/**
 * A TCP proxy in front of a Redis that counts round trips: a round trip starts
 * each time the client sends after having received a reply (or for the first
 * time). A pipeline written whole before any reply is read counts 1; commands
 * awaited one after the other count one each.
 */
export interface RoundTripProxy {
  /** The loopback port to connect to instead of Redis. */
  readonly port: number;
  /** Round trips since the last `reset()`. */
  roundTrips(): number;
  /** Starts counting afresh. */
  reset(): void;
  /** Stops listening and cuts every proxied connection, as a Redis outage would. */
  close(): Promise<void>;
}

/** Starts a {@link RoundTripProxy} to `target` on a free loopback port. */
export async function startRoundTripProxy(target: { host: string; port: number }): Promise<RoundTripProxy> {
  let count = 0;
  let awaitingRequest = true;
  const sockets = new Set<Socket>();
  const server = createServer((client) => {
    const upstream = createConnection(target);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.on('data', (chunk) => {
      if (awaitingRequest) count += 1;
      awaitingRequest = false;
      upstream.write(chunk);
    });
    upstream.on('data', (chunk) => {
      awaitingRequest = true;
      client.write(chunk);
    });
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as { port: number }).port,
    roundTrips: () => count,
    reset: () => {
      count = 0;
      awaitingRequest = true;
    },
    close: async () => {
      const closed = new Promise((resolve) => server.close(resolve));
      sockets.forEach((socket) => socket.destroy());
      await closed;
    },
  };
}
