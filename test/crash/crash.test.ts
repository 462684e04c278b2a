// kill -9 during a storm of token creations (issue 6): after a restart, every token whose creation
// was answered 200 authenticates, nothing half-created is visible (every token has its key and its
// audit entry, every key its audit entry), and the SQLite file passes PRAGMA integrity_check.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import SqliteDatabase from 'better-sqlite3';
import { afterAll, expect, it } from 'vitest';
import { describeWithBuiltServer, login, patBody, spawnServer, type ServerProcess, type Session } from './server-process.js';

const ADMIN_EMAIL = 'admin@crash.test';
const ADMIN_PASSWORD = 'crash-password-1';
const WORKERS = 12;
const KILL_AFTER_CREATED = 80;

const env = {
  KEYSMITH_ADMIN_EMAIL: ADMIN_EMAIL, KEYSMITH_ADMIN_PASSWORD: ADMIN_PASSWORD,
  KEYSMITH_API_KEY_QPS: '100000', KEYSMITH_MAX_TOKENS_PER_KEY: '100000', KEYSMITH_MAX_API_KEYS_PER_OWNER: '100000',
};

describeWithBuiltServer('crash during a storm of token creations', () => {
  const dir = mkdtempSync(join(tmpdir(), 'keysmith-crash-'));
  const servers: ServerProcess[] = [];
  afterAll(() => {
    for (const s of servers) if (s.child.exitCode === null && s.child.signalCode === null) s.child.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('loses nothing that was answered 200, shows nothing half-created, and keeps the file sound', { timeout: 120_000 }, async () => {
    const first = await spawnServer(dir, env);
    servers.push(first);
    const session: Session = await login(first.url, ADMIN_EMAIL, ADMIN_PASSWORD);

    // The storm: workers create tokens as fast as they can; every third token names a new API key,
    // so key creation (with its own audit entry) is part of the transactions being cut.
    const created = new Map<string, string>(); // identifier → value, for answers of 200
    let killed = false;
    let attempts = 0;
    let onEnough: () => void;
    const enough = new Promise<void>((resolve) => { onEnough = resolve; });
    const worker = async (w: number) => {
      for (let i = 0; !killed; i++) {
        const identifier = `storm_${w}_${i}`;
        attempts++;
        try {
          const res = await fetch(`${first.url}/ng/api/token?accountIdentifier=${session.accountId}`, {
            method: 'POST',
            headers: { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf },
            body: JSON.stringify(patBody(session, `storm_key_${w}_${Math.floor(i / 3)}`, identifier)),
          });
          const text = await res.text();
          if (res.status === 200) created.set(identifier, JSON.parse(text).data);
          else if (!killed) throw new Error(`creation answered ${res.status}: ${text}`);
          if (created.size >= KILL_AFTER_CREATED) onEnough();
        } catch (err) {
          if (!killed) throw err; // before the kill every creation must succeed
        }
      }
    };
    const storm = Promise.all(Array.from({ length: WORKERS }, (_, w) => worker(w)));
    await Promise.race([enough, storm]).catch((err: unknown) => { first.child.kill('SIGKILL'); killed = true; throw err; });
    first.child.kill('SIGKILL');
    killed = true;
    await storm;
    expect((await first.exited).signal).toBe('SIGKILL');
    console.log(`crash: killed after ${created.size} tokens answered 200 of ${attempts} attempted`);

    // The file as the crash left it (opening it replays the WAL).
    const db = new SqliteDatabase(join(dir, 'keysmith.db'));
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(db.pragma('foreign_key_check')).toEqual([]);
      const orphanTokens = db.prepare(`select t.identifier from tokens t left join api_keys k on k.id = t.api_key_id
        where k.id is null`).all();
      expect(orphanTokens).toEqual([]);
      const tokensWithoutAudit = db.prepare(`select t.identifier from tokens t where not exists (select 1 from audit_events a
        where a.action = 'CREATE' and a.resource_type = 'TOKEN' and a.resource_identifier = t.identifier)`).all();
      expect(tokensWithoutAudit).toEqual([]);
      const keysWithoutAudit = db.prepare(`select k.identifier from api_keys k where not exists (select 1 from audit_events a
        where a.action = 'CREATE' and a.resource_type = 'API_KEY' and a.resource_identifier = k.identifier)`).all();
      expect(keysWithoutAudit).toEqual([]);
      const tokenAuditsWithoutToken = db.prepare(`select a.resource_identifier from audit_events a where a.action = 'CREATE'
        and a.resource_type = 'TOKEN' and not exists (select 1 from tokens t where t.identifier = a.resource_identifier)`).all();
      expect(tokenAuditsWithoutToken).toEqual([]);
      const stored = new Set((db.prepare('select identifier from tokens').all() as { identifier: string }[]).map((r) => r.identifier));
      expect([...created.keys()].filter((id) => !stored.has(id))).toEqual([]);
    } finally {
      db.close();
    }

    // Restarted, the server accepts every token it answered 200 for.
    const second = await spawnServer(dir, env);
    servers.push(second);
    const refused: string[] = [];
    const values = [...created.entries()];
    for (let i = 0; i < values.length; i += 16) {
      await Promise.all(values.slice(i, i + 16).map(async ([identifier, value]) => {
        const res = await fetch(`${second.url}/ng/api/user/currentUser`, { headers: { 'x-api-key': value } });
        await res.arrayBuffer();
        if (res.status !== 200) refused.push(`${identifier}: ${res.status}`);
      }));
    }
    expect(refused).toEqual([]);
    second.child.kill('SIGTERM');
    expect(await second.exited).toEqual({ code: 0, signal: null });
  });
});
