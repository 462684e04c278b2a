// Assertions on the Harness error envelope that every route test makes.
import { expect } from 'vitest';
import type { Response } from './harness.js';

/** An ErrorDTO with this status and code (and message, when given). */
export function expectError(res: Response, status: number, code: string, message?: string | RegExp): void {
  expect(res.status, res.text).toBe(status);
  expect(res.headers['content-type']).toMatch(/application\/json/);
  expect(res.body).toMatchObject({ status: 'ERROR', code, detailedMessage: null });
  expect(res.body.responseMessages[0]).toMatchObject({ code, level: 'ERROR' });
  if (typeof message === 'string') expect(res.body.message).toBe(message);
  else if (message) expect(res.body.message).toMatch(message);
}

/** A schema-validation FailureDTO naming these fields. */
export function expectFailure(res: Response, ...fieldIds: string[]): void {
  expect(res.status, res.text).toBe(400);
  expect(res.body).toMatchObject({ status: 'FAILURE', code: 'INVALID_REQUEST' });
  const fields = (res.body.errors as { fieldId: string }[]).map((e) => e.fieldId);
  for (const f of fieldIds) expect(fields).toContain(f);
}

export const expectUnauthenticated = (res: Response) => expectError(res, 401, 'UNAUTHORIZED', 'Authentication required');

/** 403 NG_ACCESS_DENIED for this permission (and resource identifier, when given). */
export function expectDenied(res: Response, permission: string, resourceIdentifier?: string | null): void {
  expectError(res, 403, 'NG_ACCESS_DENIED');
  expect(res.body.message).toContain(`Missing permission ${permission}`);
  expect(res.body.failedPermissionChecks[0].permission).toBe(permission);
  if (resourceIdentifier !== undefined) expect(res.body.failedPermissionChecks[0].resourceIdentifier).toBe(resourceIdentifier);
}

/**
 * The existence-leak rule: a caller without permission gets the same answer for an existing and a
 * missing resource, apart from the identifier it asked about and the correlation id.
 */
export function expectSameDenial(existing: Response, missing: Response, existingId: string, missingId: string): void {
  expect(existing.status).toBe(403);
  expect(missing.status).toBe(403);
  const normalize = (r: Response, id: string) =>
    JSON.parse(JSON.stringify({ ...r.body, correlationId: null }).split(id).join('<id>'));
  expect(normalize(existing, existingId)).toEqual(normalize(missing, missingId));
}

/**
 * SPEC §2: a cookie user asking about another account gets 403 NG_ACCESS_DENIED on that account,
 * whatever it asks (lists included), before anything is looked up — so no data at all.
 */
export function expectOtherAccountDenied(res: Response, accountIdentifier: string): void {
  expectDenied(res, 'core_account_view', accountIdentifier);
  expect(res.body.failedPermissionChecks).toEqual([{
    resourceScope: { accountIdentifier, orgIdentifier: null, projectIdentifier: null },
    resourceType: 'ACCOUNT', resourceIdentifier: accountIdentifier, permission: 'core_account_view',
  }]);
  expect(res.body.data).toBeUndefined();
}
