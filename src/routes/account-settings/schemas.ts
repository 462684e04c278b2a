// Shape of the account settings (SPEC §3): each value null means "the server's default".
import { Type } from '@sinclair/typebox';
import { Nullable } from '../../http/schemas.js';
import { MAX_QPS, MIN_QPS } from '../../domain/validation.js';

/** Upper bounds that keep values sane (and inside a 64-bit column); far above any real use. */
const MAX_LIMIT = 1_000_000;
const MAX_LIFETIME_MS = 100 * 365 * 24 * 3_600_000; // a century

export const AccountSettingsIn = Type.Object({
  apiKeyQps: Type.Optional(Nullable(Type.Number({ minimum: MIN_QPS, maximum: MAX_QPS }))),
  maxApiKeysPerOwner: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: MAX_LIMIT }))),
  maxTokensPerApiKey: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: MAX_LIMIT }))),
  maxTokenLifetimeMs: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: MAX_LIFETIME_MS }))),
});

export const AccountSettingsOut = Type.Object({
  apiKeyQps: Nullable(Type.Number()),
  maxApiKeysPerOwner: Nullable(Type.Integer()),
  maxTokensPerApiKey: Nullable(Type.Integer()),
  maxTokenLifetimeMs: Nullable(Type.Integer()),
});

export { AccountQuery } from '../../http/schemas.js';

const Limits = Type.Object({
  apiKeyQps: Type.Number(),
  maxApiKeysPerOwner: Type.Integer(),
  maxTokensPerApiKey: Type.Integer(),
  /** null: no maximum. */
  maxTokenLifetimeMs: Nullable(Type.Integer()),
});

/** The limits in force (the account's values, else the server's) and the server's defaults. */
export const EffectiveSettingsOut = Type.Object({ effective: Limits, defaults: Limits });
