// Shapes of the token endpoints (Harness's TokenDTO and TokenAggregateDTO, plus keysmith's
// `lastUsedAt`). Output-only fields a client echoes back (valid, email, username, ...) are accepted
// and ignored.
import { Type, type Static } from '@sinclair/typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import {
  BodyScopeFields, Description, EpochMs, MAX_EPOCH_MS, Identifier, Name, Nullable, PageQueryFields, ScopeQueryFields, Tags, TagsOut,
} from '../../http/schemas.js';
import { ApiKeyTypeSchema, ParentIdentifier } from '../api-keys/schemas.js';

const TokenBodyFields = {
  identifier: Identifier,
  description: Type.Optional(Nullable(Description)),
  tags: Type.Optional(Nullable(Tags)),
  validFrom: Type.Optional(Nullable(EpochMs)),
  validTo: Type.Optional(Nullable(EpochMs)),
  ...BodyScopeFields,
  apiKeyIdentifier: Identifier,
  parentIdentifier: ParentIdentifier,
  apiKeyType: ApiKeyTypeSchema,
  // Echoed back by clients that read a token and send it again; never taken from the body.
  scheduledExpireTime: Type.Optional(Nullable(EpochMs)),
  valid: Type.Optional(Nullable(Type.Boolean())),
  email: Type.Optional(Nullable(Type.String({ maxLength: 1024 }))),
  username: Type.Optional(Nullable(Type.String({ maxLength: 1024 }))),
};

export const TokenCreateBody = Type.Object({ ...TokenBodyFields, name: Name });
export type TokenCreateBody = Static<typeof TokenCreateBody>;
/** An update names the token; fields it leaves out keep their stored values. */
export const TokenUpdateBody = Type.Object({ ...TokenBodyFields, name: Type.Optional(Nullable(Name)) });
export type TokenUpdateBody = Static<typeof TokenUpdateBody>;

/** A token as SPEC §3 lists its fields, in that order (every other DTO follows its list too). */
export const TokenOut = Type.Object({
  identifier: Type.String(),
  name: Type.String(),
  description: Type.String(),
  tags: TagsOut,
  validFrom: Type.Integer(),
  validTo: Type.Integer(),
  scheduledExpireTime: Nullable(Type.Integer()),
  valid: Type.Boolean(),
  accountIdentifier: Type.String(),
  orgIdentifier: Nullable(Type.String()),
  projectIdentifier: Nullable(Type.String()),
  apiKeyIdentifier: Type.String(),
  parentIdentifier: Type.String(),
  apiKeyType: Type.String(),
  email: Nullable(Type.String()),
  username: Nullable(Type.String()),
});

export const TokenAggregateOut = Type.Object({
  token: TokenOut,
  expiryAt: Type.Integer(),
  createdAt: Type.Integer(),
  lastModifiedAt: Type.Integer(),
  lastUsedAt: Nullable(Type.Integer()),
});

/** Names one token's key: what DELETE and rotate take besides the scope. */
export const TokenKeyQueryFields = {
  ...ScopeQueryFields,
  apiKeyType: ApiKeyTypeSchema,
  parentIdentifier: ParentIdentifier,
  apiKeyIdentifier: Type.String({ minLength: 1, maxLength: 128 }),
};
export const TokenKeyQuery = Type.Object(TokenKeyQueryFields);

export const RotateQuery = Type.Object({
  ...TokenKeyQueryFields,
  // Any instant: one not in the future (0, or before 1970) deletes the old token at once (SPEC §4).
  rotateTimestamp: Type.Optional(Type.Integer({ minimum: -MAX_EPOCH_MS, maximum: MAX_EPOCH_MS, description: 'Epoch milliseconds' })),
  validTo: Type.Optional(EpochMs),
});

/**
 * An empty parentIdentifier or apiKeyIdentifier is no filter, as an empty orgIdentifier is no
 * scope: Harness's Go SDK always sends both, empty when its caller lists every token of an owner.
 */
export const TokenListQuery = Type.Object({
  ...ScopeQueryFields,
  apiKeyType: Type.Optional(ApiKeyTypeSchema),
  parentIdentifier: Type.Optional(Type.String({ maxLength: 128, description: ParentIdentifier.description })),
  apiKeyIdentifier: Type.Optional(Type.String({ maxLength: 128 })),
  identifiers: Type.Optional(Type.Array(Type.String({ maxLength: 128 }), { maxItems: 1000 })),
  includeOnlyActiveTokens: Type.Optional(Type.Boolean()),
  ...PageQueryFields,
});

export const OwnerTokensQuery = Type.Object({
  ...ScopeQueryFields,
  apiKeyType: ApiKeyTypeSchema,
  parentIdentifier: ParentIdentifier,
  // Present only when a client deletes a token whose identifier is literally "all".
  apiKeyIdentifier: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
});

export const TokenParams = Type.Object({ identifier: Type.String({ maxLength: 512 }) });

/** A raw token value: a text/plain body, or a JSON string. */
export const RawTokenBody = Type.String({ description: 'The token value' });

/**
 * preValidation hook of the raw-token routes (whose bodies are always text, body-parsers.ts): no
 * body is an empty value — not a token, so validate answers 401 INVALID_TOKEN as for any malformed
 * one, and revoke answers `true`.
 */
export function emptyTokenWhenAbsent(req: FastifyRequest, _reply: FastifyReply, done: () => void): void {
  if (req.body === undefined || req.body === null) req.body = '';
  done();
}
export const AccountQuery = Type.Object({ accountIdentifier: Type.Optional(Type.String({ maxLength: 128 })) });
