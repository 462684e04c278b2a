// KeysmithError: the client-facing errors carry code, status and message, and no stack (capturing
// one was most of what an answer to a bad token cost), without touching anyone else's stacks.
import { describe, expect, it } from 'vitest';
import { invalidToken, KeysmithError } from '../../src/domain/errors.js';

describe('KeysmithError', () => {
  it('carries the code, the status and the message, and no stack frames', () => {
    const error = invalidToken();
    expect(error).toBeInstanceOf(KeysmithError);
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ code: 'INVALID_TOKEN', httpStatus: 401, message: 'Token is not valid.', name: 'KeysmithError' });
    expect(error.stack).not.toMatch(/\n\s+at /);
    expect(new KeysmithError('ENTITY_NOT_FOUND', 'gone', 410).httpStatus).toBe(410);
  });

  it('leaves Error.stackTraceLimit as it found it, so other errors keep their stacks', () => {
    const before = Error.stackTraceLimit;
    void new KeysmithError('INVALID_REQUEST', 'x');
    expect(Error.stackTraceLimit).toBe(before);
    expect(new Error('other').stack).toMatch(/\n\s+at /);
  });
});
