// Shapes of the API-key endpoints (Harness's ApiKeyDTO and ApiKeyAggregateDTO, plus keysmith's
// `rateLimitQps`).
import { Type, type Static } from '@sinclair/typebox';
import {
  BodyScopeFields, Description, Identifier, MAX_EPOCH_MS, Name, Nullable, PageQueryFields, ScopeQueryFields, Tags, TagsOut,
} from '../../http/schemas.js';
import { MAX_QPS, MIN_QPS } from '../../domain/validation.js';

export const ApiKeyTypeSchema = Type.Unsafe<'USER' | 'SERVICE_ACCOUNT'>({
  type: 'string', enum: ['USER', 'SERVICE_ACCOUNT'], description: 'USER (personal) or SERVICE_ACCOUNT',
});
export const ParentIdentifier = Type.String({ minLength: 1, maxLength: 128, description: "The owner: a user's id or a service account's identifier" });
/** From one request per 1,000 seconds to a million per second. */
export const RateLimitQps = Type.Number({ minimum: MIN_QPS, maximum: MAX_QPS, description: 'Requests per second for this key (keysmith): at least 0.001' });

export const ApiKeyBody = Type.Object({
  identifier: Identifier,
  name: Name,
  description: Type.Optional(Nullable(Description)),
  tags: Type.Optional(Nullable(Tags)),
  ...BodyScopeFields,
  apiKeyType: ApiKeyTypeSchema,
  parentIdentifier: ParentIdentifier,
  defaultTimeToExpireToken: Type.Optional(Nullable(Type.Integer({ minimum: 1, maximum: MAX_EPOCH_MS, description: 'Default token lifetime (ms)' }))),
  rateLimitQps: Type.Optional(Nullable(RateLimitQps)),
});
export type ApiKeyBody = Static<typeof ApiKeyBody>;

export const ApiKeyOut = Type.Object({
  identifier: Type.String(),
  name: Type.String(),
  description: Type.String(),
  tags: TagsOut,
  accountIdentifier: Type.String(),
  orgIdentifier: Nullable(Type.String()),
  projectIdentifier: Nullable(Type.String()),
  apiKeyType: Type.String(),
  parentIdentifier: Type.String(),
  defaultTimeToExpireToken: Type.Integer(),
  rateLimitQps: Nullable(Type.Number()),
});

export const ApiKeyAggregateOut = Type.Object({
  apiKey: ApiKeyOut,
  createdAt: Type.Integer(),
  lastModifiedAt: Type.Integer(),
  tokensCount: Type.Integer(),
});

/** Names one owner's key: what DELETE and GET /aggregate/{identifier} take besides the scope. */
export const OwnerQuery = Type.Object({
  ...ScopeQueryFields,
  apiKeyType: ApiKeyTypeSchema,
  parentIdentifier: ParentIdentifier,
});
export type OwnerQuery = Static<typeof OwnerQuery>;

export const ListQueryFields = {
  ...ScopeQueryFields,
  apiKeyType: Type.Optional(ApiKeyTypeSchema),
  parentIdentifier: Type.Optional(ParentIdentifier),
  identifiers: Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 1000 })),
};
export const ListQuery = Type.Object(ListQueryFields);
export const AggregateListQuery = Type.Object({ ...ListQueryFields, ...PageQueryFields });

export const IdentifierParams = Type.Object({ identifier: Type.String({ maxLength: 512 }) });
