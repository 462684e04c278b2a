// A TCP proxy on 127.0.0.1 in front of the test Redis, so a test can make Redis "go away" without
// touching the shared Redis server: `cut` closes every connection and refuses new ones (Redis down);
// `freeze` keeps connections open but passes nothing either way (Redis hung, or a partition).
import { createServer, connect, type Server, type Socket } from 'node:net';

export interface TcpProxy {
  port: number;
  url: string;
  /** Cuts every connection and refuses new ones. */
  cut(): Promise<void>;
  /** Keeps every connection open but silent; new ones are accepted and left silent too. */
  freeze(): void;
  /** Undoes `cut` (accepting again, on the same port) or `freeze` (passing data again). */
  restore(): Promise<void>;
  close(): Promise<void>;
}

interface Link { client: Socket; remote: Socket | null }

export async function startTcpProxy(target: string): Promise<TcpProxy> {
  const upstream = new URL(target);
  const upstreamPort = Number(upstream.port || 6379);
  const links = new Set<Link>();
  let server: Server | null = null;
  let port = 0;
  let frozen = false;

  function drop(link: Link) {
    link.client.destroy();
    link.remote?.destroy();
    links.delete(link);
  }

  function join(link: Link) {
    const remote = connect(upstreamPort, upstream.hostname);
    link.remote = remote;
    remote.on('error', () => drop(link)).on('close', () => drop(link));
    link.client.pipe(remote).pipe(link.client);
  }

  function listen(): Promise<void> {
    server = createServer((client) => {
      const link: Link = { client, remote: null };
      links.add(link);
      client.on('error', () => drop(link)).on('close', () => drop(link));
      if (frozen) client.pause(); // accepted, then silence
      else join(link);
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
    for (const link of [...links]) drop(link);
    if (s) await new Promise<void>((resolve) => s.close(() => resolve()));
  }

  await listen();
  const auth = upstream.username || upstream.password ? `${upstream.username}:${upstream.password}@` : '';
  const db = upstream.pathname && upstream.pathname !== '/' ? upstream.pathname : '';
  return {
    port,
    url: `redis://${auth}127.0.0.1:${port}${db}`,
    cut,
    freeze() {
      frozen = true;
      for (const link of links) {
        link.client.unpipe();
        link.remote?.unpipe();
        link.client.pause();
        link.remote?.pause();
      }
    },
    async restore() {
      if (frozen) {
        frozen = false;
        for (const link of links) {
          if (link.remote) {
            link.client.pipe(link.remote).pipe(link.client);
            link.client.resume();
            link.remote.resume();
          } else {
            link.client.resume();
            join(link);
          }
        }
      }
      if (!server) await listen();
    },
    close: cut,
  };
}
