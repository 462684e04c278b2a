// The server's configuration from the environment: a value it cannot use stops the start with a
// message naming the variable, rather than misbehaving later.
import { describe, expect, it } from 'vitest';
import { loadConfig, secureCookies } from '../../src/config.js';

describe('loadConfig', () => {
  it('KEYSMITH_API_KEY_QPS: from 0.001 (one request per 1,000 s) to a million; empty is the default', () => {
    expect(loadConfig({ KEYSMITH_API_KEY_QPS: '0.001' }).apiKeyQps).toBe(0.001);
    expect(loadConfig({ KEYSMITH_API_KEY_QPS: '250' }).apiKeyQps).toBe(250);
    expect(loadConfig({ KEYSMITH_API_KEY_QPS: '' }).apiKeyQps).toBeNull();
    for (const bad of ['0', '-1', '1e-300', '2000000', 'fast', 'Infinity', '1e3', '0x10', ' 5 ', '.5', '5.', '+5']) {
      expect(() => loadConfig({ KEYSMITH_API_KEY_QPS: bad }), bad).toThrow(/KEYSMITH_API_KEY_QPS must be a number from 0.001 to 1000000/);
    }
  });

  it('refuses what it cannot use, naming the variable: a port, a session length, limits, a log level', () => {
    const cases: [string, string, RegExp][] = [
      ['KEYSMITH_PORT', '99999', /KEYSMITH_PORT must be a whole number from 0 to 65535, got "99999"/],
      ['KEYSMITH_SESSION_TTL_HOURS', '0', /KEYSMITH_SESSION_TTL_HOURS must be a whole number from 1 to 8760, got "0"/],
      ['KEYSMITH_SESSION_TTL_HOURS', '0.5', /KEYSMITH_SESSION_TTL_HOURS must be a whole number from 1 to 8760/],
      ['KEYSMITH_MAX_API_KEYS_PER_OWNER', '0', /KEYSMITH_MAX_API_KEYS_PER_OWNER must be a whole number from 1 to 1000000000, got "0"/],
      ['KEYSMITH_MAX_TOKENS_PER_KEY', '0', /KEYSMITH_MAX_TOKENS_PER_KEY must be a whole number from 1 to 1000000000, got "0"/],
      ['KEYSMITH_TOKEN_CACHE_SIZE', '-1', /KEYSMITH_TOKEN_CACHE_SIZE must be a whole number from 0 to 10000000, got "-1"/],
      ['KEYSMITH_LOG_LEVEL', 'bogus', /KEYSMITH_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "bogus"/],
    ];
    for (const [name, value, message] of cases) expect(() => loadConfig({ [name]: value }), `${name}=${value}`).toThrow(message);
    expect(loadConfig({ KEYSMITH_PORT: '0', KEYSMITH_SESSION_TTL_HOURS: '1', KEYSMITH_LOG_LEVEL: 'debug' }))
      .toMatchObject({ port: 0, sessionTtlMs: 3_600_000, logLevel: 'debug' });
  });

  it('whole numbers are plain decimal digits: no hex, exponent, sign, blank or leading zero', () => {
    expect(loadConfig({ KEYSMITH_PORT: '3712' }).port).toBe(3712);
    expect(loadConfig({ KEYSMITH_PORT: '0' }).port).toBe(0);
    for (const bad of ['0x10', '1e3', ' 3712 ', '3712 ', '+3712', '-0', '3712.0', '03712', '0b11', '0o17', ' ', '3_712', '١٢']) {
      expect(() => loadConfig({ KEYSMITH_PORT: bad }), JSON.stringify(bad)).toThrow(`KEYSMITH_PORT must be a whole number from 0 to 65535, got "${bad}"`);
    }
  });

  it('every number has an upper bound: durations stay far below what a timer can wait (no silent 1 ms interval)', () => {
    const bounds: [string, number, number][] = [
      ['KEYSMITH_LAST_USED_FLUSH_MS', 10, 3_600_000],
      ['KEYSMITH_CACHE_TTL_MS', 0, 3_600_000],
      ['KEYSMITH_TOKEN_CACHE_SIZE', 0, 10_000_000],
      ['KEYSMITH_NEGATIVE_CACHE_SIZE', 0, 10_000_000],
      ['KEYSMITH_MAX_API_KEYS_PER_OWNER', 1, 1_000_000_000],
      ['KEYSMITH_MAX_TOKENS_PER_KEY', 1, 1_000_000_000],
      ['KEYSMITH_DB_CONNECT_TIMEOUT_MS', 100, 600_000],
      ['KEYSMITH_DB_QUERY_TIMEOUT_MS', 100, 3_600_000],
      ['KEYSMITH_DB_POOL_SIZE', 1, 1_000],
      ['KEYSMITH_SHUTDOWN_TIMEOUT_MS', 100, 3_600_000],
      ['KEYSMITH_REQUEST_TIMEOUT_MS', 1_000, 3_600_000],
    ];
    for (const [name, min, max] of bounds) {
      expect(() => loadConfig({ [name]: String(max) }), name).not.toThrow();
      expect(() => loadConfig({ [name]: String(min) }), name).not.toThrow();
      for (const bad of [String(max + 1), '99999999999', ...(min > 0 ? [String(min - 1)] : [])]) {
        expect(() => loadConfig({ [name]: bad }), `${name}=${bad}`).toThrow(`${name} must be a whole number from ${min} to ${max}, got "${bad}"`);
      }
    }
    expect(loadConfig({})).toMatchObject({ lastUsedFlushMs: 5_000, cacheTtlMs: 30_000, dbConnectTimeoutMs: 10_000, dbQueryTimeoutMs: 30_000, dbPoolSize: 10, shutdownTimeoutMs: 10_000, requestTimeoutMs: 120_000 });
    expect(loadConfig({ KEYSMITH_DB_QUERY_TIMEOUT_MS: '120000' }).dbQueryTimeoutMs).toBe(120_000);
  });

  it('KEYSMITH_TRUST_PROXY: off, a number of hops (true is one), or the proxies\' addresses', () => {
    for (const off of [undefined, '', 'false', '0']) expect(loadConfig({ KEYSMITH_TRUST_PROXY: off }).trustProxy).toBe(false);
    expect(loadConfig({ KEYSMITH_TRUST_PROXY: 'true' }).trustProxy).toBe(1);
    expect(loadConfig({ KEYSMITH_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ KEYSMITH_TRUST_PROXY: '3' }).trustProxy).toBe(3);
    expect(loadConfig({ KEYSMITH_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toBe('10.0.0.0/8, 127.0.0.1');
    expect(loadConfig({ KEYSMITH_TRUST_PROXY: '99' }).trustProxy).toBe(99);
    const list = 'loopback, 192.168.0.0/255.255.0.0, fd00::/8, ::1, uniquelocal,linklocal';
    expect(loadConfig({ KEYSMITH_TRUST_PROXY: list }).trustProxy).toBe(list);
    // Never an address Fastify would read out of a number ("300" is 0.0.1.44), nor a word it ignores.
    expect(() => loadConfig({ KEYSMITH_TRUST_PROXY: '300' })).toThrow('KEYSMITH_TRUST_PROXY: a number of proxies in front must be from 1 to 99, got "300"');
    for (const [bad, entry] of [['yes', 'yes'], ['10.0.0.1, proxy.internal', 'proxy.internal'], ['10.0.0.0/33', '10.0.0.0/33'],
      ['10.0.0.0/8/8', '10.0.0.0/8/8'], ['::1/255.0.0.0', '::1/255.0.0.0'], ['10.0.0.1,', '']]) {
      expect(() => loadConfig({ KEYSMITH_TRUST_PROXY: bad }), bad).toThrow(`"${entry}" is none of these`);
    }
  });

  it('KEYSMITH_CORS_ORIGINS: origins as browsers send them; a path, "*" or a non-URL is refused, naming the entry', () => {
    expect(loadConfig({}).corsOrigins).toEqual([]);
    expect(loadConfig({ KEYSMITH_CORS_ORIGINS: ' https://app.example.com , HTTPS://Trail.Example.com:443/,http://localhost:5173' }).corsOrigins)
      .toEqual(['https://app.example.com', 'https://trail.example.com', 'http://localhost:5173']);
    for (const bad of ['*', 'https://*.example.com', 'app.example.com', 'https://app.example.com/console', 'https://app.example.com/?x=1', 'ftp://app.example.com', 'https://u:p@app.example.com', 'not a url']) {
      expect(() => loadConfig({ KEYSMITH_CORS_ORIGINS: `https://ok.example.com,${bad}` }), bad)
        .toThrow(`KEYSMITH_CORS_ORIGINS must be a comma-separated list of origins such as https://app.example.com (scheme, host and port only: no path, no "*"), got "${bad}"`);
    }
  });

  it('KEYSMITH_PUBLIC_URL: an http:// or https:// address; an https one, in any case, makes cookies Secure', () => {
    expect(secureCookies(loadConfig({ KEYSMITH_PUBLIC_URL: 'HTTPS://Keys.Example.com' }))).toBe(true);
    expect(secureCookies(loadConfig({ KEYSMITH_PUBLIC_URL: ' https://keys.example.com\t' }))).toBe(true);
    expect(secureCookies(loadConfig({ KEYSMITH_PUBLIC_URL: 'https://keys.example.com' }))).toBe(true);
    expect(secureCookies(loadConfig({ KEYSMITH_PUBLIC_URL: 'http://keys.example.com' }))).toBe(false);
    expect(secureCookies(loadConfig({}))).toBe(false);
    expect(loadConfig({ KEYSMITH_PUBLIC_URL: 'https://keys.example.com' }).publicUrl).toBe('https://keys.example.com');
    expect(loadConfig({ KEYSMITH_PUBLIC_URL: '' }).publicUrl).toBeNull();
    for (const bad of ['not a url', 'keys.example.com', 'ftp://keys.example.com']) {
      expect(() => loadConfig({ KEYSMITH_PUBLIC_URL: bad }), bad).toThrow(`KEYSMITH_PUBLIC_URL must be the http:// or https:// address users reach keysmith at, got "${bad}"`);
    }
  });

  it('DATABASE_URL: a PostgreSQL URL; another is named by its scheme, never echoed (it may hold a password)', () => {
    for (const url of ['postgres://u:p@db:5432/keysmith', 'postgresql://db/keysmith', 'POSTGRES://db/k']) expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
    expect(loadConfig({ DATABASE_URL: '' }).databaseUrl).toBeNull();
    const refused = (value: string) => { try { loadConfig({ DATABASE_URL: value }); } catch (err) { return (err as Error).message; } return null; };
    expect(refused('mysql://root:s3cret-pw@db/k')).toBe('DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/database), got a mysql: URL');
    expect(refused('garbage s3cret-pw')).toBe('DATABASE_URL must be a PostgreSQL URL (postgres://user:password@host:5432/database), got something else');
    // Malformed, as the driver reads it: said at once, the text not echoed.
    for (const bad of ['postgres://u:s3cret-pw@[db/k', 'postgres://u:s3cret-pw@db:port/k']) {
      expect(refused(bad)).toBe('DATABASE_URL is not a valid URL (postgres://user:password@host:5432/database; percent-encode special characters in the password)');
    }
    // What the driver accepts stays accepted (a socket directory; a space in the password).
    for (const url of ['postgres://u@/keysmith?host=/var/run/postgresql', 'postgres://u:p w@db/k']) expect(loadConfig({ DATABASE_URL: url }).databaseUrl).toBe(url);
  });

  it('REDIS_URL: a redis:// or rediss:// URL, never echoed', () => {
    for (const url of ['redis://127.0.0.1:6379', 'rediss://u:p@cache:6380/2']) expect(loadConfig({ REDIS_URL: url }).redisUrl).toBe(url);
    for (const bad of ['127.0.0.1:6379', 'http://u:s3cret-pw@cache', 'redis://u:s3cret-pw@[cache']) {
      expect(() => loadConfig({ REDIS_URL: bad }), bad).toThrow(/^REDIS_URL must be a redis:\/\/ or rediss:\/\/ URL/);
      try { loadConfig({ REDIS_URL: bad }); } catch (err) { expect((err as Error).message).not.toContain('s3cret-pw'); }
    }
  });

  it('KEYSMITH_ADMIN_EMAIL and KEYSMITH_ADMIN_PASSWORD: held to the rules of every other email and password', () => {
    expect(loadConfig({ KEYSMITH_ADMIN_EMAIL: ' Ops@Example.COM ', KEYSMITH_ADMIN_PASSWORD: 'eight-ch' })).toMatchObject({ adminEmail: 'ops@example.com', adminPassword: 'eight-ch' });
    expect(loadConfig({}).adminEmail).toBe('admin@keysmith.local');
    expect(() => loadConfig({ KEYSMITH_ADMIN_EMAIL: 'notanemail' })).toThrow('KEYSMITH_ADMIN_EMAIL must be a valid email address, got "notanemail"');
    expect(() => loadConfig({ KEYSMITH_ADMIN_PASSWORD: 'a' })).toThrow('KEYSMITH_ADMIN_PASSWORD must have 8 to 256 characters, got 1');
    expect(() => loadConfig({ KEYSMITH_ADMIN_PASSWORD: 'p'.repeat(257) })).toThrow(/KEYSMITH_ADMIN_PASSWORD must have 8 to 256 characters/);
  });
});
