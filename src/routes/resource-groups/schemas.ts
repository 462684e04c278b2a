// Shapes of the resource-group endpoints (SPEC §3): Harness's ResourceGroupV2DTO, its request
// wrapper and ResourceGroupV2Response.
import { Type } from '@sinclair/typebox';
import {
  BodyScopeFields, Description, EpochMs, Identifier, Name, Nullable, PageQueryFields, ScopeQueryFields, Tags, TagsOut,
} from '../../http/schemas.js';

const Filter = Type.Union([Type.Literal('EXCLUDING_CHILD_SCOPES'), Type.Literal('INCLUDING_CHILD_SCOPES')]);

const ScopeSelectorOut = Type.Object({
  filter: Type.String(),
  accountIdentifier: Type.String(),
  orgIdentifier: Nullable(Type.String()),
  projectIdentifier: Nullable(Type.String()),
});

const ResourceSelectorOut = Type.Object({
  resourceType: Type.String(),
  identifiers: Nullable(Type.Array(Type.String())),
});

export const ResourceGroup = Type.Object({
  accountIdentifier: Type.String(),
  orgIdentifier: Nullable(Type.String()),
  projectIdentifier: Nullable(Type.String()),
  identifier: Type.String(),
  name: Type.String(),
  color: Type.String(),
  tags: TagsOut,
  description: Type.String(),
  allowedScopeLevels: Type.Array(Type.String()),
  includedScopes: Type.Array(ScopeSelectorOut),
  resourceFilter: Type.Object({ includeAllResources: Type.Boolean(), resources: Type.Array(ResourceSelectorOut) }),
});

export const ResourceGroupResponse = Type.Object({
  resourceGroup: ResourceGroup,
  createdAt: Nullable(EpochMs),
  lastModifiedAt: Nullable(EpochMs),
  harnessManaged: Type.Boolean(),
});

const ScopeSelectorIn = Type.Object({
  filter: Filter,
  accountIdentifier: Type.Optional(Nullable(Type.String({ maxLength: 128 }))),
  orgIdentifier: Type.Optional(Nullable(Type.String({ maxLength: 128 }))),
  projectIdentifier: Type.Optional(Nullable(Type.String({ maxLength: 128 }))),
});

const ResourceSelectorIn = Type.Object({
  // A plain string: an unknown type is a business-rule 400 (INVALID_ARGUMENT) naming it.
  resourceType: Type.String({ minLength: 1, maxLength: 64 }),
  identifiers: Type.Optional(Nullable(Type.Array(Type.String({ minLength: 1, maxLength: 128 }), { maxItems: 1000 }))),
});

export const ResourceGroupBody = Type.Object({
  resourceGroup: Type.Object({
    identifier: Identifier,
    name: Name,
    description: Type.Optional(Nullable(Description)),
    tags: Type.Optional(Nullable(Tags)),
    color: Type.Optional(Nullable(Type.String({ maxLength: 32 }))),
    includedScopes: Type.Optional(Nullable(Type.Array(ScopeSelectorIn, { maxItems: 200 }))),
    resourceFilter: Type.Optional(Nullable(Type.Object({
      includeAllResources: Type.Optional(Nullable(Type.Boolean())),
      resources: Type.Optional(Nullable(Type.Array(ResourceSelectorIn, { maxItems: 100 }))),
    }))),
    ...BodyScopeFields,
  }),
});

export { ScopeQuery } from '../../http/schemas.js';
export const ListQuery = Type.Object({ ...ScopeQueryFields, ...PageQueryFields });
export const IdentifierParams = Type.Object({ identifier: Type.String({ minLength: 1, maxLength: 128 }) });
