// Shapes of the role-assignment endpoints (SPEC §3): Harness's RoleAssignmentDTO and
// RoleAssignmentResponseDTO.
import { Type } from '@sinclair/typebox';
import { EpochMs, Identifier, Nullable, PageQueryFields, ScopeOut, ScopeQueryFields } from '../../http/schemas.js';

const PrincipalType = Type.Union([Type.Literal('USER'), Type.Literal('USER_GROUP'), Type.Literal('SERVICE_ACCOUNT')]);
const ScopeLevel = Type.Union([Type.Literal('account'), Type.Literal('organization'), Type.Literal('project')]);

export const RoleAssignment = Type.Object({
  identifier: Type.String(),
  resourceGroupIdentifier: Type.String(),
  roleIdentifier: Type.String(),
  principal: Type.Object({ identifier: Type.String(), type: Type.String(), scopeLevel: Nullable(Type.String()) }),
  disabled: Type.Boolean(),
  managed: Type.Boolean(),
});

/** A principal's assignment as user and service-account aggregates show it. */
export const RoleAssignmentMetadata = Type.Object({
  identifier: Type.String(),
  roleIdentifier: Type.String(),
  roleName: Type.String(),
  resourceGroupIdentifier: Type.String(),
  resourceGroupName: Type.String(),
  managedRole: Type.Boolean(),
  managedRoleAssignment: Type.Boolean(),
});

export const RoleAssignmentResponse = Type.Object({
  roleAssignment: RoleAssignment,
  scope: ScopeOut,
  harnessManaged: Type.Boolean(),
  createdAt: EpochMs,
  lastModifiedAt: EpochMs,
});

export const RoleAssignmentBody = Type.Object({
  identifier: Type.Optional(Nullable(Identifier)),
  resourceGroupIdentifier: Type.String({ minLength: 1, maxLength: 128 }),
  roleIdentifier: Type.String({ minLength: 1, maxLength: 128 }),
  principal: Type.Object({
    identifier: Type.String({ minLength: 1, maxLength: 128 }),
    type: PrincipalType,
    scopeLevel: Type.Optional(Nullable(ScopeLevel)),
  }),
  disabled: Type.Optional(Nullable(Type.Boolean())),
});

export { ScopeQuery } from '../../http/schemas.js';
export const ListQuery = Type.Object({
  ...ScopeQueryFields, ...PageQueryFields,
  principalType: Type.Optional(PrincipalType),
  principalIdentifier: Type.Optional(Type.String({ maxLength: 128 })),
  roleIdentifier: Type.Optional(Type.String({ maxLength: 128 })),
  resourceGroupIdentifier: Type.Optional(Type.String({ maxLength: 128 })),
});
export const IdentifierParams = Type.Object({ identifier: Type.String({ minLength: 1, maxLength: 128 }) });
