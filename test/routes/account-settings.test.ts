// Account settings (SPEC §3): read and change the per-account limits; strict validation; audit.
import { beforeAll, describe, expect } from 'vitest';
import { describeEachEngine, it, type Client } from '../helpers/harness.js';
import { expectDenied, expectError, expectFailure, expectSameDenial, expectUnauthenticated } from '../helpers/expect.js';
import { createAccount } from '../../src/store/accounts.js';
import { randomString } from '../../src/domain/ids.js';
import type { InvalidationEvent } from '../../src/services.js';
import { createToken, NG, userOwner } from '../helpers/api-keys.js';

const BASE = '/ng/api/account-settings';
const DEFAULTS = { apiKeyQps: null, maxApiKeysPerOwner: null, maxTokensPerApiKey: null, maxTokenLifetimeMs: null };

describeEachEngine('account settings', (h) => {
  let outsider: Client;
  let otherAccount: string;
  const events: InvalidationEvent[] = [];
  const q = () => ({ query: { accountIdentifier: h().accountId } });

  beforeAll(async () => {
    outsider = (await h().createUser()).client;
    otherAccount = (await createAccount(h().store.db, h().store.engine,
      { name: 'Other', adminEmail: `other-${randomString(6).toLowerCase()}@example.com`, password: 'other-password' })).accountId;
    h().services.invalidation.subscribe((e) => events.push(e));
  });

  describe('GET /account-settings', () => {
    it('200: every value null (the server\'s default) until set', async () => {
      const res = await h().admin.client.get(BASE, q());
      expect(res.status, res.text).toBe(200);
      expect(res.body.data).toEqual(DEFAULTS);
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.get(BASE, q()));
    });

    it('403 for a user without core_account_view', async () => {
      expectDenied(await outsider.get(BASE, q()), 'core_account_view', h().accountId);
    });

    it('403, the same for an existing and a missing account, to an admin of another account', async () => {
      const existing = await h().admin.client.get(BASE, { query: { accountIdentifier: otherAccount } });
      const missing = await h().admin.client.get(BASE, { query: { accountIdentifier: 'NoSuchAccount000000000' } });
      expectDenied(existing, 'core_account_view', otherAccount);
      expectSameDenial(existing, missing, otherAccount, 'NoSuchAccount000000000');
    });
  });

  describe('GET /account-settings/effective', () => {
    const EFFECTIVE = `${BASE}/effective`;
    /** The server's defaults, as this file's environment sets them (below). */
    const SERVER = { apiKeyQps: 7, maxApiKeysPerOwner: 4, maxTokensPerApiKey: 5, maxTokenLifetimeMs: null };

    it('200 to any caller of the account, without a permission: the server\'s defaults until the account sets its own', async () => {
      await h().admin.client.put(BASE, DEFAULTS, q());
      const res = await outsider.get(EFFECTIVE, q());
      expect(res.status, res.text).toBe(200);
      expect(res.body.data).toEqual({ effective: SERVER, defaults: SERVER });
      // Without accountIdentifier: the caller's own account.
      expect((await outsider.get(EFFECTIVE)).body.data).toEqual({ effective: SERVER, defaults: SERVER });
    });

    it('200: the account\'s own values where it has them, the defaults unchanged; a token caller may read them too', async () => {
      await h().admin.client.put(BASE, { ...DEFAULTS, maxTokensPerApiKey: 9, maxTokenLifetimeMs: 86_400_000 }, q());
      try {
        const user = await h().createUser();
        const token = await createToken(h(), user.client, userOwner(user.id), 'limits', 'limits');
        const res = await h().tokenClient(token).get(`${NG}/account-settings/effective`, q());
        expect(res.status, res.text).toBe(200);
        expect(res.body.data).toEqual({ effective: { ...SERVER, maxTokensPerApiKey: 9, maxTokenLifetimeMs: 86_400_000 }, defaults: SERVER });
      } finally {
        await h().admin.client.put(BASE, DEFAULTS, q());
      }
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.get(EFFECTIVE, q()));
    });

    it('403 for another account, existing or not', async () => {
      expectSameDenial(await h().admin.client.get(EFFECTIVE, { query: { accountIdentifier: otherAccount } }),
        await h().admin.client.get(EFFECTIVE, { query: { accountIdentifier: 'NoSuchAccount000000000' } }),
        otherAccount, 'NoSuchAccount000000000');
    });
  });

  describe('PUT /account-settings', () => {
    it('200: stores the values, audits the change and tells every instance', async () => {
      events.length = 0;
      const values = { apiKeyQps: 2.5, maxApiKeysPerOwner: 3, maxTokensPerApiKey: 7, maxTokenLifetimeMs: 86_400_000 };
      const res = await h().admin.client.put(BASE, values, q());
      expect(res.status, res.text).toBe(200);
      expect(res.body.data).toEqual(values);
      expect((await h().admin.client.get(BASE, q())).body.data).toEqual(values);
      expect(events).toContainEqual({ kind: 'budgets', accountIdentifier: h().accountId });
      const audit = await h().store.db.selectFrom('audit_events').selectAll().where('resource_type', '=', 'ACCOUNT_SETTINGS')
        .orderBy('timestamp', 'desc').executeTakeFirstOrThrow();
      expect(audit).toMatchObject({ action: 'UPDATE', resource_identifier: h().accountId, principal_identifier: h().admin.id });
      expect(JSON.parse(audit.before!)).toEqual(DEFAULTS);
      expect(JSON.parse(audit.after!)).toEqual(values);
    });

    it('200: absent fields keep their values, null returns one to the default', async () => {
      await h().admin.client.put(BASE, { apiKeyQps: 4, maxApiKeysPerOwner: 9 }, q());
      const res = await h().admin.client.put(BASE, { apiKeyQps: null }, q());
      expect(res.body.data).toMatchObject({ apiKeyQps: null, maxApiKeysPerOwner: 9 });
    });

    it('400 for values out of range or of the wrong type', async () => {
      expectFailure(await h().admin.client.put(BASE, { apiKeyQps: 0 }, q()), 'apiKeyQps');
      expectFailure(await h().admin.client.put(BASE, { apiKeyQps: 1e-300 }, q()), 'apiKeyQps');
      expectFailure(await h().admin.client.put(BASE, { apiKeyQps: -1 }, q()), 'apiKeyQps');
      expectFailure(await h().admin.client.put(BASE, { apiKeyQps: '2' }, q()), 'apiKeyQps');
      expectFailure(await h().admin.client.put(BASE, { maxApiKeysPerOwner: 0 }, q()), 'maxApiKeysPerOwner');
      expectFailure(await h().admin.client.put(BASE, { maxTokensPerApiKey: 1.5 }, q()), 'maxTokensPerApiKey');
      expectFailure(await h().admin.client.put(BASE, { maxTokenLifetimeMs: 0 }, q()), 'maxTokenLifetimeMs');
      expectFailure(await h().admin.client.put(BASE, { maxTokenLifetimeMs: true }, q()), 'maxTokenLifetimeMs');
      expectError(await h().admin.client.request('PUT', `${BASE}?accountIdentifier=${h().accountId}`, '{',
        { headers: { 'content-type': 'application/json' } }), 400, 'INVALID_REQUEST');
      expect((await h().admin.client.get(BASE, q())).body.data.maxApiKeysPerOwner).not.toBe(0);
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await h().anonymous.put(BASE, { apiKeyQps: 1 }, q()));
    });

    it('403 for a user without core_account_edit, who changes nothing', async () => {
      const before = (await h().admin.client.get(BASE, q())).body.data;
      expectDenied(await outsider.put(BASE, { apiKeyQps: 100 }, q()), 'core_account_edit', h().accountId);
      expect((await h().admin.client.get(BASE, q())).body.data).toEqual(before);
    });

    it('403 for another account, existing or not', async () => {
      expectSameDenial(await h().admin.client.put(BASE, { apiKeyQps: 1 }, { query: { accountIdentifier: otherAccount } }),
        await h().admin.client.put(BASE, { apiKeyQps: 1 }, { query: { accountIdentifier: 'NoSuchAccount000000000' } }),
        otherAccount, 'NoSuchAccount000000000');
    });
  });
}, { env: { KEYSMITH_API_KEY_QPS: '7', KEYSMITH_MAX_API_KEYS_PER_OWNER: '4' } });
