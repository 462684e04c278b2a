// POST /token/rotate/{identifier} (SPEC §4): grace periods, immediate rotation, the new token's
// window, what cannot be rotated, every status, and twenty rotations of one token at once.
import { describe, expect } from 'vitest';
import { describeEachEngine, it } from '../helpers/harness.js';
import { expectError, expectFailure, expectSameDenial, expectUnauthenticated } from '../helpers/expect.js';
import { createToken, readTokens, rotate, tokenBody, NG, userOwner, whoAmI } from '../helpers/api-keys.js';

const HOUR = 3_600_000;
let offset = 0;
const now = () => Date.now() + offset;

describeEachEngine('token rotation', (h) => {
  describe('POST /token/rotate/{identifier}', () => {
    it('200 with a grace period: the old value works until rotateTimestamp as rotated_…, then 401 EXPIRED_TOKEN', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      const old = await createToken(h(), user.client, owner, 'k', 't', { validTo: now() + 48 * HOUR });
      const [before] = await readTokens(h(), user.client, owner, 'k', ['t']);
      expect((await whoAmI(h(), old)).status).toBe(200); // cached as verified before the rotation
      const graceEnd = now() + HOUR;
      const res = await rotate(h(), user.client, owner, 'k', 't', { rotateTimestamp: graceEnd });
      expect(res.status, res.text).toBe(200);
      const fresh = res.body.data as string;
      expect(fresh).toMatch(new RegExp(`^pat\\.${h().accountId}\\.[0-9a-f]{24}\\.[A-Za-z0-9]{20}$`));
      expect(fresh).not.toBe(old);

      const tokens = await readTokens(h(), user.client, owner, 'k');
      const current = tokens.find((a) => a.token.identifier === 't');
      const retired = tokens.find((a) => a.token.identifier !== 't');
      expect(tokens).toHaveLength(2);
      expect(retired.token).toMatchObject({ name: before.token.name, scheduledExpireTime: graceEnd, validTo: before.token.validTo, valid: true });
      expect(retired.token.identifier).toMatch(/^rotated_[A-Za-z]{15}$/);
      expect(retired.expiryAt).toBe(graceEnd);
      expect(current.token).toMatchObject({
        name: before.token.name, description: before.token.description, tags: before.token.tags, validTo: before.token.validTo,
        scheduledExpireTime: null,
      });
      expect(current.token.validFrom).toBeGreaterThanOrEqual(before.token.validFrom);

      expect((await whoAmI(h(), old)).status).toBe(200);
      expect((await whoAmI(h(), fresh)).status).toBe(200);
      offset += HOUR + 1;
      try {
        expectError(await whoAmI(h(), old), 401, 'EXPIRED_TOKEN', 'Token expired.');
        expect((await whoAmI(h(), fresh)).status).toBe(200);
      } finally {
        offset -= HOUR + 1;
      }
    });

    it('200 without a grace period (none, or not in the future): the old value is gone at once', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      // Any instant not in the future, 0 and those before 1970 included.
      for (const [i, rotateTimestamp] of [undefined, now() - 1000, 0, -1].entries()) {
        const old = await createToken(h(), user.client, owner, 'k', `t${i}`);
        expect((await whoAmI(h(), old)).status).toBe(200);
        const res = await rotate(h(), user.client, owner, 'k', `t${i}`, { rotateTimestamp });
        expect(res.status, res.text).toBe(200);
        expectError(await whoAmI(h(), old), 401, 'INVALID_TOKEN');
        expect((await whoAmI(h(), res.body.data)).status).toBe(200);
      }
      expect((await readTokens(h(), user.client, owner, 'k')).every((a) => !a.token.identifier.startsWith('rotated_'))).toBe(true);
    });

    it('200: validTo in the query sets the new expiry in the same step; a JSON content type without a body is fine', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      await createToken(h(), user.client, owner, 'k', 't');
      const validTo = now() + 5 * HOUR;
      const res = await user.client.request('POST', `${NG}/token/rotate/t`, '', {
        headers: { 'content-type': 'application/json' },
        query: { accountIdentifier: h().accountId, apiKeyType: 'USER', parentIdentifier: user.id, apiKeyIdentifier: 'k', validTo },
      });
      expect(res.status, res.text).toBe(200);
      const [t] = await readTokens(h(), user.client, owner, 'k', ['t']);
      expect(t.token.validTo).toBe(validTo);
    });

    it('400: a rotated token cannot be rotated again, nor an expired one; rotateTimestamp after expiry is INVALID_ARGUMENT', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      await createToken(h(), user.client, owner, 'k', 't', { validTo: now() + 2 * HOUR });
      await rotate(h(), user.client, owner, 'k', 't', { rotateTimestamp: now() + HOUR });
      const retired = (await readTokens(h(), user.client, owner, 'k')).find((a) => a.token.identifier !== 't');
      expectError(await rotate(h(), user.client, owner, 'k', retired.token.identifier), 400, 'INVALID_REQUEST', 'Rotated tokens cannot be updated');
      expectError(await rotate(h(), user.client, owner, 'k', 't', { rotateTimestamp: now() + 3 * HOUR }), 400, 'INVALID_ARGUMENT', /rotateTimestamp/);
      expectFailure(await rotate(h(), user.client, owner, 'k', 't', { rotateTimestamp: 'soon' }), 'rotateTimestamp');
      await createToken(h(), user.client, owner, 'k', 'short', { validTo: now() + 1000 });
      offset += 2000;
      try {
        expectError(await rotate(h(), user.client, owner, 'k', 'short'), 400, 'INVALID_REQUEST', 'Expired tokens cannot be rotated');
      } finally {
        offset -= 2000;
      }
    });

    it('401 without credentials', async () => {
      expectUnauthenticated(await rotate(h(), h().anonymous, userOwner(h().admin.id), 'k', 't'));
    });

    it("403: an admin cannot rotate another user's PAT, whether it exists or not", async () => {
      const user = await h().createUser();
      await createToken(h(), user.client, userOwner(user.id), 'k', 'mine');
      const existing = await rotate(h(), h().admin.client, userOwner(user.id), 'k', 'mine');
      const missing = await rotate(h(), h().admin.client, userOwner(user.id), 'k', 'absent');
      expectSameDenial(existing, missing, 'mine', 'absent');
    });

    it('404 for a missing token or key', async () => {
      const user = await h().createUser();
      expectError(await rotate(h(), user.client, userOwner(user.id), 'k', 'nothing'), 404, 'ENTITY_NOT_FOUND');
      await createToken(h(), user.client, userOwner(user.id), 'k', 'exists');
      expectError(await rotate(h(), user.client, userOwner(user.id), 'k', 'nothing'), 404, 'ENTITY_NOT_FOUND', 'Token with identifier nothing not found');
    });
  });

  describe('concurrency', () => {
    async function rotateTwenty(rotateTimestamp: number | undefined) {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      const original = await createToken(h(), user.client, owner, 'k', 'busy');
      const results = await Promise.all(Array.from({ length: 20 }, () => rotate(h(), user.client, owner, 'k', 'busy', { rotateTimestamp })));
      for (const r of results) expect(r.status, r.text).toBe(200);
      const values = results.map((r) => r.body.data as string);
      expect(new Set(values).size).toBe(20);
      const rows = await h().store.db.selectFrom('tokens').select(['id', 'identifier', 'scheduled_expire_time'])
        .where('parent_identifier', '=', user.id).execute();
      const holders = rows.filter((r) => r.identifier === 'busy');
      expect(holders).toHaveLength(1);
      const current = values.find((v) => v.split('.')[2] === holders[0].id);
      expect(current).toBeDefined();
      expect((await whoAmI(h(), current!)).status).toBe(200);
      // Every earlier value is refused, or inside its own grace period.
      const byId = new Map(rows.map((r) => [r.id, r]));
      for (const earlier of [original, ...values.filter((v) => v !== current)]) {
        const res = await whoAmI(h(), earlier);
        const row = byId.get(earlier.split('.')[2]);
        if (res.status === 200) {
          expect(row?.scheduled_expire_time).toBeGreaterThan(now());
          expect(row?.identifier).toMatch(/^rotated_/);
        } else {
          expectError(res, 401, row ? 'EXPIRED_TOKEN' : 'INVALID_TOKEN');
        }
      }
      return { rows, values };
    }

    it('20 concurrent rotations with a grace period all succeed; one token holds the identifier', async () => {
      const { rows } = await rotateTwenty(now() + HOUR);
      expect(rows).toHaveLength(21);
      expect(rows.filter((r) => r.identifier.startsWith('rotated_'))).toHaveLength(20);
    });

    it('20 concurrent rotations without one all succeed; only the last value works', async () => {
      const { rows } = await rotateTwenty(undefined);
      expect(rows).toHaveLength(1);
    });
  });

  describe('PUT after rotation', () => {
    it('edits the new token normally', async () => {
      const user = await h().createUser();
      const owner = userOwner(user.id);
      await createToken(h(), user.client, owner, 'k', 't');
      await rotate(h(), user.client, owner, 'k', 't', { rotateTimestamp: now() + HOUR });
      const res = await user.client.put(`${NG}/token/t`, tokenBody(h(), owner, 'k', 't', { name: 'New name' }));
      expect(res.status, res.text).toBe(200);
      expect(res.body.data.name).toBe('New name');
    });
  });
}, { env: { KEYSMITH_API_KEY_QPS: '1000' }, now });
