// Emails are stored in Unicode NFC as well as lower case (domain/validation.ts, normalizeEmail).
// Rows written before were only lower-cased: those not in NFC are rewritten, so that sign-in, the
// CLI's password reset and a service account's update (which must send its email as stored) find
// them in either form. A user whose NFC form another user already holds is left as it is: two
// accounts are never merged here (an operator can rename one; sign-in still works with the
// address exactly as stored).
import type { Kysely } from 'kysely';

const inNfc = (email: string) => email.normalize('NFC');

export async function up(db: Kysely<any>): Promise<void> {
  // Only addresses with non-ASCII characters can change.
  const nonAscii = (email: string) => /[^\x00-\x7f]/.test(email);

  const users: { id: string; email: string }[] = await db.selectFrom('users').select(['id', 'email']).execute();
  const taken = new Set(users.map((u) => u.email));
  for (const u of users) {
    if (!nonAscii(u.email) || inNfc(u.email) === u.email || taken.has(inNfc(u.email))) continue;
    await db.updateTable('users').set({ email: inNfc(u.email) }).where('id', '=', u.id).execute();
    taken.delete(u.email);
    taken.add(inNfc(u.email));
  }

  const accounts: { account_id: string; org_identifier: string; project_identifier: string; identifier: string; email: string }[] =
    await db.selectFrom('service_accounts').select(['account_id', 'org_identifier', 'project_identifier', 'identifier', 'email']).execute();
  for (const sa of accounts) {
    if (!nonAscii(sa.email) || inNfc(sa.email) === sa.email) continue;
    await db.updateTable('service_accounts').set({ email: inNfc(sa.email) })
      .where('account_id', '=', sa.account_id).where('org_identifier', '=', sa.org_identifier)
      .where('project_identifier', '=', sa.project_identifier).where('identifier', '=', sa.identifier).execute();
  }
}

export async function down(): Promise<void> {
  // Nothing to undo: NFC forms are what the code writes anyway.
}
