// Assertions of the conformance suite: what a Harness-style client checks on every answer, taken
// from SPEC §2 word for word — the exact key sets of the envelopes, the content type, the status.
import { expect } from 'vitest';
import type { Response } from '../helpers/harness.js';

export const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
export const DAY = 86_400_000;
export const THIRTY_DAYS = 2_592_000_000;

export const sortedKeys = (o: object) => Object.keys(o).sort();

/** `Content-Type: application/json` (a charset parameter is fine). */
export function expectJson(res: Response): void {
  expect(res.headers['content-type'], `${res.status} ${res.text}`).toMatch(/^application\/json(;|$)/);
}

/** The success envelope, exactly: status, data, metaData:null, correlationId — nothing else. */
export function expectSuccess(res: Response): any {
  expect(res.status, res.text).toBe(200);
  expectJson(res);
  expect(sortedKeys(res.body)).toEqual(['correlationId', 'data', 'metaData', 'status']);
  expect(res.body.status).toBe('SUCCESS');
  expect(res.body.metaData).toBeNull();
  expect(typeof res.body.correlationId).toBe('string');
  expect(res.body.correlationId.length).toBeGreaterThan(0);
  // The raw text carries the null too: nulls are serialized, never dropped.
  expect(res.text).toContain('"metaData":null');
  return res.body.data;
}

/** An ErrorDTO, exactly (failedPermissionChecks only on NG_ACCESS_DENIED). */
export function expectErrorDto(res: Response, status: number, code: string, message?: string | RegExp): void {
  expect(res.status, res.text).toBe(status);
  expectJson(res);
  const keys = ['code', 'correlationId', 'detailedMessage', 'message', 'responseMessages', 'status'];
  if (code === 'NG_ACCESS_DENIED') keys.push('failedPermissionChecks');
  expect(sortedKeys(res.body)).toEqual(keys.sort());
  expect(res.body.status).toBe('ERROR');
  expect(res.body.code).toBe(code);
  expect(res.body.detailedMessage).toBeNull();
  expect(res.text).toContain('"detailedMessage":null');
  expect(typeof res.body.correlationId).toBe('string');
  expect(res.body.responseMessages).toEqual([{ code, level: 'ERROR', message: res.body.message }]);
  if (typeof message === 'string') expect(res.body.message).toBe(message);
  else if (message) expect(res.body.message).toMatch(message);
}

/**
 * A FailureDTO, exactly: status FAILURE, code INVALID_REQUEST, message `<field>: <msg>, ...` built from
 * errors[{fieldId, error}], with the given fields among the errors.
 */
export function expectFailureDto(res: Response, ...fieldIds: string[]): { fieldId: string; error: string }[] {
  expect(res.status, res.text).toBe(400);
  expectJson(res);
  expect(sortedKeys(res.body)).toEqual(['code', 'correlationId', 'errors', 'message', 'status']);
  expect(res.body.status).toBe('FAILURE');
  expect(res.body.code).toBe('INVALID_REQUEST');
  const errors = res.body.errors as { fieldId: string; error: string }[];
  expect(errors.length).toBeGreaterThan(0);
  for (const e of errors) {
    expect(sortedKeys(e)).toEqual(['error', 'fieldId']);
    expect(typeof e.fieldId).toBe('string');
    expect(typeof e.error).toBe('string');
  }
  expect(res.body.message).toBe(errors.map((e) => `${e.fieldId}: ${e.error}`).join(', '));
  const fields = errors.map((e) => e.fieldId);
  for (const f of fieldIds) expect(fields, res.text).toContain(f);
  return errors;
}

/** The page payload, exactly. */
export function expectPage(data: any): void {
  expect(sortedKeys(data)).toEqual(['content', 'empty', 'pageIndex', 'pageItemCount', 'pageSize', 'totalItems', 'totalPages']);
  expect(Array.isArray(data.content)).toBe(true);
  expect(data.pageItemCount).toBe(data.content.length);
  expect(data.empty).toBe(data.content.length === 0);
  expect(data.totalPages).toBe(Math.ceil(data.totalItems / data.pageSize));
}

export const API_KEY_FIELDS = [
  'accountIdentifier', 'apiKeyType', 'defaultTimeToExpireToken', 'description', 'identifier', 'name', 'orgIdentifier',
  'parentIdentifier', 'projectIdentifier', 'rateLimitQps', 'tags',
].sort();
export const TOKEN_FIELDS = [
  'accountIdentifier', 'apiKeyIdentifier', 'apiKeyType', 'description', 'email', 'identifier', 'name', 'orgIdentifier',
  'parentIdentifier', 'projectIdentifier', 'scheduledExpireTime', 'tags', 'username', 'valid', 'validFrom', 'validTo',
].sort();
export const TOKEN_AGGREGATE_FIELDS = ['createdAt', 'expiryAt', 'lastModifiedAt', 'lastUsedAt', 'token'].sort();
export const API_KEY_AGGREGATE_FIELDS = ['apiKey', 'createdAt', 'lastModifiedAt', 'tokensCount'].sort();
export const SERVICE_ACCOUNT_FIELDS = [
  'accountIdentifier', 'description', 'email', 'identifier', 'name', 'orgIdentifier', 'projectIdentifier', 'tags',
].sort();
export const SERVICE_ACCOUNT_AGGREGATE_FIELDS = ['createdAt', 'lastModifiedAt', 'roleAssignmentsMetadataDTO', 'serviceAccount', 'tokensCount'].sort();
export const ROLE_ASSIGNMENT_METADATA_FIELDS = [
  'identifier', 'managedRole', 'managedRoleAssignment', 'resourceGroupIdentifier', 'resourceGroupName', 'roleIdentifier', 'roleName',
].sort();
export const USER_INFO_FIELDS = ['accounts', 'admin', 'defaultAccountId', 'disabled', 'email', 'name', 'uuid'].sort();

/** The public secret-scanning rule for Harness tokens (SPEC §4), anchored. */
export const SCANNER_RE = /^(?:pat|sat)\.[a-zA-Z0-9]{22}\.[a-zA-Z0-9]{24}\.[a-zA-Z0-9]{20}$/;
