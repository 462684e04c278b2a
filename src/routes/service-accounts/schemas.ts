// Shapes of the service-account endpoints (SPEC §3), as Harness's ServiceAccountDTO and
// ServiceAccountAggregateDTO.
import { Type } from '@sinclair/typebox';
import {
  BodyScopeFields, Description, Email, EpochMs, Identifier, Name, Nullable, PageQueryFields, ScopeQueryFields, Tags, TagsOut,
} from '../../http/schemas.js';
import { RoleAssignmentMetadata } from '../role-assignments/schemas.js';

export const ServiceAccount = Type.Object({
  identifier: Type.String(),
  name: Type.String(),
  email: Type.String(),
  description: Type.String(),
  tags: TagsOut,
  accountIdentifier: Type.String(),
  orgIdentifier: Nullable(Type.String()),
  projectIdentifier: Nullable(Type.String()),
});

export const ServiceAccountBody = Type.Object({
  identifier: Identifier,
  name: Name,
  email: Email,
  description: Type.Optional(Nullable(Description)),
  tags: Type.Optional(Nullable(Tags)),
  ...BodyScopeFields,
});

export const ServiceAccountAggregate = Type.Object({
  serviceAccount: ServiceAccount,
  createdAt: EpochMs,
  lastModifiedAt: EpochMs,
  tokensCount: Type.Integer({ description: 'How many API keys the service account has' }),
  roleAssignmentsMetadataDTO: Type.Array(RoleAssignmentMetadata),
});

export { ScopeQuery } from '../../http/schemas.js';
const Identifiers = Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 1000 }));
export const ListQuery = Type.Object({ ...ScopeQueryFields, identifiers: Identifiers });
export const AggregateQuery = Type.Object({ ...ScopeQueryFields, ...PageQueryFields, identifiers: Identifiers });
export const IdentifierParams = Type.Object({ identifier: Type.String({ minLength: 1, maxLength: 128 }) });
