// The CLI's actions, called directly: account create (a second tenant) and admin reset-password.
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect } from 'vitest';
import { describeEachEngine, it } from '../helpers/harness.js';
import { CommandError, createAccountCommand, resetPasswordCommand } from '../../src/cli/commands.js';
import { randomString } from '../../src/domain/ids.js';
import { migrate, openStore } from '../../src/store/database.js';

describe('account create on a store without its first account', () => {
  it('refuses, creating nothing: the first account is the server\'s Default one, with the KEYSMITH_ADMIN_* admin', async () => {
    const store = await openStore({ sqlitePath: ':memory:' });
    try {
      await migrate(store.db);
      await expect(createAccountCommand(store, { name: 'Acme', adminEmail: 'a@acme.io' }))
        .rejects.toThrow(new CommandError('the store has no account yet: start the server once (`npx keysmith serve`) to create the first account '
          + 'and its admin, then add other accounts with `account create`'));
      expect(await store.db.selectFrom('accounts').select('id').execute()).toEqual([]);
      expect(await store.db.selectFrom('users').select('id').execute()).toEqual([]);
    } finally {
      await store.close();
    }
  });
});

describeEachEngine('CLI commands', (h) => {
  const email = (p: string) => `${p}-${randomString(6).toLowerCase()}@example.com`;

  it('account create: a second tenant with its own default organization and project, and an admin holding _account_admin', async () => {
    const adminEmail = email('Tenant-Admin').toUpperCase();
    const created = await createAccountCommand(h().store, { name: 'Acme Corp', adminEmail, adminPassword: 'tenant-password' });
    expect(created.accountId).toMatch(/^[A-Za-z0-9]{22}$/);
    expect(created.accountId).not.toBe(h().accountId);
    expect(created.adminEmail).toBe(adminEmail.toLowerCase());
    expect(created.generatedPassword).toBeNull();

    const db = h().store.db;
    expect(await db.selectFrom('accounts').select(['id', 'name']).where('id', '=', created.accountId).execute())
      .toEqual([{ id: created.accountId, name: 'Acme Corp' }]);
    expect(await db.selectFrom('projects').select(['org_identifier', 'identifier']).where('account_id', '=', created.accountId).execute())
      .toEqual([{ org_identifier: 'default', identifier: 'default_project' }]);
    expect(await db.selectFrom('role_assignments').select(['role_identifier', 'principal_identifier', 'org_identifier'])
      .where('account_id', '=', created.accountId).execute())
      .toEqual([{ role_identifier: '_account_admin', principal_identifier: created.adminUserId, org_identifier: '' }]);

    // The new admin administers the new account, and only it.
    const tenant = await h().login(created.adminEmail, 'tenant-password');
    const me = await tenant.get('/ng/api/user/currentUser');
    expect(me.body.data).toMatchObject({ uuid: created.adminUserId, defaultAccountId: created.accountId, admin: true, accounts: [{ uuid: created.accountId, accountName: 'Acme Corp' }] });
    expect((await tenant.get('/ng/api/organizations/default', { query: { accountIdentifier: created.accountId } })).status).toBe(200);
    expect((await tenant.get('/ng/api/organizations/default', { query: { accountIdentifier: h().accountId } })).status).toBe(403);
    expect((await h().admin.client.get('/ng/api/organizations/default', { query: { accountIdentifier: created.accountId } })).status).toBe(403);
  });

  it('account create: generates a password when none is given, and it works', async () => {
    const created = await createAccountCommand(h().store, { name: 'Generated', adminEmail: email('gen') });
    expect(created.generatedPassword).toMatch(/^[A-Za-z0-9]{24}$/);
    await h().login(created.adminEmail, created.generatedPassword!);
  });

  it('account create: refuses a taken email, a bad email or name, and a short password, creating nothing', async () => {
    const before = await h().store.db.selectFrom('accounts').select('id').execute();
    await expect(createAccountCommand(h().store, { name: 'Dup', adminEmail: h().admin.email.toUpperCase() })).rejects.toThrow(CommandError);
    await expect(createAccountCommand(h().store, { name: 'Bad', adminEmail: 'nope' })).rejects.toThrow(/--admin-email/);
    await expect(createAccountCommand(h().store, { name: 'Bad*Name', adminEmail: email('x') })).rejects.toThrow(/--name/);
    await expect(createAccountCommand(h().store, { name: 'Short', adminEmail: email('y'), adminPassword: 'short' })).rejects.toThrow(/8 to 256/);
    expect(await h().store.db.selectFrom('accounts').select('id').execute()).toHaveLength(before.length);
  });

  it('admin reset-password: ends every session, enables the user, audits, and the new password logs in', async () => {
    const user = await h().createUser();
    expect((await user.client.get('/ng/api/user/currentUser')).status).toBe(200);
    await h().admin.client.put(`/ng/api/user/${user.id}`, { disabled: true }, { query: { accountIdentifier: h().accountId } });

    const reset = await resetPasswordCommand(h().store, { email: user.email.toUpperCase(), password: 'brand-new-password' });
    expect(reset).toEqual({ userId: user.id, email: user.email, generatedPassword: null, removedPasswordFile: null, passwordFileWarning: null });
    expect((await user.client.get('/ng/api/user/currentUser')).status).toBe(401);
    expect((await h().anonymous.post('/api/auth/login', { email: user.email, password: user.password })).status).toBe(401);
    const fresh = await h().login(user.email, 'brand-new-password');
    expect((await fresh.get('/ng/api/user/currentUser')).body.data).toMatchObject({ uuid: user.id, disabled: false });

    const audit = await h().store.db.selectFrom('audit_events').selectAll().where('resource_identifier', '=', user.id)
      .where('action', '=', 'PASSWORD_CHANGE').executeTakeFirstOrThrow();
    expect(audit).toMatchObject({ principal_type: 'SYSTEM', principal_identifier: 'keysmith-cli', account_id: h().accountId });
    expect(JSON.stringify(audit)).not.toContain('brand-new-password');
  });

  it('admin reset-password: generates a password when none is given; refuses an unknown email', async () => {
    const user = await h().createUser();
    const reset = await resetPasswordCommand(h().store, { email: user.email });
    expect(reset.generatedPassword).toMatch(/^[A-Za-z0-9]{24}$/);
    await h().login(user.email, reset.generatedPassword!);
    await expect(resetPasswordCommand(h().store, { email: 'nobody@example.com' })).rejects.toThrow('no user with email nobody@example.com');
  });

  it('admin reset-password is the lock-out recovery: a locked-out user logs in with the new password at once', async () => {
    const user = await h().createUser();
    const attempt = (password: string) => h().anonymous.post('/api/auth/login', { email: user.email, password });
    for (let i = 0; i < 10; i++) expect((await attempt('wrong-password')).status).toBe(401);
    // Locked: the right password too gets the 429 (or it would tell a guesser when a guess was right).
    expect((await attempt(user.password)).status).toBe(429);
    await resetPasswordCommand(h().store, { email: user.email, password: 'after-the-lockout' });
    expect((await attempt('after-the-lockout')).status).toBe(200);
    // The new password's count starts from zero: 10 more failures lock it again.
    for (let i = 0; i < 10; i++) expect((await attempt('wrong-again')).status).toBe(401);
    expect((await attempt('after-the-lockout')).status).toBe(429);
  });

  it("admin reset-password removes the first start's password file when it held the user's old password, and only then", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'keysmith-cli-'));
    try {
      const user = await h().createUser();
      const file = join(dir, 'initial-admin-password');
      writeFileSync(file, `${user.password}\n`, { mode: 0o600 });
      const other = await h().createUser();
      expect((await resetPasswordCommand(h().store, { email: other.email, password: 'other-new-password', passwordFile: file })).removedPasswordFile).toBeNull();
      expect(existsSync(file)).toBe(true);
      const reset = await resetPasswordCommand(h().store, { email: user.email, password: 'user-new-password', passwordFile: file });
      expect(reset.removedPasswordFile).toBe(file);
      expect(existsSync(file)).toBe(false);
      expect((await resetPasswordCommand(h().store, { email: user.email, password: 'third-password', passwordFile: file })).removedPasswordFile).toBeNull();
      // A file that can't be read or removed never stops the reset, nor the new password's printing.
      const unreadable = join(dir, 'a-directory');
      mkdirSync(unreadable);
      const odd = await resetPasswordCommand(h().store, { email: user.email, passwordFile: unreadable });
      expect(odd.generatedPassword).toMatch(/^[A-Za-z0-9]{24}$/);
      expect(odd.removedPasswordFile).toBeNull();
      await h().login(user.email, odd.generatedPassword!);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
