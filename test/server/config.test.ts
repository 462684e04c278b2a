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
});
