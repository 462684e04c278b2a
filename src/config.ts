// Reads keysmith's configuration from the environment, once, into one typed object.
import { isIP } from 'node:net';
import { resolve } from 'node:path';
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
}

type Env = Record<string, string | undefined>;

/** A whole number from the environment, in [min, max] when they are given (else any n ≥ 0). */
function int(env: Env, name: string, fallback: number, range: { min?: number; max?: number } = {}): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  const { min = 0, max } = range;
  if (!Number.isInteger(n) || n < min || (max !== undefined && n > max)) {
    const rule = max !== undefined ? `a whole number from ${min} to ${max}` : min > 0 ? `a whole number, at least ${min}` : 'a non-negative integer';
    throw new Error(`${name} must be ${rule}, got "${raw}"`);
  }
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
  const n = Number(raw);
  if (!Number.isFinite(n) || n < MIN_QPS || n > MAX_QPS) throw new Error(`${name} must be a number from ${MIN_QPS} to ${MAX_QPS}, got "${raw}"`);
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

function publicUrl(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  let url: URL | null = null;
  try { url = new URL(raw); } catch { /* said below */ }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
    throw new Error(`KEYSMITH_PUBLIC_URL must be the http:// or https:// address users reach keysmith at, got "${raw.slice(0, 200)}"`);
  }
  return raw;
}

/** The PostgreSQL URL; a wrong one is named without its text, which may hold a password. */
function databaseUrl(raw: string | undefined): string | null {
  if (raw === undefined || raw === '') return null;
  if (!/^postgres(?:ql)?:\/\//i.test(raw)) {
    const scheme = /^([a-z][a-z0-9+.-]*):/i.exec(raw)?.[1];
    throw new Error(`DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/database), got ${scheme ? `a ${scheme}: URL` : 'something else'}`);
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

export function loadConfig(env: Env = process.env): Config {
  const dataDir = resolve(env.KEYSMITH_DATA_DIR || './data');
  return {
    port: int(env, 'KEYSMITH_PORT', 3000, { max: 65_535 }),
    host: env.KEYSMITH_HOST || '0.0.0.0',
    dataDir,
    databaseUrl: databaseUrl(env.DATABASE_URL),
    redisUrl: env.REDIS_URL || null,
    redisPrefix: redisPrefix(env.KEYSMITH_REDIS_PREFIX),
    adminEmail: adminEmail(env.KEYSMITH_ADMIN_EMAIL),
    adminPassword: adminPassword(env.KEYSMITH_ADMIN_PASSWORD),
    apiKeyQps: qps(env, 'KEYSMITH_API_KEY_QPS'),
    maxApiKeysPerOwner: int(env, 'KEYSMITH_MAX_API_KEYS_PER_OWNER', 5, { min: 1 }),
    maxTokensPerApiKey: int(env, 'KEYSMITH_MAX_TOKENS_PER_KEY', 5, { min: 1 }),
    trustProxy: trustProxy(env.KEYSMITH_TRUST_PROXY),
    publicUrl: publicUrl(env.KEYSMITH_PUBLIC_URL),
    corsOrigins: (env.KEYSMITH_CORS_ORIGINS || '').split(',').map((s) => s.trim()).filter(Boolean),
    sessionTtlMs: int(env, 'KEYSMITH_SESSION_TTL_HOURS', 12, { min: 1, max: 8_760 }) * 3_600_000,
    logLevel: logLevel(env.KEYSMITH_LOG_LEVEL),
    tokenCacheSize: int(env, 'KEYSMITH_TOKEN_CACHE_SIZE', 100_000),
    negativeCacheSize: int(env, 'KEYSMITH_NEGATIVE_CACHE_SIZE', 10_000),
    cacheTtlMs: int(env, 'KEYSMITH_CACHE_TTL_MS', 30_000),
    lastUsedFlushMs: int(env, 'KEYSMITH_LAST_USED_FLUSH_MS', 5_000),
  };
}

export function secureCookies(config: Config): boolean {
  return config.publicUrl?.startsWith('https://') ?? false;
}
