// Passwords and their hashes never reach the audit trail or the logs: after users are created,
// passwords changed and reset, and logins made (good and bad), no audit row and no log line holds one.
import { expect } from 'vitest';
import { describeEachEngine, it } from '../helpers/harness.js';
import { resetPasswordCommand } from '../../src/cli/commands.js';

describeEachEngine('no password in the audit trail or the logs', (h) => {
  it('holds for every way a password passes through keysmith', async () => {
    const passwords = [h().admin.password];
    const q = { query: { accountIdentifier: h().accountId } };

    // Users created through the API, each logging in (the harness logs in after creating).
    const users = [];
    for (let i = 0; i < 3; i++) {
      const password = `Created-Pa55word-${i}-${Date.now()}`;
      passwords.push(password);
      users.push(await h().createUser({ password, name: `Secret Keeper ${i}` }));
    }
    // Failed logins: a wrong password, and an unknown email.
    const wrong = `Wrong-Pa55word-${Date.now()}`;
    passwords.push(wrong);
    expect((await h().anonymous.post('/api/auth/login', { email: users[0].email, password: wrong })).status).toBe(401);
    expect((await h().anonymous.post('/api/auth/login', { email: 'nobody@example.com', password: wrong })).status).toBe(401);
    // A rejected create (password too short) and a duplicate one.
    passwords.push('short7!');
    expect((await h().admin.client.post('/ng/api/user', { email: 'short@example.com', name: 'Short', password: 'short7!' }, q)).status).toBe(400);
    const duplicate = `Duplicate-Pa55word-${Date.now()}`;
    passwords.push(duplicate);
    expect((await h().admin.client.post('/ng/api/user', { email: users[1].email, name: 'Dup', password: duplicate }, q)).status).toBe(400);
    // A password change, a wrong current password, then a login with the new one.
    const changed = `Changed-Pa55word-${Date.now()}`;
    passwords.push(changed);
    expect((await users[0].client.put('/api/auth/password', { currentPassword: users[0].password, newPassword: changed })).status).toBe(200);
    expect((await users[1].client.put('/api/auth/password', { currentPassword: wrong, newPassword: changed })).status).toBe(400);
    await h().login(users[0].email, changed);
    // A reset from the command line, and a login with it.
    const reset = `Reset-Pa55word-${Date.now()}`;
    passwords.push(reset);
    await resetPasswordCommand(h().store, { email: users[2].email, password: reset });
    await h().login(users[2].email, reset);
    const hashes = new Set<string>();
    const collectHashes = async () => {
      for (const u of await h().store.db.selectFrom('users').select('password_hash').execute()) hashes.add(u.password_hash);
    };
    await collectHashes();
    // Other changes that write audit entries.
    expect((await h().admin.client.put(`/ng/api/user/${users[1].id}`, { name: 'Renamed Keeper' }, q)).status).toBe(200);
    expect((await h().admin.client.delete(`/ng/api/user/${users[1].id}`, q)).status).toBe(200);

    await collectHashes();
    expect(hashes.size).toBe(4);
    // A hash is salt and key: look for each part too, not only the whole string.
    const hashParts = [...hashes].flatMap((hash) => [hash, ...hash.split('$').filter((part) => part.length >= 16)]);
    const secrets = [...passwords, ...hashParts];

    const audit = await h().store.db.selectFrom('audit_events').selectAll().execute();
    expect(audit.length).toBeGreaterThan(10);
    expect(audit.some((a) => a.action === 'PASSWORD_CHANGE')).toBe(true);
    for (const row of audit) {
      const text = JSON.stringify(row);
      for (const secret of secrets) expect(text, `audit ${row.action} ${row.resource_type}`).not.toContain(secret);
    }
    // The audit API serves the same rows: check what it answers too.
    const served = await h().admin.client.get('/ng/api/audits', { query: { accountIdentifier: h().accountId, pageSize: 100 } });
    for (const secret of secrets) expect(served.text).not.toContain(secret);

    const logs = h().logs.join('\n');
    for (const secret of secrets) expect(logs).not.toContain(secret);
  });
});
