// Shapes of the project endpoints (Harness's ProjectRequest / ProjectResponse).
import { Type, type Static } from '@sinclair/typebox';
import { COLOR_PATTERN, MODULE_PATTERN } from '../../domain/validation.js';
import {
  Description, Identifier, Name, Nullable, PageQueryFields, ScopeQueryFields, Tags, TagsOut,
} from '../../http/schemas.js';

export const DEFAULT_PROJECT_COLOR = '#0063F7';

export const ProjectIn = Type.Object({
  /** Harness's DTO carries the scope; when the query names it too, both must agree. */
  accountIdentifier: Type.Optional(Nullable(Type.String({ maxLength: 128 }))),
  orgIdentifier: Type.Optional(Nullable(Type.String({ maxLength: 128 }))),
  identifier: Identifier,
  name: Name,
  color: Type.Optional(Nullable(Type.String({ pattern: COLOR_PATTERN }))),
  modules: Type.Optional(Nullable(Type.Array(Type.String({ pattern: MODULE_PATTERN }), { maxItems: 64 }))),
  description: Type.Optional(Nullable(Description)),
  tags: Type.Optional(Nullable(Tags)),
});
export const ProjectRequest = Type.Object({ project: ProjectIn });
export type ProjectRequest = Static<typeof ProjectRequest>;

export const ProjectOut = Type.Object({
  identifier: Type.String(),
  orgIdentifier: Type.String(),
  name: Type.String(),
  color: Type.String(),
  modules: Type.Array(Type.String()),
  description: Type.String(),
  tags: TagsOut,
});
export const ProjectResponse = Type.Object({
  project: ProjectOut,
  createdAt: Type.Integer(),
  lastModifiedAt: Type.Integer(),
});

export const ProjectQuery = Type.Object({
  accountIdentifier: ScopeQueryFields.accountIdentifier,
  orgIdentifier: ScopeQueryFields.orgIdentifier,
});
export const ProjectParams = Type.Object({ identifier: Type.String({ minLength: 1, maxLength: 128 }) });
export const ProjectListQuery = Type.Object({
  accountIdentifier: ScopeQueryFields.accountIdentifier,
  orgIdentifier: ScopeQueryFields.orgIdentifier,
  identifiers: Type.Optional(Type.Array(Type.String({ maxLength: 128 }))),
  ...PageQueryFields,
});

export const PROJECT_SORT_FIELDS = ['lastModifiedAt', 'createdAt', 'name', 'identifier'] as const;
