// Data migrations, run against rows as an older keysmith wrote them, on both engines.
import { expect } from 'vitest';
import { randomString } from '../../src/domain/ids.js';
import { up as emailsToNfc } from '../../src/store/migrations/003_emails_nfc.js';
import { describeEachEngine, it } from '../helpers/harness.js';

describeEachEngine('migrations', (h) => {
  it('003 rewrites users\' and service accounts\' emails to NFC, leaving a user whose NFC form is taken as it is', async () => {
    const db = h().store.db;
    const tag = randomString(6).toLowerCase();
    const nfd = (local: string) => `${local}o\u0308.${tag}@example.com`; // o + combining diaeresis
    const now = Date.now();
    const user = (id: string, email: string) => ({
      id, account_id: h().accountId, email, name: id, password_hash: 'x', disabled: 0, created_at: now, last_modified_at: now,
    });
    // Written as an older keysmith did: lower case only.
    await db.insertInto('users').values([
      user(`u1_${tag}`, nfd('j')),
      user(`u2_${tag}`, nfd('k')), user(`u3_${tag}`, nfd('k').normalize('NFC')), // the NFC form already taken
      user(`u4_${tag}`, `plain.${tag}@example.com`),
    ]).execute();
    await db.insertInto('service_accounts').values({
      account_id: h().accountId, org_identifier: '', project_identifier: '', identifier: `sa_${tag}`, name: 'sa', email: nfd('s'),
      description: '', tags: '{}', created_at: now, last_modified_at: now,
    }).execute();

    await emailsToNfc(db);

    const emails = Object.fromEntries((await db.selectFrom('users').select(['id', 'email']).where('id', 'like', `%_${tag}`).execute())
      .map((r) => [r.id, r.email]));
    expect(emails).toEqual({
      [`u1_${tag}`]: nfd('j').normalize('NFC'),
      [`u2_${tag}`]: nfd('k'), // left: u3 holds its NFC form
      [`u3_${tag}`]: nfd('k').normalize('NFC'),
      [`u4_${tag}`]: `plain.${tag}@example.com`,
    });
    const sa = await db.selectFrom('service_accounts').select('email').where('identifier', '=', `sa_${tag}`).executeTakeFirstOrThrow();
    expect(sa.email).toBe(nfd('s').normalize('NFC'));
    // Run again: nothing more to do.
    await emailsToNfc(db);
    expect((await db.selectFrom('users').select('email').where('id', '=', `u2_${tag}`).executeTakeFirstOrThrow()).email).toBe(nfd('k'));
  });
});
