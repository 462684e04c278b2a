// A TCP proxy on 127.0.0.1 in front of the test Redis, so a test can make Redis "go away" (every
// connection cut, new ones refused) and come back, without touching the shared Redis server.
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  url: string;
  /** Cuts every connection and refuses new ones. */
  cut(): Promise<void>;
  /** Accepts connections again, on the same port. */
  restore(): Promise<void>;
  close(): Promise<void>;
}

export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const upstream = new URL(target);
  const upstreamPort = Number(upstream.port || 6379);
  const sockets = new Set<Socket>();
  let server: Server | null = null;
  let port = 0;

  function listen(): Promise<void> {
    server = createServer((client) => {
      const remote = connect(upstreamPort, upstream.hostname);
      sockets.add(client).add(remote);
      const drop = () => { client.destroy(); remote.destroy(); sockets.delete(client); sockets.delete(remote); };
      client.on('error', drop).on('close', drop);
      remote.on('error', drop).on('close', drop);
      client.pipe(remote).pipe(client);
    });
    return new Promise((resolve, reject) => {
      server!.once('error', reject);
      server!.listen(port, '127.0.0.1', () => {
        const address = server!.address();
        if (typeof address === 'object' && address) port = address.port;
        resolve();
      });
    });
  }

  async function cut(): Promise<void> {
    const s = server;
    server = null;
    for (const socket of sockets) socket.destroy();
    sockets.clear();
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  await listen();
  const auth = upstream.username || upstream.password ? `${upstream.username}:${upstream.password}@` : '';
  const db = upstream.pathname && upstream.pathname !== '/' ? upstream.pathname : '';
  return {
    port,
    url: `redis://${auth}127.0.0.1:${port}${db}`,
    cut,
    async restore() { if (!server) await listen(); },
    close: cut,
  };
}
