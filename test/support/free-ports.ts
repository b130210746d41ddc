import { createServer, type Server } from 'node:net';

/**
 * Loopback ports the OS says are free right now, all distinct (they are held open
 * together while being picked). Something else may still take one before the
 * caller binds it, so callers that start servers retry on failure.
 */
export async function freePorts(count: number, host = '127.0.0.1'): Promise<number[]> {
  const servers = await Promise.all(
    Array.from({ length: count }, () => new Promise<Server>((resolve, reject) => {
      const server = createServer();
      server.once('error', reject);
      server.listen(0, host, () => resolve(server));
    })),
  );
  const ports = servers.map((server) => (server.address() as { port: number }).port);
  await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  return ports;
}
