// SIGTERM (issue 6): the server stops accepting connections, finishes the request in flight,
// writes the pending token last-used times, closes the store, and exits 0.
import { mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { createPat, describeWithBuiltServer, login, patBody, spawnServer, type ServerProcess, type Session } from './server-process.js';

const ADMIN_EMAIL = 'admin@shutdown.test';
const ADMIN_PASSWORD = 'shutdown-password-1';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A POST whose headers and first half of body are sent now, and the rest when asked. */
function postInTwoHalves(url: string, path: string, headers: Record<string, string>, body: string) {
  const target = new URL(path, url);
  const payload = Buffer.from(body);
  const half = Math.floor(payload.length / 2);
  const req = request({
    host: target.hostname, port: target.port, path: target.pathname + target.search, method: 'POST', agent: false,
    headers: { ...headers, 'content-type': 'application/json', 'content-length': String(payload.length) },
  });
  const response = new Promise<{ status: number; text: string }>((resolve, reject) => {
    req.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8').on('data', (chunk) => { text += chunk; }).on('end', () => resolve({ status: res.statusCode!, text }));
    });
    req.on('error', reject);
  });
  req.write(payload.subarray(0, half));
  return { response, sendRest: () => req.end(payload.subarray(half)) };
}

function refusesConnections(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => { socket.destroy(); resolve(false); });
    socket.once('error', () => resolve(true));
  });
}

describeWithBuiltServer('shutdown on SIGTERM', () => {
  let dir: string;
  let server: ServerProcess;
  let session: Session;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'keysmith-shutdown-'));
    server = await spawnServer(dir, {
      KEYSMITH_ADMIN_EMAIL: ADMIN_EMAIL, KEYSMITH_ADMIN_PASSWORD: ADMIN_PASSWORD,
      KEYSMITH_LAST_USED_FLUSH_MS: '3600000', // only the shutdown flush can write last-used times
    });
    session = await login(server.url, ADMIN_EMAIL, ADMIN_PASSWORD);
  });
  afterAll(async () => {
    if (server?.child.exitCode === null) server.child.kill('SIGKILL');
    if (dir) rmSync(dir, { recursive: true, force: true });
  });

  it('stops accepting, drains the request in flight, flushes lastUsedAt, closes the store and exits 0', async () => {
    const credential = await createPat(server.url, session, 'shutdown_key', 'credential');
    const tokenId = credential.split('.')[2];

    // Authenticated (onRequest runs before the body is read) and waiting for the rest of its body.
    const inFlight = postInTwoHalves(server.url, `/ng/api/token?accountIdentifier=${session.accountId}`,
      { 'x-api-key': credential }, JSON.stringify(patBody(session, 'shutdown_key', 'during_shutdown')));
    await sleep(500); // time for the server to read the headers and authenticate, even on a busy machine
    server.child.kill('SIGTERM');

    const port = Number(new URL(server.url).port);
    let refused = false;
    for (let i = 0; i < 100 && !refused; i++) {
      refused = await refusesConnections(port);
      if (!refused) await sleep(50);
    }
    expect(refused, 'new connections are still accepted after SIGTERM').toBe(true);
    expect(server.child.exitCode, 'exited before the request in flight was answered').toBeNull();

    inFlight.sendRest();
    const res = await inFlight.response;
    expect(res.status, res.text).toBe(200);
    expect(JSON.parse(res.text).data).toMatch(/^pat\./);

    const { code, signal } = await server.exited;
    expect({ code, signal }).toEqual({ code: 0, signal: null });

    const db = new SqliteDatabase(join(dir, 'keysmith.db'), { readonly: true });
    try {
      const used = db.prepare('select last_used_at from tokens where id = ?').get(tokenId) as { last_used_at: number | null };
      expect(used.last_used_at).toEqual(expect.any(Number));
      const created = db.prepare('select count(*) as n from tokens where identifier = ?').get('during_shutdown') as { n: number };
      expect(created.n).toBe(1);
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      db.close();
    }
  });
});
