// Shapes of the organization endpoints (Harness's OrganizationRequest / OrganizationResponse).
import { Type, type Static } from '@sinclair/typebox';
import {
  Description, Identifier, Name, Nullable, PageQueryFields, ScopeQueryFields, Tags, TagsOut,
} from '../../http/schemas.js';

export const OrganizationIn = Type.Object({
  /** Harness's DTO carries it; when the query names the account too, both must agree. */
  accountIdentifier: Type.Optional(Nullable(Type.String({ maxLength: 128 }))),
  identifier: Identifier,
  name: Name,
  description: Type.Optional(Nullable(Description)),
  tags: Type.Optional(Nullable(Tags)),
});
export const OrganizationRequest = Type.Object({ organization: OrganizationIn });
export type OrganizationRequest = Static<typeof OrganizationRequest>;

export const OrganizationOut = Type.Object({
  identifier: Type.String(),
  name: Type.String(),
  description: Type.String(),
  tags: TagsOut,
});
export const OrganizationResponse = Type.Object({
  organization: OrganizationOut,
  createdAt: Type.Integer(),
  lastModifiedAt: Type.Integer(),
});

export { AccountQuery } from '../../http/schemas.js';
export const OrganizationParams = Type.Object({ identifier: Type.String({ minLength: 1, maxLength: 128 }) });
export const OrganizationListQuery = Type.Object({
  accountIdentifier: ScopeQueryFields.accountIdentifier,
  identifiers: Type.Optional(Type.Array(Type.String({ maxLength: 128 }))),
  ...PageQueryFields,
});

export const ORGANIZATION_SORT_FIELDS = ['lastModifiedAt', 'createdAt', 'name', 'identifier'] as const;
