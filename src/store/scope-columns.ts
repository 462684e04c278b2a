// A scope as the scoped tables hold it: account_id, org_identifier and project_identifier, with ''
// (never NULL) for "no organization" / "no project" (schema.ts). The domain's Scope uses null.
import type { DeleteQueryBuilder, SelectQueryBuilder, UpdateQueryBuilder } from 'kysely';
import type { Scope } from '../domain/scope.js';
import type { Database } from './schema.js';

/** The row values of `scope`, to spread into a row or compare with one. */
export const scopeCols = (scope: Scope) => ({
  account_id: scope.accountIdentifier, org_identifier: scope.orgIdentifier ?? '', project_identifier: scope.projectIdentifier ?? '',
});

type ScopeColumns = ReturnType<typeof scopeCols>;
/** The tables that have the three scope columns. */
type ScopedTable = { [T in keyof Database]: Database[T] extends ScopeColumns ? T : never }[keyof Database];

/** `Scope` when every table of TB has the scope columns; otherwise nothing is accepted. */
type ScopeOf<TB> = [TB] extends [ScopedTable] ? Scope : never;

/**
 * Narrows a select, update or delete query to the rows of exactly `scope`. One signature per
 * builder, so the query keeps its type; on a table without the scope columns it does not compile
 * (TB is checked through the scope argument: as a bound it would widen to every scoped table).
 */
export function whereScope<TB extends keyof Database, O>(
  q: SelectQueryBuilder<Database, TB, O>, scope: ScopeOf<TB>): SelectQueryBuilder<Database, TB, O>;
export function whereScope<UT extends keyof Database, TB extends keyof Database, O>(
  q: UpdateQueryBuilder<Database, UT, TB, O>, scope: ScopeOf<TB>): UpdateQueryBuilder<Database, UT, TB, O>;
export function whereScope<TB extends keyof Database, O>(
  q: DeleteQueryBuilder<Database, TB, O>, scope: ScopeOf<TB>): DeleteQueryBuilder<Database, TB, O>;
export function whereScope<Q extends { where: (column: keyof ScopeColumns, op: '=', value: string) => Q }>(q: Q, scope: Scope): Q {
  const c = scopeCols(scope);
  return q.where('account_id', '=', c.account_id).where('org_identifier', '=', c.org_identifier)
    .where('project_identifier', '=', c.project_identifier);
}
