// Password hashes (src/auth/passwords.ts) name their own scrypt cost: one made at the full cost a
// server uses verifies as well as the suite's cheaper ones (test/setup.ts), and nothing else does.
import { randomBytes, scryptSync } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { hashPassword, PASSWORD_HASH_COST, verifyPassword } from '../../src/auth/passwords.js';

describe('password hashes', () => {
  it('verifies a hash made at the full cost, reading the cost from the hash', async () => {
    const { N, r, p } = PASSWORD_HASH_COST;
    expect(N).toBeGreaterThanOrEqual(32768);
    const salt = randomBytes(16);
    const key = scryptSync('correct horse', salt, 32, { N, r, p, maxmem: 64 * 1024 * 1024 });
    const stored = `scrypt$${N}$${r}$${p}$${salt.toString('base64')}$${key.toString('base64')}`;
    expect(await verifyPassword('correct horse', stored)).toBe(true);
    expect(await verifyPassword('correct horsf', stored)).toBe(false);
  });

  it('makes salted hashes that name their cost and verify only the password they were made from', async () => {
    const [a, b] = await Promise.all([hashPassword('battery staple'), hashPassword('battery staple')]);
    expect(a).toMatch(/^scrypt\$\d+\$8\$1\$[A-Za-z0-9+/]{22}==\$[A-Za-z0-9+/]{43}=$/);
    expect(a).not.toBe(b);
    expect(await verifyPassword('battery staple', a)).toBe(true);
    expect(await verifyPassword('battery stapl', a)).toBe(false);
    expect(await verifyPassword('battery staple', 'bcrypt$whatever')).toBe(false);
  });
});
