// Shapes of Harness's access check (POST /authz/api/acl): AccessCheckRequestDTO in,
// AccessCheckResponseDTO out.
import { Type } from '@sinclair/typebox';
import { Nullable } from '../../http/schemas.js';

/** Harness takes up to this many checks in one request. */
export const MAX_PERMISSION_CHECKS = 1000;

const Text = Type.String({ maxLength: 128 });

export const ResourceScope = Type.Object({
  accountIdentifier: Type.String({ minLength: 1, maxLength: 128 }),
  orgIdentifier: Type.Optional(Nullable(Text)),
  projectIdentifier: Type.Optional(Nullable(Text)),
});

export const PermissionCheck = Type.Object({
  resourceScope: ResourceScope,
  resourceType: Type.String({ minLength: 1, maxLength: 64 }),
  resourceIdentifier: Type.Optional(Nullable(Text)),
  permission: Type.String({ minLength: 1, maxLength: 128 }),
});

export const AclPrincipal = Type.Object({
  principalIdentifier: Type.String({ maxLength: 128 }),
  principalType: Type.Optional(Nullable(Type.String({ maxLength: 64 }))),
});

export const AccessCheckRequest = Type.Object({
  permissions: Type.Optional(Nullable(Type.Array(PermissionCheck, { maxItems: MAX_PERMISSION_CHECKS }))),
  principal: Type.Optional(Nullable(AclPrincipal)),
});

export const AccessControl = Type.Object({
  permission: Type.String(),
  resourceScope: Type.Object({
    accountIdentifier: Type.String(),
    orgIdentifier: Nullable(Type.String()),
    projectIdentifier: Nullable(Type.String()),
  }),
  resourceType: Type.String(),
  resourceIdentifier: Nullable(Type.String()),
  /** Harness's checks by attributes instead of identifier; keysmith has none, so always null. */
  resourceAttributes: Type.Null(),
  permitted: Type.Boolean(),
});

export const AccessCheckResponse = Type.Object({
  principal: Type.Object({ principalIdentifier: Type.String(), principalType: Type.String() }),
  accessControlList: Type.Array(AccessControl),
});
