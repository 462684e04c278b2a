// Reads keysmith's configuration from the environment, once, into one typed object.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
import pg from 'pg';
import { PASSWORD_MAX, PASSWORD_MIN } from './auth/passwords.js';
import { isValidEmail, MAX_QPS, MIN_QPS, normalizeEmail } from './domain/validation.js';

export interface Config {
  port: number;
  host: string;
  dataDir: string;
  databaseUrl: string | null;
  redisUrl: string | null;
  /** Prefix of keysmith's Redis keys and pub/sub channel, so deployments (or test files) can share a Redis. */
  redisPrefix: string;
  adminEmail: string;
  adminPassword: string | null;
  apiKeyQps: number | null;
  maxApiKeysPerOwner: number;
  maxTokensPerApiKey: number;
  trustProxy: false | number | string;
  publicUrl: string | null;
  corsOrigins: string[];
  sessionTtlMs: number;
  logLevel: string;
  tokenCacheSize: number;
  negativeCacheSize: number;
  cacheTtlMs: number;
  lastUsedFlushMs: number;
  /** PostgreSQL: how long opening a connection may take (not the wait for a free one of the pool). */
  dbConnectTimeoutMs: number;
  /** PostgreSQL: how long one query may go unanswered (migrations get MIGRATION_QUERY_TIMEOUT_MS at least). */
  dbQueryTimeoutMs: number;
  /** PostgreSQL: the most connections one instance holds (requests beyond them wait for a free one). */
  dbPoolSize: number;
  /** How long a shutdown may wait for requests in flight and the last writes before it gives up and exits. */
  shutdownTimeoutMs: number;
  /** How long a client may take to send a whole request (headers and body) before it is answered 408. */
  requestTimeoutMs: number;
}

type Env = Record<string, string | undefined>;

/**
 * A whole number from the environment, in [min, max]. Only plain decimal digits: `Number()` would
 * also take "0x10", "1e3", " 3712 " or "" and bind or wait for something other than what was meant.
 */
function int(env: Env, name: string, fallback: number, range: { min: number; max: number }): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const { min, max } = range;
  const n = /^(?:0|[1-9][0-9]{0,15})$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= min && n <= max)) throw new Error(`${name} must be a whole number from ${min} to ${max}, got "${raw.slice(0, 100)}"`);
  return n;
}

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

function logLevel(raw: string | undefined): string {
  if (raw === undefined || raw === '') return 'info';
  if (!LOG_LEVELS.includes(raw)) throw new Error(`KEYSMITH_LOG_LEVEL must be one of ${LOG_LEVELS.join(', ')}, got "${raw}"`);
  return raw;
}

function qps(env: Env, name: string): number | null {
  const raw = env[name];
  if (raw === undefined || raw === '') return null;
  // Plain decimals only ("0.5", "250"), as for whole numbers above.
  const n = /^[0-9]{1,16}(?:\.[0-9]{1,16})?$/.test(raw) ? Number(raw) : NaN;
  if (!(n >= MIN_QPS && n <= MAX_QPS)) throw new Error(`${name} must be a number from ${MIN_QPS} to ${MAX_QPS}, got "${raw.slice(0, 100)}"`);
  return n;
}

/**
 * Which proxies' `X-Forwarded-For` to believe, as Fastify's `trustProxy` takes it: off; a number of
 * hops (`true` is one: the proxy in front, whose own address ends the header, since a client writes
 * what it likes at its start — believing the whole header would let it pick an IP per login attempt
 * and slip past the per-IP limit); or a list of the proxies' addresses and CIDRs.
 */
function trustProxy(raw: string | undefined): false | number | string {
  if (raw === undefined || raw === '' || raw === 'false' || raw === '0') return false;
  if (raw === 'true') return 1;
  if (/^[0-9]+$/.test(raw)) {
    const hops = Number(raw);
    if (hops > MAX_PROXY_HOPS) throw new Error(`KEYSMITH_TRUST_PROXY: a number of proxies in front must be from 1 to ${MAX_PROXY_HOPS}, got "${raw}"`);
    return hops;
  }
  const wrong = raw.split(',').map((entry) => entry.trim()).find((entry) => !isProxyAddress(entry));
  if (wrong !== undefined) {
    throw new Error(`KEYSMITH_TRUST_PROXY must be true, false, a number of proxies, or a comma-separated list of their addresses and CIDRs; "${wrong.slice(0, 100)}" is none of these`);
  }
  return raw;
}

const MAX_PROXY_HOPS = 99;
const PROXY_NAMES = ['loopback', 'linklocal', 'uniquelocal'];

/** An entry of a trusted-proxy list as Fastify reads it: an address, a CIDR, an address/netmask, or a named range. */
function isProxyAddress(entry: string): boolean {
  if (PROXY_NAMES.includes(entry)) return true;
  const [address = '', range, ...rest] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || rest.length > 0) return false;
  if (range === undefined) return true;
  if (/^[0-9]{1,3}$/.test(range)) return Number(range) <= (version === 4 ? 32 : 128);
  return version === 4 && isIP(range) === 4; // a netmask
}

/** A URL as WHATWG reads it (leading and trailing spaces dropped), or null when it is none. */
function urlOf(raw: string): URL | null {
  try { return new URL(raw); } catch { return null; }
}

function publicUrl(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  const url = urlOf(raw);
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new Error(`KEYSMITH_PUBLIC_URL must be the http:// or https:// address users reach keysmith at, got "${raw.slice(0, 200)}"`);
  }
  return raw.trim(); // as URL reads it: a stray space must not cost the cookies their Secure
}

/**
 * The origins a browser may call the API from, as browsers send them in `Origin`: scheme, host and
 * port only (`https://App.example.com:443/` is read as `https://app.example.com`). A path, or `*`,
 * is refused: no origin would ever match the one, and the other would let every web page call the
 * API with a token it holds.
 */
function corsOrigins(raw: string | undefined): string[] {
  const entries = (raw ?? '').split(',').map((s) => s.trim()).filter(Boolean);
  return entries.map((entry) => {
    const url = urlOf(entry);
    // An empty `?` or `#` leaves no search or hash on the URL: look at the text for those.
    const bare = !!url && (url.protocol === 'http:' || url.protocol === 'https:') && url.pathname === '/'
      && !url.search && !url.hash && !url.username && !url.password && !/[*?#]/.test(entry);
    if (!url || !bare) {
      throw new Error(`KEYSMITH_CORS_ORIGINS must be a comma-separated list of origins such as https://app.example.com (scheme, host and port only: no path, no "*"), got "${entry.slice(0, 200)}"`);
    }
    return url.origin;
  });
}

/** The PostgreSQL URL; a wrong one is named without its text, which may hold a password. */
function databaseUrl(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  if (!/^postgres(?:ql)?:\/\//i.test(raw)) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1];
    throw new Error(`DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/database), got ${scheme ? `a ${scheme}: URL` : 'something else'}`);
  }
  postgresTarget(raw); // parsed now, as the driver will, so a malformed one stops the start with its name
  return raw;
}

/**
 * Where a PostgreSQL URL points, as `host:port/database`, without user or password: for the banner,
 * the CLI and error messages. Parsed by the driver itself, so it names what it will connect to.
 */
export function postgresTarget(url: string): string {
  let client: pg.Client;
  try {
    client = new pg.Client({ connectionString: url });
  } catch (err) {
    // Node's message for a malformed URL does not quote it; any other (an sslcert file missing) names a file, not a secret.
    if ((err as { code?: string }).code === 'ERR_INVALID_URL') {
      throw new Error('DATABASE_URL is not a valid URL (postgres://user:password@host:5432/database; percent-encode special characters in the password)');
    }
    throw new Error(`DATABASE_URL: ${(err as Error).message}`);
  }
  return `${client.host}:${client.port}/${client.database ?? ''}`;
}

/** Which Redis a URL points at, as `host:port` (ioredis's defaults filled in), without user or password. */
export function redisTarget(url: string): string {
  const parsed = urlOf(url);
  if (!parsed) return '(an address that is not a URL)';
  return `${parsed.hostname || 'localhost'}:${parsed.port || '6379'}`;
}

function redisUrl(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  const url = urlOf(raw);
  if (!url || (url.protocol !== 'redis:' && url.protocol !== 'rediss:')) {
    throw new Error('REDIS_URL must be a redis:// or rediss:// URL (redis://user:password@host:6379/0); what it holds is not shown, as it may hold a password');
  }
  return raw;
}

/** The first admin's email: what the API and the CLI accept for one. */
function adminEmail(raw: string | undefined): string {
  const email = normalizeEmail((raw || 'admin@keysmith.local').trim());
  if (!isValidEmail(email)) throw new Error(`KEYSMITH_ADMIN_EMAIL must be a valid email address, got "${raw!.slice(0, 254)}"`);
  return email;
}

/** The first admin's password, held to the rule every other password is (its text is never shown). */
function adminPassword(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  if (raw.length < PASSWORD_MIN || raw.length > PASSWORD_MAX) {
    throw new Error(`KEYSMITH_ADMIN_PASSWORD must have ${PASSWORD_MIN} to ${PASSWORD_MAX} characters, got ${raw.length}`);
  }
  return raw;
}

function redisPrefix(raw: string | undefined): string {
  if (raw === undefined || raw === '') return 'keysmith';
  if (!/^[A-Za-z0-9_.:-]{1,64}$/.test(raw)) throw new Error(`KEYSMITH_REDIS_PREFIX must be 1-64 characters of [A-Za-z0-9_.:-], got "${raw}"`);
  return raw;
}

/** Bounds of the settings in milliseconds: long enough for any sane use, short of Node's timer limit (2^31 - 1 ms, ~24.8 days). */
const HOUR_MS = 3_600_000;
/** The most a limit setting may be: in effect no limit (the bench sets 100 million tokens per key). */
const MAX_COUNT = 1_000_000_000;
const MAX_CACHE_ENTRIES = 10_000_000;

export function loadConfig(env: Env = process.env): Config {
  const dataDir = resolve(env.KEYSMITH_DATA_DIR || './data');
  return {
    port: int(env, 'KEYSMITH_PORT', 3000, { min: 0, max: 65_535 }),
    host: env.KEYSMITH_HOST || '0.0.0.0',
    dataDir,
    databaseUrl: databaseUrl(env.DATABASE_URL),
    redisUrl: redisUrl(env.REDIS_URL),
    redisPrefix: redisPrefix(env.KEYSMITH_REDIS_PREFIX),
    adminEmail: adminEmail(env.KEYSMITH_ADMIN_EMAIL),
    adminPassword: adminPassword(env.KEYSMITH_ADMIN_PASSWORD),
    apiKeyQps: qps(env, 'KEYSMITH_API_KEY_QPS'),
    maxApiKeysPerOwner: int(env, 'KEYSMITH_MAX_API_KEYS_PER_OWNER', 5, { min: 1, max: MAX_COUNT }),
    maxTokensPerApiKey: int(env, 'KEYSMITH_MAX_TOKENS_PER_KEY', 5, { min: 1, max: MAX_COUNT }),
    trustProxy: trustProxy(env.KEYSMITH_TRUST_PROXY),
    publicUrl: publicUrl(env.KEYSMITH_PUBLIC_URL),
    corsOrigins: corsOrigins(env.KEYSMITH_CORS_ORIGINS),
    sessionTtlMs: int(env, 'KEYSMITH_SESSION_TTL_HOURS', 12, { min: 1, max: 8_760 }) * HOUR_MS,
    logLevel: logLevel(env.KEYSMITH_LOG_LEVEL),
    tokenCacheSize: int(env, 'KEYSMITH_TOKEN_CACHE_SIZE', 100_000, { min: 0, max: MAX_CACHE_ENTRIES }),
    negativeCacheSize: int(env, 'KEYSMITH_NEGATIVE_CACHE_SIZE', 10_000, { min: 0, max: MAX_CACHE_ENTRIES }),
    cacheTtlMs: int(env, 'KEYSMITH_CACHE_TTL_MS', 30_000, { min: 0, max: HOUR_MS }),
    lastUsedFlushMs: int(env, 'KEYSMITH_LAST_USED_FLUSH_MS', 5_000, { min: 10, max: HOUR_MS }),
    dbConnectTimeoutMs: int(env, 'KEYSMITH_DB_CONNECT_TIMEOUT_MS', 10_000, { min: 100, max: 600_000 }),
    dbQueryTimeoutMs: int(env, 'KEYSMITH_DB_QUERY_TIMEOUT_MS', 30_000, { min: 100, max: HOUR_MS }),
    dbPoolSize: int(env, 'KEYSMITH_DB_POOL_SIZE', 10, { min: 1, max: 1_000 }),
    shutdownTimeoutMs: int(env, 'KEYSMITH_SHUTDOWN_TIMEOUT_MS', 10_000, { min: 100, max: HOUR_MS }),
    requestTimeoutMs: int(env, 'KEYSMITH_REQUEST_TIMEOUT_MS', 120_000, { min: 1_000, max: HOUR_MS }),
  };
}

export function secureCookies(config: Config): boolean {
  return config.publicUrl !== null && /^https:/i.test(config.publicUrl); // a scheme in any case
}
