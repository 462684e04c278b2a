// The console's words for a refusal (web/src/api/errors.ts): Harness answers both creation limits
// with the same "Maximum limit has reached", so the dialog that knows which one it could reach says so.
import { describe, expect, it } from 'vitest';
import { ApiError, describeError } from '../../web/src/api/errors.js';

const limitReached = new ApiError(400, { status: 'ERROR', code: 'INVALID_REQUEST', message: 'Maximum limit has reached' } as never);

describe('describeError', () => {
  it('names the limit a creation reached when the caller knows it, both otherwise', () => {
    expect(describeError(limitReached, 'apiKeys')).toMatch(/^The limit has been reached: this owner already has as many API keys in this scope as allowed\. Delete one first/);
    expect(describeError(limitReached, 'tokens')).toMatch(/^The limit has been reached: this API key already has as many tokens as allowed\. Delete one first/);
    expect(describeError(limitReached)).toMatch(/too many API keys for this owner, or too many tokens for this API key/);
  });

  it('ignores the limit for any other refusal', () => {
    const other = new ApiError(400, { status: 'ERROR', code: 'INVALID_REQUEST', message: 'Rotated tokens cannot be updated' } as never);
    expect(describeError(other, 'tokens')).toBe(describeError(other));
    expect(describeError(other)).toMatch(/was rotated/);
  });
});
