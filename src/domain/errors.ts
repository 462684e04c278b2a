// Every error keysmith answers with: the Harness error codes, their HTTP statuses, and the exact
// messages clients match on. Routes throw these; the HTTP layer turns them into the envelope.

export const ErrorCode = {
  INVALID_REQUEST: 400,
  INVALID_ARGUMENT: 400,
  DUPLICATE_FIELD: 400,
  ENTITY_NOT_FOUND: 404,
  RESOURCE_NOT_FOUND_EXCEPTION: 404,
  UNAUTHORIZED: 401,
  ACCESS_DENIED: 403,
  TOO_MANY_REQUESTS: 429,
  INVALID_TOKEN: 401,
  EXPIRED_TOKEN: 401,
  NG_ACCESS_DENIED: 403,
  UNKNOWN_ERROR: 500,
} as const;
export type ErrorCode = keyof typeof ErrorCode;

export interface FailedPermissionCheck {
  resourceScope: { accountIdentifier: string; orgIdentifier: string | null; projectIdentifier: string | null };
  resourceType: string;
  resourceIdentifier: string | null;
  permission: string;
}

export class KeysmithError extends Error {
  readonly code: ErrorCode;
  readonly httpStatus: number;
  failedPermissionChecks?: FailedPermissionCheck[];
  headers?: Record<string, string>;

  constructor(code: ErrorCode, message: string, httpStatus: number = ErrorCode[code]) {
    super(message);
    this.name = 'KeysmithError';
    this.code = code;
    this.httpStatus = httpStatus;
  }
}

export const Messages = {
  authenticationRequired: 'Authentication required',
  invalidLogin: 'Invalid email or password',
  invalidToken: 'Token is not valid.',
  expiredToken: 'Token expired.',
  csrf: 'Missing or invalid X-CSRF-Token header',
  maximumLimit: 'Maximum limit has reached',
  rotatedTokensCannotBeUpdated: 'Rotated tokens cannot be updated',
  needParentIdentifier: 'Need to pass parentIdentifier along with apikeyIdentifier to list the tokens.',
  bodyTooLarge: 'Request body too large',
  pageSizeTooLarge: 'pageSize must be at most 100',
  tooManyLoginAttempts: 'Too many login attempts, try again later',
  duplicateApiKey: (id: string) => `Try using different Key name, [${id}] already exists`,
  duplicateToken: (id: string) => `Try using different token name, [${id}] already exists`,
  duplicateServiceAccount: (id: string) =>
    `A service account with identifier ${id} is already present or was deleted in scope`,
  valueMismatch: (previous: string | null, current: string | null) =>
    `Invalid request: Value mismatch, previous: ${previous} current: ${current}`,
} as const;

export const invalidRequest = (message: string) => new KeysmithError('INVALID_REQUEST', message);
export const invalidArgument = (message: string) => new KeysmithError('INVALID_ARGUMENT', message);
export const duplicateField = (message: string) => new KeysmithError('DUPLICATE_FIELD', message);
export const entityNotFound = (message: string) => new KeysmithError('ENTITY_NOT_FOUND', message);
export const unauthorized = (message: string = Messages.authenticationRequired) =>
  new KeysmithError('UNAUTHORIZED', message);
export const invalidToken = () => new KeysmithError('INVALID_TOKEN', Messages.invalidToken);
export const expiredToken = () => new KeysmithError('EXPIRED_TOKEN', Messages.expiredToken);

export function tooManyRequests(message: string, retryAfterSeconds: number): KeysmithError {
  const error = new KeysmithError('TOO_MANY_REQUESTS', message);
  error.headers = { 'retry-after': String(Math.max(1, Math.ceil(retryAfterSeconds))) };
  return error;
}

export function accessDenied(message: string, checks: FailedPermissionCheck[]): KeysmithError {
  const error = new KeysmithError('NG_ACCESS_DENIED', message);
  error.failedPermissionChecks = checks;
  return error;
}
