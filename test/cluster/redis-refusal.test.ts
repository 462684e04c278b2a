// A Redis that refuses keysmith's credentials or commands (WRONGPASS, NOAUTH, NOPERM) is a mistake in
// REDIS_URL or the ACL that waiting will not mend: the start fails and says so. A Redis that cannot
// be reached stays what it was: a degraded start, limits per instance, reconnecting meanwhile.
import { createServer, type Server, type Socket } from 'node:net';
import { Writable } from 'node:stream';
import pino from 'pino';
import { afterAll, describe, expect, it } from 'vitest';
import { connectRedis } from '../../src/cluster/redis.js';
import { REDIS_URL } from '../helpers/harness.js';

function silentLogger() {
  const lines: string[] = [];
  return { lines, logger: pino({ level: 'info' }, new Writable({ write(chunk, _enc, cb) { lines.push(String(chunk)); cb(); } })) };
}

/** The command names in a buffer of RESP arrays (`*2\r\n$4\r\nINFO\r\n...`), in order. */
function commandNames(buffer: string): string[] {
  const names: string[] = [];
  for (const match of buffer.matchAll(/\*\d+\r\n\$\d+\r\n([^\r]*)\r\n/g)) names.push(match[1]!.toLowerCase());
  return names;
}

/** A fake Redis answering each command with what `answer` says (a RESP reply). */
async function fakeRedis(answer: (command: string) => string): Promise<{ port: number; server: Server }> {
  const sockets = new Set<Socket>();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    socket.on('data', (data) => { for (const name of commandNames(String(data))) socket.write(answer(name)); });
  });
  server.on('close', () => { for (const s of sockets) s.destroy(); });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  return { port: typeof address === 'object' && address ? address.port : 0, server };
}

const INFO = '# Server\r\nredis_version:7.0.0\r\nloading:0\r\n';
const bulk = (text: string) => `$${Buffer.byteLength(text)}\r\n${text}\r\n`;

describe('Redis refusing keysmith', () => {
  const servers: Server[] = [];
  afterAll(() => { for (const s of servers) s.close(); });

  const cases: [string, string, (command: string) => string, RegExp][] = [
    ['a wrong password (WRONGPASS)', 'redis://baduser:s3cret-pw@127.0.0.1',
      () => '-WRONGPASS invalid username-password pair or user is disabled.\r\n', /WRONGPASS invalid username-password pair/],
    ['no password where one is required (NOAUTH)', 'redis://127.0.0.1',
      (command) => (command === 'client' ? '+OK\r\n' : '-NOAUTH Authentication required.\r\n'), /NOAUTH Authentication required/],
    ['an ACL without the channel (NOPERM)', 'redis://keysmith:s3cret-pw@127.0.0.1',
      (command) => (command === 'info' ? bulk(INFO) : command === 'subscribe'
        ? "-NOPERM this user has no permissions to access one of the channels used as arguments\r\n" : '+OK\r\n'), /NOPERM this user has no permissions/],
  ];
  for (const [what, base, answer, reply] of cases) {
    it(`refuses to start on ${what}, naming REDIS_URL without its password`, async () => {
      const fake = await fakeRedis(answer);
      servers.push(fake.server);
      const url = base.replace('127.0.0.1', `127.0.0.1:${fake.port}`);
      const { logger, lines } = silentLogger();
      // connectWaitMs far beyond the test's timeout: only the refusal can end the wait in time.
      const error = await connectRedis({ url, prefix: 'refusal', logger, connectWaitMs: 600_000 }).then(() => null, (err: Error) => err);
      expect(error).toBeInstanceOf(Error);
      expect(error!.message).toMatch(new RegExp(`^Redis at 127\\.0\\.0\\.1:${fake.port} \\(REDIS_URL\\) refused keysmith: `));
      expect(error!.message).toMatch(reply);
      expect(error!.message).toContain('check the user name and password in REDIS_URL');
      expect(error!.message).not.toContain('s3cret-pw');
      expect(lines.join('')).not.toContain('Redis is unreachable');
    });
  }

  it('an unreachable Redis still starts degraded', async () => {
    const { logger, lines } = silentLogger();
    const connection = await connectRedis({ url: 'redis://127.0.0.1:1', prefix: 'refusal', logger, connectWaitMs: 300 });
    try {
      expect(connection.status()).toBe('down');
      expect(lines.join('')).toContain('Redis is unreachable');
    } finally {
      await connection.close();
    }
  });

  it.skipIf(!REDIS_URL)('the test Redis, given a user that does not exist, refuses: the start fails with WRONGPASS', async () => {
    const real = new URL(REDIS_URL!);
    real.username = 'keysmith-no-such-user';
    real.password = 's3cret-pw';
    const { logger } = silentLogger();
    await expect(connectRedis({ url: real.toString(), prefix: 'refusal', logger, connectWaitMs: 600_000 }))
      .rejects.toThrow(/^Redis at [^ ]+ \(REDIS_URL\) refused keysmith: WRONGPASS/);
  });
});
