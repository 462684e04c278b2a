// TypeBox building blocks shared by every route: field rules, scope and paging query strings,
// the success envelope and the page shape. One source for validation, serialization and OpenAPI.
import { Type, type TSchema, type Static } from '@sinclair/typebox';
import {
  IDENTIFIER_PATTERN, MAX_DESCRIPTION, MAX_EPOCH_MS, MAX_TAGS, NAME_PATTERN, EMAIL_PATTERN, RESERVED_IDENTIFIERS, PERSON_NAME_PATTERN,
} from '../domain/validation.js';

export { MAX_EPOCH_MS };

/** `T | null`, written as a type array, which fast-json-stringify serializes fastest. */
export function Nullable<T extends TSchema>(schema: T) {
  const { type } = schema as unknown as { type?: string };
  if (type) return Type.Unsafe<Static<T> | null>({ ...schema, type: [type, 'null'] });
  return Type.Union([schema, Type.Null()]);
}

export const Identifier = Type.String({
  pattern: IDENTIFIER_PATTERN,
  not: { enum: [...RESERVED_IDENTIFIERS] },
  description: 'Starts with a letter or _, then letters, digits, _ or $; at most 128 characters',
});
export const Name = Type.String({ pattern: NAME_PATTERN, description: 'At most 128 characters' });
export const Description = Type.String({ maxLength: MAX_DESCRIPTION });
export const Tags = Type.Record(Type.String(), Type.String(), { maxProperties: MAX_TAGS });
export const Email = Type.String({ pattern: EMAIL_PATTERN, maxLength: 254 });
export const EpochMs = Type.Integer({ minimum: 0, maximum: MAX_EPOCH_MS, description: 'Epoch milliseconds' });
/** A person's name (users): freer than a resource name, since people's names have apostrophes and accents. */
export const PersonName = Type.String({ pattern: PERSON_NAME_PATTERN, description: 'Not blank, at most 128 characters' });

/** Output forms: what is stored always comes back, so no patterns are needed. */
export const TagsOut = Type.Record(Type.String(), Type.String());

export const ScopeQueryFields = {
  accountIdentifier: Type.Optional(Type.String({ minLength: 1, maxLength: 128 })),
  orgIdentifier: Type.Optional(Type.String({ maxLength: 128 })),
  projectIdentifier: Type.Optional(Type.String({ maxLength: 128 })),
};
export const ScopeQuery = Type.Object(ScopeQueryFields);
export type ScopeQuery = Static<typeof ScopeQuery>;
/** For resources that live at the account itself (organizations, users, settings). */
export const AccountQuery = Type.Object({ accountIdentifier: ScopeQueryFields.accountIdentifier });

export const PageQueryFields = {
  pageIndex: Type.Optional(Type.Integer({ minimum: 0 })),
  pageSize: Type.Optional(Type.Integer({ minimum: 1 })),
  sortOrders: Type.Optional(Type.Array(Type.String({ maxLength: 200 }))),
  searchTerm: Type.Optional(Type.String({ maxLength: 256 })),
};

/** Body-side scope fields: present in most Harness DTOs, nullable. */
export const BodyScopeFields = {
  accountIdentifier: Type.Optional(Nullable(Type.String({ maxLength: 128 }))),
  orgIdentifier: Type.Optional(Nullable(Type.String({ maxLength: 128 }))),
  projectIdentifier: Type.Optional(Nullable(Type.String({ maxLength: 128 }))),
};
export const ScopeOut = Type.Object({
  accountIdentifier: Type.String(),
  orgIdentifier: Nullable(Type.String()),
  projectIdentifier: Nullable(Type.String()),
});

export function Envelope<T extends TSchema>(data: T) {
  return Type.Object({
    status: Type.Literal('SUCCESS'),
    data,
    metaData: Type.Null(),
    correlationId: Type.String(),
  });
}

export function PageOf<T extends TSchema>(item: T) {
  return Type.Object({
    totalPages: Type.Integer(),
    totalItems: Type.Integer(),
    pageItemCount: Type.Integer(),
    pageSize: Type.Integer(),
    content: Type.Array(item),
    pageIndex: Type.Integer(),
    empty: Type.Boolean(),
  });
}

/** Reply schemas of a route: the success envelope for 200 (errors are serialized by the error handler). */
export function ok<T extends TSchema>(data: T) {
  return { 200: Envelope(data) };
}
