// Shapes of the role endpoints (SPEC §3): Harness's RoleDTO and RoleResponseDTO.
import { Type } from '@sinclair/typebox';
import { Description, EpochMs, Identifier, Name, Nullable, PageQueryFields, ScopeOut, ScopeQueryFields, Tags, TagsOut } from '../../http/schemas.js';

export const ScopeLevel = Type.Union([Type.Literal('account'), Type.Literal('organization'), Type.Literal('project')]);

export const Role = Type.Object({
  identifier: Type.String(),
  name: Type.String(),
  permissions: Type.Array(Type.String()),
  allowedScopeLevels: Type.Array(Type.String()),
  description: Type.String(),
  tags: TagsOut,
});

export const RoleResponse = Type.Object({
  role: Role,
  scope: Nullable(ScopeOut),
  harnessManaged: Type.Boolean(),
  createdAt: Nullable(EpochMs),
  lastModifiedAt: Nullable(EpochMs),
});

export const RoleBody = Type.Object({
  identifier: Identifier,
  name: Name,
  // Plain strings: an unknown permission is a business-rule 400 (INVALID_ARGUMENT) naming it.
  permissions: Type.Optional(Nullable(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 500 }))),
  allowedScopeLevels: Type.Optional(Nullable(Type.Array(ScopeLevel, { maxItems: 3 }))),
  description: Type.Optional(Nullable(Description)),
  tags: Type.Optional(Nullable(Tags)),
});

export { ScopeQuery } from '../../http/schemas.js';
export const ListQuery = Type.Object({
  ...ScopeQueryFields, ...PageQueryFields,
  managedFilter: Type.Optional(Type.Union([Type.Literal('NO_FILTER'), Type.Literal('ONLY_CUSTOM'), Type.Literal('ONLY_MANAGED')])),
});
export const IdentifierParams = Type.Object({ identifier: Type.String({ minLength: 1, maxLength: 128 }) });
