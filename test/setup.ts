// Run before every test file, in its process: password hashes made in-process use a low scrypt
// cost (src/auth/passwords.ts says why). Servers the tests spawn keep the real cost, and
// test/server/process.test.ts checks it.
import { lowerPasswordHashCostForTests } from '../src/auth/passwords.js';

lowerPasswordHashCostForTests();
