// Starts one keysmith instance: open the store, migrate, bootstrap an empty store, listen,
// and shut down cleanly on SIGTERM/SIGINT (stop accepting, drain, flush, close).
import { existsSync, mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileHoldsPassword } from '../auth/passwords.js';
import type { Config } from '../config.js';
import { randomString } from '../domain/ids.js';
import { escapeControls } from '../domain/validation.js';
import { buildApp, type App } from '../http/app.js';
import { bootstrapIfEmpty } from '../store/accounts.js';
import { migrate, openStore, type Store } from '../store/database.js';
import { findUserByEmail, firstAccountAdminEmail } from '../store/users.js';
import type { Services } from '../services.js';
import { createServices, REDIS_NEEDS_POSTGRES } from './services.js';

export const ADMIN_PASSWORD_FILE = 'initial-admin-password';

export async function openConfiguredStore(config: Config): Promise<Store> {
  const store = await openStore({ databaseUrl: config.databaseUrl, sqlitePath: join(config.dataDir, 'keysmith.db') });
  await migrate(store.db);
  return store;
}

/**
 * `adminEmail`: the admin made now, else an enabled admin of the first account (null when none).
 * `passwordFile`: the file holding that admin's password, when it still signs them in.
 * `stalePasswordFile`: the file, when its password no longer does (changed since, in the console).
 * `keptPasswordFile`: where an earlier password file, of another store, was moved to make room.
 */
export interface BootstrapResult {
  created: boolean; adminEmail: string | null; passwordFile: string | null; stalePasswordFile: string | null; keptPasswordFile: string | null;
}

/** First start: create the account and admin; the password comes from the environment or a 0600 file. */
export async function bootstrap(config: Config, store: Store): Promise<BootstrapResult> {
  const passwordFile = join(config.dataDir, ADMIN_PASSWORD_FILE);
  const password = config.adminPassword ?? randomString(24);
  const created = await bootstrapIfEmpty(store.db, store.engine, { adminEmail: config.adminEmail, password });
  let keptPasswordFile: string | null = null;
  if (created && !config.adminPassword) {
    mkdirSync(config.dataDir, { recursive: true });
    // A file already here belongs to another store's first start (the data directory used with
    // SQLite, then with DATABASE_URL): its password is still that store's, so it is kept aside.
    if (existsSync(passwordFile)) {
      keptPasswordFile = `${passwordFile}.${new Date().toISOString().replace(/[:.]/g, '-')}`;
      renameSync(passwordFile, keptPasswordFile);
    }
    writeFileSync(passwordFile, `${password}\n`, { mode: 0o600 });
  }
  // On a later start KEYSMITH_ADMIN_EMAIL names nobody in particular: say who is admin.
  const adminEmail = created?.adminEmail ?? await firstAccountAdminEmail(store.db, config.adminEmail);
  // A password changed since (in the console) leaves the file behind: the banner must not point at it.
  const admin = !created && adminEmail ? await findUserByEmail(store.db, adminEmail) : undefined;
  const fileWorks = created ? existsSync(passwordFile) : !!admin && await fileHoldsPassword(passwordFile, admin.password_hash);
  return {
    created: !!created,
    adminEmail,
    passwordFile: fileWorks ? passwordFile : null,
    stalePasswordFile: !fileWorks && existsSync(passwordFile) ? passwordFile : null,
    keptPasswordFile,
  };
}

export interface RunningServer { app: App; services: Services; url: string; stop(): Promise<void> }

export async function startServer(config: Config): Promise<RunningServer> {
  if (config.redisUrl && !config.databaseUrl) throw new Error(REDIS_NEEDS_POSTGRES); // before touching a SQLite file
  const store = await openConfiguredStore(config);
  const boot = await bootstrap(config, store);
  const services = await createServices(config, store);
  const app = await buildApp(services);
  await app.listen({ port: config.port, host: config.host });
  const shownHost = config.host === '0.0.0.0' || config.host === '::' ? 'localhost' : config.host;
  const address = app.server.address();
  const port = typeof address === 'object' && address ? address.port : config.port; // KEYSMITH_PORT=0 picks one
  const url = config.publicUrl ?? `http://${shownHost}:${port}`;

  // The banner goes to stdout directly, never through the logger.
  const lines = [
    '',
    `  keysmith is running at ${url}`,
    `  storage: ${store.engine === 'sqlite' ? join(config.dataDir, 'keysmith.db') : 'PostgreSQL (DATABASE_URL)'}`,
    ...(config.redisUrl ? [`  redis:   ${services.redisStatus() === 'up' ? 'connected' : 'UNREACHABLE (limits per instance until it returns)'}, prefix ${config.redisPrefix}`] : []),
    `  admin:   ${boot.adminEmail ?? 'no enabled account admin (give one back with `npx keysmith admin reset-password --email <email>`)'}`,
    boot.created && config.adminPassword
      ? '  password: the value of KEYSMITH_ADMIN_PASSWORD'
      : boot.passwordFile
        ? `  password: in ${boot.passwordFile}`
        : '  password: as set before (reset with `npx keysmith admin reset-password --email <email>`)',
    ...(boot.stalePasswordFile ? [`  (${boot.stalePasswordFile} holds the first password, which no longer signs in: delete it)`] : []),
    ...(boot.keptPasswordFile ? [`  (the password file that was there, another store's, is now ${boot.keptPasswordFile})`] : []),
    '',
  ];
  // Text only: an email or a path stored before emails were checked for them could hold characters
  // that steer the operator's terminal (ESC, BEL, bidirectional overrides).
  process.stdout.write(lines.map(escapeControls).join('\n') + '\n');

  let stopping: Promise<void> | null = null;
  const stop = () => {
    stopping ??= (async () => {
      await app.close(); // stops accepting, waits for in-flight requests
      await services.lastUsed.flush();
      await services.close();
      await store.close();
    })();
    return stopping;
  };
  return { app, services, url, stop };
}

export function stopOnSignals(server: RunningServer): void {
  const onSignal = (signal: string) => {
    server.services.logger.info({ signal }, 'shutting down');
    server.stop().then(() => process.exit(0), (err) => {
      server.services.logger.error({ err }, 'shutdown failed');
      process.exit(1);
    });
  };
  process.once('SIGTERM', () => onSignal('SIGTERM'));
  process.once('SIGINT', () => onSignal('SIGINT'));
}
