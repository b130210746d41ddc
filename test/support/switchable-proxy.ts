import { createConnection, createServer, type Socket } from 'node:net';

/**
 * A loopback TCP proxy in front of a Redis that can be switched off and on while
 * Redis keeps its data: an outage seen by the client alone (a network cut), on
 * the same port before and after.
 *
 * The port stays bound through the cut (new connections are reset at once, as a
 * refusal would end them): a port let go mid-test can be taken by any process of a
 * parallel run, and the client would then reach someone else's server, or `resume()`
 * find its port in use.
 */
export interface SwitchableProxy {
  readonly port: number;
  /** Cuts every proxied connection; new ones are reset at once until `resume()`. */
  cut(): Promise<void>;
  /** Proxies new connections again. */
  resume(): Promise<void>;
  /** Cuts everything and lets the port go. */
  close(): Promise<void>;
}

export async function startSwitchableProxy(target: { host: string; port: number }): Promise<SwitchableProxy> {
  const sockets = new Set<Socket>();
  let cut = false;
  const server = createServer((client) => {
    client.on('error', () => undefined);
    if (cut) {
      client.resetAndDestroy();
      return;
    }
    const upstream = createConnection(target);
    for (const socket of [client, upstream]) {
      sockets.add(socket);
      socket.on('close', () => sockets.delete(socket));
      socket.on('error', () => undefined);
    }
    client.pipe(upstream);
    upstream.pipe(client);
    client.on('close', () => upstream.destroy());
    upstream.on('close', () => client.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  const cutAll = (): void => {
    cut = true;
    sockets.forEach((socket) => socket.destroy());
  };
  return {
    port,
    cut: async () => cutAll(),
    resume: async () => {
      cut = false;
    },
    close: async () => {
      cutAll();
      if (!server.listening) return;
      await new Promise((resolve) => server.close(resolve));
    },
  };
}
