// The console's words for a refusal (web/src/api/errors.ts): Harness answers both creation limits
// with the same "Maximum limit has reached", so the dialog that knows which one it could reach says so;
// a duplicate is put no further than the server's words, since what to change depends on the form.
import { describe, expect, it } from 'vitest';
import { ApiError, describeError, isDuplicate } from '../../web/src/api/errors.js';

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

  it('says a duplicate in the server\'s words only: what to change is for the form to say (an Id field, or none)', () => {
    const sameAssignment = new ApiError(400, { status: 'ERROR', code: 'DUPLICATE_FIELD',
      message: 'A role assignment with the same principal, role and resource group is already present: role_assignment_18Pw' } as never);
    expect(describeError(sameAssignment)).toBe('A role assignment with the same principal, role and resource group is already present: role_assignment_18Pw.');
    expect(describeError(sameAssignment)).not.toMatch(/Choose another Id/);
    expect(isDuplicate(sameAssignment)).toBe(true);
    expect(isDuplicate(limitReached)).toBe(false);
    expect(isDuplicate(new Error('DUPLICATE_FIELD'))).toBe(false);
  });
});
