// The keysmith command line: serve, migrate, account create, admin reset-password. The actions
// live in commands.ts; this file parses arguments, opens the configured store and prints.
import { join } from 'node:path';
import { version } from '../version.js';
import { Command } from 'commander';
import { loadConfig, type Config } from '../config.js';
import { escapeControls } from '../domain/validation.js';
import type { Store } from '../store/database.js';
import { openExistingStore, openMigratedStore, storeDescription } from '../server/configured-store.js';
import { ADMIN_PASSWORD_FILE, startServer, stopOnSignals } from '../server/start.js';
import { createAccountCommand, redisAnnouncer, resetPasswordCommand } from './commands.js';

// Everything printed may hold what the operator typed or what the store holds: characters that
// would steer the terminal are written out, as in the banner.
const out = (line: string) => process.stdout.write(`${escapeControls(line)}\n`);

/** The store the account and admin commands work on: named first, and refused when it does not exist yet. */
async function withExistingStore<T>(config: Config, fn: (store: Store) => Promise<T>): Promise<T> {
  out(`store: ${storeDescription(config)}`);
  const store = await openExistingStore(config);
  try { return await fn(store); } finally { await store.close(); }
}


const program = new Command();
program.name('keysmith').description('API keys and access tokens, Harness-compatible').version(version);
// Every command finds its store, and serve its settings, in the environment: say where.
program.addHelpText('after', `
Every command works on the store its environment names, as the server does:
  KEYSMITH_DATA_DIR   the data directory (default ./data), with the SQLite store
  DATABASE_URL        a PostgreSQL store instead (postgres://user:password@host:5432/database)
  REDIS_URL           Redis, shared by several instances (needs DATABASE_URL)
serve also reads KEYSMITH_PORT (default 3000), KEYSMITH_HOST and the other KEYSMITH_* settings the
README lists. A password given with --password or --admin-password shows in the process list and
the shell's history; leave it out to have one generated and printed once.`);

program.command('serve').description('start the server (API and console)').action(async () => {
  const server = await startServer(loadConfig());
  stopOnSignals(server);
});

program.command('migrate').description('apply pending database migrations (creating the SQLite store, or the tables of an existing PostgreSQL database, if needed) and exit').action(async () => {
  const config = loadConfig();
  out(`store: ${storeDescription(config)}`);
  const { store, applied } = await openMigratedStore(config);
  await store.close();
  out(applied.length > 0 ? `applied ${applied.length} migration${applied.length > 1 ? 's' : ''}: ${applied.join(', ')}` : 'the store is up to date: no migration was pending');
});

const account = program.command('account').description('manage accounts');
account.command('create').description('create another account (tenant) with its admin, in a store that has its first account')
  .requiredOption('--name <name>', 'account name')
  .requiredOption('--admin-email <email>', 'email of the new account\'s admin')
  .option('--admin-password <password>', 'admin password (generated and printed once when absent)')
  .action(async (opts: { name: string; adminEmail: string; adminPassword?: string }) => {
    const created = await withExistingStore(loadConfig(), (store) => createAccountCommand(store, opts));
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
    const config = loadConfig();
    const passwordFile = join(config.dataDir, ADMIN_PASSWORD_FILE);
    const reset = await withExistingStore(config, (store) => resetPasswordCommand(store, { ...opts, passwordFile }, Date.now(), redisAnnouncer(config)));
    out(`password reset for ${reset.email}`);
    if (reset.generatedPassword) out(`new password: ${reset.generatedPassword}`);
    if (reset.removedPasswordFile) out(`removed ${reset.removedPasswordFile}: it held the old password`);
    if (reset.passwordFileWarning) process.stderr.write(`keysmith: warning: ${escapeControls(reset.passwordFileWarning)}\n`);
    if (reset.announceWarning) process.stderr.write(`keysmith: warning: ${escapeControls(reset.announceWarning)}\n`);
  });

program.parseAsync(process.argv).catch((err: unknown) => {
  // Errors say what is wrong and which setting or file is at fault (config.ts, configured-store.ts);
  // printed without a stack trace, and escaped like everything else printed.
  process.stderr.write(`keysmith: ${escapeControls(err instanceof Error ? err.message : String(err))}\n`);
  process.exit(1);
});
