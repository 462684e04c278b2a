// The keysmith command line: serve, migrate, account create, admin reset-password.
import { Command } from 'commander';
import { loadConfig } from '../config.js';
import { randomString } from '../domain/ids.js';
import { hashPassword, PASSWORD_MIN } from '../auth/passwords.js';
import { createAccount } from '../store/accounts.js';
import { deleteUserSessions } from '../store/sessions.js';
import { openConfiguredStore, startServer, stopOnSignals } from '../server/start.js';

const program = new Command();
program.name('keysmith').description('API keys and access tokens, Harness-compatible');

program.command('serve').description('start the server (API and console)').action(async () => {
  const server = await startServer(loadConfig());
  stopOnSignals(server);
});

program.command('migrate').description('apply database migrations and exit').action(async () => {
  const store = await openConfiguredStore(loadConfig());
  await store.close();
  process.stdout.write('migrations applied\n');
});

const account = program.command('account').description('manage accounts');
account.command('create').description('create another account (tenant) with its admin')
  .requiredOption('--name <name>', 'account name')
  .requiredOption('--admin-email <email>', 'email of the new account\'s admin')
  .option('--admin-password <password>', 'admin password (generated when absent)')
  .action(async (opts: { name: string; adminEmail: string; adminPassword?: string }) => {
    const password = opts.adminPassword ?? randomString(24);
    if (password.length < PASSWORD_MIN) throw new Error(`the password must have at least ${PASSWORD_MIN} characters`);
    const store = await openConfiguredStore(loadConfig());
    try {
      const created = await createAccount(store.db, store.engine, { name: opts.name, adminEmail: opts.adminEmail, password });
      process.stdout.write(`account ${created.accountId} created\nadmin: ${created.adminEmail}\n`);
      if (!opts.adminPassword) process.stdout.write(`password: ${password}\n`);
    } finally {
      await store.close();
    }
  });

const admin = program.command('admin').description('administration');
admin.command('reset-password').description('set a new password for a user (lock-out recovery)')
  .requiredOption('--email <email>', 'the user\'s email')
  .option('--password <password>', 'the new password (generated when absent)')
  .action(async (opts: { email: string; password?: string }) => {
    const password = opts.password ?? randomString(24);
    if (password.length < PASSWORD_MIN) throw new Error(`the password must have at least ${PASSWORD_MIN} characters`);
    const store = await openConfiguredStore(loadConfig());
    try {
      const user = await store.db.selectFrom('users').select(['id']).where('email', '=', opts.email.toLowerCase()).executeTakeFirst();
      if (!user) throw new Error(`no user with email ${opts.email}`);
      const hash = await hashPassword(password);
      await store.db.updateTable('users').set({ password_hash: hash, disabled: 0, last_modified_at: Date.now() })
        .where('id', '=', user.id).execute();
      await deleteUserSessions(store.db, user.id);
      process.stdout.write(`password reset for ${opts.email}\n`);
      if (!opts.password) process.stdout.write(`new password: ${password}\n`);
    } finally {
      await store.close();
    }
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  process.stderr.write(`keysmith: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
