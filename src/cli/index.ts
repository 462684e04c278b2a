// The keysmith command line: serve, migrate, account create, admin reset-password. The actions
// live in commands.ts; this file parses arguments, opens the configured store and prints.
import { join } from 'node:path';
import { Command } from 'commander';
import { loadConfig } from '../config.js';
import type { Store } from '../store/database.js';
import { ADMIN_PASSWORD_FILE, openConfiguredStore, startServer, stopOnSignals } from '../server/start.js';
import { createAccountCommand, migrateCommand, resetPasswordCommand } from './commands.js';

const out = (line: string) => process.stdout.write(`${line}\n`);

/** Opens the store the environment configures (migrated), runs `fn`, and always closes it. */
async function withStore<T>(fn: (store: Store) => Promise<T>): Promise<T> {
  const store = await openConfiguredStore(loadConfig());
  try { return await fn(store); } finally { await store.close(); }
}

const program = new Command();
program.name('keysmith').description('API keys and access tokens, Harness-compatible');

program.command('serve').description('start the server (API and console)').action(async () => {
  const server = await startServer(loadConfig());
  stopOnSignals(server);
});

program.command('migrate').description('apply database migrations and exit').action(async () => {
  // Opening the configured store applies them; migrateCommand then finds nothing left to do.
  await withStore(migrateCommand);
  out('migrations applied');
});

const account = program.command('account').description('manage accounts');
account.command('create').description('create another account (tenant) with its admin')
  .requiredOption('--name <name>', 'account name')
  .requiredOption('--admin-email <email>', 'email of the new account\'s admin')
  .option('--admin-password <password>', 'admin password (generated and printed once when absent)')
  .action(async (opts: { name: string; adminEmail: string; adminPassword?: string }) => {
    const created = await withStore((store) => createAccountCommand(store, opts));
    out(`account ${created.accountId} created`);
    out(`admin: ${created.adminEmail}`);
    // Printed to the operator's terminal only, never through the logger.
    if (created.generatedPassword) out(`password: ${created.generatedPassword}`);
  });

const admin = program.command('admin').description('administration');
admin.command('reset-password').description('set a new password for a user, enable them, end their sessions (lock-out recovery)')
  .requiredOption('--email <email>', 'the user\'s email')
  .option('--password <password>', 'the new password (generated and printed once when absent)')
  .action(async (opts: { email: string; password?: string }) => {
    const passwordFile = join(loadConfig().dataDir, ADMIN_PASSWORD_FILE);
    const reset = await withStore((store) => resetPasswordCommand(store, { ...opts, passwordFile }));
    out(`password reset for ${reset.email}`);
    if (reset.generatedPassword) out(`new password: ${reset.generatedPassword}`);
    if (reset.removedPasswordFile) out(`removed ${reset.removedPasswordFile}: it held the old password`);
    if (reset.passwordFileWarning) process.stderr.write(`keysmith: warning: ${reset.passwordFileWarning}\n`);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  // A CommandError is the operator's mistake; anything else is printed the same way, without internals.
  process.stderr.write(`keysmith: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
