// migrate() on PostgreSQL tries again when Kysely's look for its migration tables meets a table or
// schema (or a column of a table) dropped meanwhile by someone else in the same database (42P01, 3F000,
// 42703); any other failure is final.
import { describe, expect, it } from 'vitest';
import { whileRelationsVanish } from '../../src/store/database.js';

const vanished = () => Object.assign(new Error('relation "t_other.role_assignments" does not exist'), { code: '42P01' });

describe('whileRelationsVanish', () => {
  it('tries again after an undefined_table failure, and answers with the attempt that worked', async () => {
    let calls = 0;
    const result = await whileRelationsVanish(async () => {
      calls++;
      if (calls < 3) throw vanished();
      return ['001_initial'];
    });
    expect(result).toEqual(['001_initial']);
    expect(calls).toBe(3);
    // a whole schema dropped meanwhile (invalid_schema_name) likewise
    let schemaCalls = 0;
    await whileRelationsVanish(async () => {
      if (++schemaCalls === 1) throw Object.assign(new Error('schema "t_other" does not exist'), { code: '3F000' });
    });
    expect(schemaCalls).toBe(2);
    // a column of a table being dropped, read by the introspection meanwhile (undefined_column; seen in CI)
    let columnCalls = 0;
    await whileRelationsVanish(async () => {
      if (++columnCalls === 1) throw Object.assign(new Error('column "account_id" of relation "audit_events" does not exist'), { code: '42703' });
    });
    expect(columnCalls).toBe(2);
  });

  it('gives up after its tries, with the last error', async () => {
    let calls = 0;
    await expect(whileRelationsVanish(async () => { calls++; throw vanished(); }, 2)).rejects.toMatchObject({ code: '42P01' });
    expect(calls).toBe(2);
  });

  it('never tries again after any other failure', async () => {
    let calls = 0;
    const other = Object.assign(new Error('permission denied for schema public'), { code: '42501' });
    await expect(whileRelationsVanish(async () => { calls++; throw other; })).rejects.toBe(other);
    expect(calls).toBe(1);
  });
});
