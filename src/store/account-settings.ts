// Account settings (SPEC §3): per-account overrides of the rate limit and the key/token limits.
// A null stored value means "use the server's default".
import type { Kysely } from 'kysely';
import type { Config } from '../config.js';
import type { Database } from './schema.js';

export interface AccountSettings {
  apiKeyQps: number | null;
  maxApiKeysPerOwner: number | null;
  maxTokensPerApiKey: number | null;
  maxTokenLifetimeMs: number | null;
}

export interface EffectiveSettings {
  apiKeyQps: number;
  maxApiKeysPerOwner: number;
  maxTokensPerApiKey: number;
  /** null: no maximum token lifetime. */
  maxTokenLifetimeMs: number | null;
}

export async function getAccountSettings(db: Kysely<Database>, accountId: string): Promise<AccountSettings> {
  const row = await db.selectFrom('account_settings').selectAll().where('account_id', '=', accountId).executeTakeFirst();
  return {
    apiKeyQps: row?.api_key_qps ?? null,
    maxApiKeysPerOwner: row?.max_api_keys_per_owner ?? null,
    maxTokensPerApiKey: row?.max_tokens_per_api_key ?? null,
    maxTokenLifetimeMs: row?.max_token_lifetime_ms ?? null,
  };
}

export async function putAccountSettings(db: Kysely<Database>, accountId: string, settings: AccountSettings, now = Date.now()): Promise<void> {
  const values = {
    api_key_qps: settings.apiKeyQps,
    max_api_keys_per_owner: settings.maxApiKeysPerOwner,
    max_tokens_per_api_key: settings.maxTokensPerApiKey,
    max_token_lifetime_ms: settings.maxTokenLifetimeMs,
    last_modified_at: now,
  };
  await db.insertInto('account_settings').values({ account_id: accountId, ...values })
    .onConflict((oc) => oc.column('account_id').doUpdateSet(values)).execute();
}

/** The settings in force: the account's own values, else the server's configuration. */
export function effectiveSettings(config: Config, stored: AccountSettings): EffectiveSettings {
  return {
    apiKeyQps: stored.apiKeyQps ?? config.apiKeyQps ?? 1,
    maxApiKeysPerOwner: stored.maxApiKeysPerOwner ?? config.maxApiKeysPerOwner,
    maxTokensPerApiKey: stored.maxTokensPerApiKey ?? config.maxTokensPerApiKey,
    maxTokenLifetimeMs: stored.maxTokenLifetimeMs,
  };
}

export async function getEffectiveSettings(db: Kysely<Database>, config: Config, accountId: string): Promise<EffectiveSettings> {
  return effectiveSettings(config, await getAccountSettings(db, accountId));
}
