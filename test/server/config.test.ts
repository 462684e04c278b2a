// The server's configuration from the environment: a value it cannot use stops the start with a
// message naming the variable, rather than misbehaving later.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';

describe('loadConfig', () => {
  it('KEYSMITH_API_KEY_QPS: from 0.001 (one request per 1,000 s) to a million; empty is the default', () => {
    expect(loadConfig({ KEYSMITH_API_KEY_QPS: '0.001' }).apiKeyQps).toBe(0.001);
    expect(loadConfig({ KEYSMITH_API_KEY_QPS: '250' }).apiKeyQps).toBe(250);
    expect(loadConfig({ KEYSMITH_API_KEY_QPS: '' }).apiKeyQps).toBeNull();
    for (const bad of ['0', '-1', '1e-300', '2000000', 'fast', 'Infinity']) {
      expect(() => loadConfig({ KEYSMITH_API_KEY_QPS: bad }), bad).toThrow(/KEYSMITH_API_KEY_QPS must be a number from 0.001 to 1000000/);
    }
  });

  it('refuses what it cannot use, naming the variable: a port, a session length, limits, a log level', () => {
    const cases: [string, string, RegExp][] = [
      ['KEYSMITH_PORT', '99999', /KEYSMITH_PORT must be a whole number from 0 to 65535, got "99999"/],
      ['KEYSMITH_SESSION_TTL_HOURS', '0', /KEYSMITH_SESSION_TTL_HOURS must be a whole number from 1 to 8760, got "0"/],
      ['KEYSMITH_SESSION_TTL_HOURS', '0.5', /KEYSMITH_SESSION_TTL_HOURS must be a whole number from 1 to 8760/],
      ['KEYSMITH_MAX_API_KEYS_PER_OWNER', '0', /KEYSMITH_MAX_API_KEYS_PER_OWNER must be a whole number, at least 1/],
      ['KEYSMITH_MAX_TOKENS_PER_KEY', '0', /KEYSMITH_MAX_TOKENS_PER_KEY must be a whole number, at least 1/],
      ['KEYSMITH_TOKEN_CACHE_SIZE', '-1', /KEYSMITH_TOKEN_CACHE_SIZE must be a non-negative integer, got "-1"/],
      ['KEYSMITH_LOG_LEVEL', 'bogus', /KEYSMITH_LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent, got "bogus"/],
    ];
    for (const [name, value, message] of cases) expect(() => loadConfig({ [name]: value }), `${name}=${value}`).toThrow(message);
    expect(loadConfig({ KEYSMITH_PORT: '0', KEYSMITH_SESSION_TTL_HOURS: '1', KEYSMITH_LOG_LEVEL: 'debug' }))
      .toMatchObject({ port: 0, sessionTtlMs: 3_600_000, logLevel: 'debug' });
  });

  it('KEYSMITH_TRUST_PROXY: off, a number of hops (true is one), or the proxies\' addresses', () => {
    for (const off of [undefined, '', 'false', '0']) expect(loadConfig({ KEYSMITH_TRUST_PROXY: off }).trustProxy).toBe(false);
    expect(loadConfig({ KEYSMITH_TRUST_PROXY: 'true' }).trustProxy).toBe(1);
    expect(loadConfig({ KEYSMITH_TRUST_PROXY: '1' }).trustProxy).toBe(1);
    expect(loadConfig({ KEYSMITH_TRUST_PROXY: '3' }).trustProxy).toBe(3);
    expect(loadConfig({ KEYSMITH_TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).trustProxy).toBe('10.0.0.0/8, 127.0.0.1');
  });
});
