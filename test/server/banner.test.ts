// The start-up banner: URLs as a browser takes them (IPv6 in brackets), the address bound beside
// KEYSMITH_PUBLIC_URL, and the store named without a password.
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../src/config.js';
import { bannerText, httpUrl, localUrl, type BannerFacts } from '../../src/server/banner.js';
import { storeDescription } from '../../src/server/configured-store.js';

const boot = { created: false, adminEmail: 'admin@keysmith.local', passwordFile: null, stalePasswordFile: null, keptPasswordFile: null };
const facts = (over: Partial<BannerFacts>): BannerFacts => ({
  url: 'http://localhost:3000', bound: null, storage: 'SQLite /srv/data/keysmith.db', redis: null, boot, adminPasswordFromEnv: false, ...over,
});

describe('start-up banner', () => {
  it('writes IPv6 addresses in brackets, and a wildcard address as localhost', () => {
    expect(localUrl('::1', 3719)).toBe('http://[::1]:3719');
    expect(localUrl('fe80::1%eth0', 3719)).toBe('http://[fe80::1%25eth0]:3719');
    expect(localUrl('127.0.0.1', 3719)).toBe('http://127.0.0.1:3719');
    expect(localUrl('keys.internal', 80)).toBe('http://keys.internal:80');
    expect(localUrl('0.0.0.0', 3000)).toBe('http://localhost:3000');
    expect(localUrl('::', 3000)).toBe('http://localhost:3000');
    expect(httpUrl('::', 3000)).toBe('http://[::]:3000');
    expect(bannerText(facts({ url: localUrl('::1', 3719) }))).toContain('  keysmith is running at http://[::1]:3719\n');
  });

  it('with KEYSMITH_PUBLIC_URL, also names the address actually bound', () => {
    const text = bannerText(facts({ url: 'https://keys.example.com', bound: { address: '::', port: 3719 } }));
    expect(text).toContain('  keysmith is running at https://keys.example.com\n  listening on http://[::]:3719\n');
    const ipv4 = bannerText(facts({ url: 'https://keys.example.com', bound: { address: '10.0.0.5', port: 8080 } }));
    expect(ipv4).toContain('  listening on http://10.0.0.5:8080\n');
    expect(bannerText(facts({}))).not.toContain('listening on');
  });

  it('names PostgreSQL by host and database, never its user or password', () => {
    const config = loadConfig({ DATABASE_URL: 'postgres://keysmith:s3cret-pw@db.internal:6543/keys' });
    expect(storeDescription(config)).toBe('PostgreSQL at db.internal:6543/keys');
    const text = bannerText(facts({ storage: storeDescription(config) }));
    expect(text).toContain('  storage: PostgreSQL at db.internal:6543/keys\n');
    expect(text).not.toContain('s3cret-pw');
    expect(storeDescription(loadConfig({ KEYSMITH_DATA_DIR: '/srv/keysmith' }))).toBe('SQLite /srv/keysmith/keysmith.db');
  });
});
