// Shapes of the user-group endpoints (SPEC §3): Harness's UserGroupDTO, plus keysmith's
// `serviceAccounts` members.
import { Type } from '@sinclair/typebox';
import {
  BodyScopeFields, Description, EpochMs, Identifier, Name, Nullable, PageQueryFields, ScopeQueryFields, Tags, TagsOut,
} from '../../http/schemas.js';

export const UserGroup = Type.Object({
  accountIdentifier: Type.String(),
  orgIdentifier: Nullable(Type.String()),
  projectIdentifier: Nullable(Type.String()),
  identifier: Type.String(),
  name: Type.String(),
  description: Type.String(),
  tags: TagsOut,
  users: Type.Array(Type.String()),
  serviceAccounts: Type.Array(Type.String()),
  harnessManaged: Type.Boolean(),
  externallyManaged: Type.Boolean(),
  ssoLinked: Type.Boolean(),
  createdAt: EpochMs,
  lastModifiedAt: EpochMs,
});

const Members = Type.Optional(Nullable(Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 1000 })));

export const UserGroupBody = Type.Object({
  identifier: Identifier,
  name: Name,
  description: Type.Optional(Nullable(Description)),
  tags: Type.Optional(Nullable(Tags)),
  users: Members,
  serviceAccounts: Members,
  ...BodyScopeFields,
});

export { ScopeQuery } from '../../http/schemas.js';
export const ListQuery = Type.Object({ ...ScopeQueryFields, ...PageQueryFields });
export const IdentifierParams = Type.Object({ identifier: Type.String({ minLength: 1, maxLength: 128 }) });
