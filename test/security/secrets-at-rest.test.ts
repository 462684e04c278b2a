// Secrets at rest (SPEC §4): every token value issued during a run — PATs, SATs, rotations with and
// without grace, values sent back to validate, revoke and as credentials — is searched for in the
// SQLite file and its WAL, in a text dump of every PostgreSQL table, in the audit rows and in the
// captured logs. Neither a value nor its secret part may appear anywhere; the secret's SHA-256 must
// (a positive control: the search does see what is stored).
import { createHash } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sql } from 'kysely';
import { expect } from 'vitest';
import { describeEachEngine, it, type Harness } from '../helpers/harness.js';
import { apiKeyBody, createApiKey, createToken, NG, ownerQuery, rotate, saOwner, userOwner, whoAmI } from '../helpers/api-keys.js';

async function storedText(h: Harness): Promise<string> {
  if (h.engine === 'sqlite') {
    const file = join(h.config.dataDir, 'keysmith.db');
    return ['', '-wal', '-shm'].filter((s) => existsSync(file + s)).map((s) => readFileSync(file + s).toString('latin1')).join('\n');
  }
  const tables = await sql<{ table_name: string }>`select table_name from information_schema.tables where table_schema = current_schema()`.execute(h.store.db);
  expect(tables.rows.map((t) => t.table_name)).toContain('tokens');
  const dump: string[] = [];
  for (const { table_name } of tables.rows) {
    const rows = await sql<{ row: string }>`select t::text as row from ${sql.table(table_name)} t`.execute(h.store.db);
    dump.push(...rows.rows.map((r) => r.row));
  }
  return dump.join('\n');
}

describeEachEngine('secrets at rest', (h) => {
  it('no token value or secret in the store, the audit trail or the logs', async () => {
    // 1. issue values every way there is, and use them every way there is
    const user = await h().createUser();
    const owner = userOwner(user.id);
    const sa = await h().seedServiceAccount();
    await h().grantRole({ type: 'SERVICE_ACCOUNT', identifier: sa.identifier }, '_account_admin');
    const pats: string[] = [];
    for (let i = 0; i < 3; i++) pats.push(await createToken(h(), user.client, owner, 'k', `t${i}`));
    const sat = await createToken(h(), h().admin.client, saOwner(sa), 'sak', 'sat');
    await createToken(h(), h().tokenClient(sat), saOwner(sa), 'sak', 'by_sat');
    expect((await rotate(h(), user.client, owner, 'k', 't0', { rotateTimestamp: Date.now() + 3_600_000 })).status).toBe(200);
    expect((await rotate(h(), user.client, owner, 'k', 't1')).status).toBe(200);
    for (let i = 0; i < 3; i++) expect((await rotate(h(), user.client, owner, 'k', 't2', { rotateTimestamp: Date.now() + 60_000 })).status).toBe(200);
    for (const v of h().issuedTokens) {
      await whoAmI(h(), v);
      await h().anonymous.get(`${NG}/apikey`, { headers: { authorization: `Bearer ${v}` } });
      await h().anonymous.request('POST', `${NG}/token/validate`, v, { headers: { 'content-type': 'text/plain' } });
      const [p, a, id, secret] = v.split('.');
      await whoAmI(h(), [p, a, id, secret.slice(0, 19) + '0'].join('.')); // a near miss
    }
    await h().anonymous.request('POST', `${NG}/token/revoke`, pats[2], { headers: { 'content-type': 'text/plain' } });
    await h().services.lastUsed.flush();
    // A careless log line with credentials in it is redacted by the logger.
    h().services.logger.info({ headers: { 'x-api-key': sat, authorization: `Bearer ${sat}` } }, 'request with credentials');

    const issued = [...h().issuedTokens];
    expect(issued.length).toBeGreaterThanOrEqual(10);

    // 2. search everything that is kept
    const stored = await storedText(h());
    const audit = JSON.stringify(await h().store.db.selectFrom('audit_events').selectAll().execute());
    const logs = h().logs.join('\n');
    expect(logs).toContain('request with credentials');
    for (const value of issued) {
      const secret = value.split('.')[3];
      for (const [where, text] of [['store', stored], ['audit', audit], ['logs', logs]]) {
        expect(text.includes(value), `${where} holds a token value`).toBe(false);
        expect(text.includes(secret), `${where} holds a token secret`).toBe(false);
      }
    }
    // Positive control: what is stored — the hash — is found by the same search.
    const live = issued.filter((v) => v !== pats[2]).at(-1)!;
    expect(stored.includes(createHash('sha256').update(live.split('.')[3]).digest('hex'))).toBe(true);
  });

  it('no token value in an error answer or the audit trail, wherever a client puts one by mistake', async () => {
    const user = await h().createUser();
    const owner = userOwner(user.id);
    const value = await createToken(h(), user.client, owner, 'mistakes', 'kept');
    const secret = value.split('.')[3]!;
    const c = user.client;
    const answers = [
      // A token's value where its identifier, its key's, a service account's or the account's goes.
      await c.delete(`${NG}/token/${value}`, { query: ownerQuery(h(), owner, { apiKeyIdentifier: 'mistakes' }) }),
      await c.request('POST', `${NG}/token/rotate/${value}`, undefined, { query: ownerQuery(h(), owner, { apiKeyIdentifier: 'mistakes' }) }),
      await c.get(`${NG}/apikey/aggregate/${value}`, { query: ownerQuery(h(), owner) }),
      await c.delete(`${NG}/apikey/${value}`, { query: ownerQuery(h(), owner) }),
      await h().admin.client.get(`${NG}/serviceaccount/aggregate/${value}`, { query: { accountIdentifier: h().accountId } }),
      await c.get(`${NG}/apikey/aggregate`, { query: ownerQuery(h(), owner, { sortOrders: value }) }),
      await c.post(`${NG}/apikey`, apiKeyBody(h(), owner, 'mistake_key', { accountIdentifier: value }), { query: { accountIdentifier: h().accountId } }),
      await c.post(`${NG}/apikey`, apiKeyBody(h(), owner, 'mistake_key', { parentIdentifier: value }), { query: { accountIdentifier: h().accountId } }),
      await c.post(`${NG}/apikey`, apiKeyBody(h(), owner, value), { query: { accountIdentifier: h().accountId } }),
    ];
    for (const res of answers) {
      expect(res.status, res.text).toBeGreaterThanOrEqual(400);
      expect(res.status, res.text).toBeLessThan(500);
      expect(res.text, res.text).not.toContain(secret);
    }
    // Only values are left out: an email that merely holds `pat.` is said as it is.
    await h().createUser({ email: 'ops@compat.corp.example.com' });
    const again = await h().admin.client.post(`${NG}/user`, { email: 'ops@compat.corp.example.com', name: 'Again', password: 'long-enough-password' }, { query: { accountIdentifier: h().accountId } });
    expect(again.status, again.text).toBe(400);
    expect(again.body.message).toContain('ops@compat.corp.example.com');
    // Kept by the audit trail: a tag whose key is a value, and a user agent holding one.
    await createApiKey(h(), c.with({ 'user-agent': `script ${value}` }), owner, 'tagged', { tags: { [value]: 'oops' } });
    const audit = JSON.stringify(await h().store.db.selectFrom('audit_events').selectAll().execute());
    expect(audit).toContain('tagged');
    expect(audit).not.toContain(secret);
  });
}, { env: { KEYSMITH_API_KEY_QPS: '1000' } });
