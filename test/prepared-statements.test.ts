/**
 * Named (prepared) statements on Postgres: parameterised statements are prepared (one round trip
 * and no re-parse from their second use), the number per connection is bounded (a client sending
 * ever new query texts cannot grow memory on either side), and 0 turns them off.
 */
import { sql } from 'drizzle-orm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase, query, type Database } from '../src/db/database.js';
import { createTestDatabase, type TestDatabase } from './helpers/server.js';

const BASE_URL = process.env.TEST_DATABASE_URL;

describe.skipIf(!BASE_URL)('prepared statements (Postgres)', () => {
  let testDb: TestDatabase;
  const open: Database[] = [];
  beforeAll(async () => {
    testDb = await createTestDatabase();
  });
  afterAll(async () => {
    for (const d of open) await d.close();
    await testDb.drop();
  });

  async function connect(preparedStatements: number): Promise<Database> {
    const d = await openDatabase({ databaseUrl: testDb.url, dataDir: 'unused', poolSize: 1, preparedStatements });
    open.push(d);
    return d;
  }
  const ours = (d: Database) =>
    query<{ statement: string }>(d.db, sql`select statement from pg_prepared_statements where statement like ${'%pg_prep_probe%'} and statement not like ${'%pg_prepared_statements%'}`);

  it('prepares each parameterised text once and reuses it', async () => {
    const d = await connect(50);
    for (let i = 0; i < 5; i++) {
      const [row] = await query<{ n: number }>(d.db, sql`select ${i}::int + 1 as n, 'pg_prep_probe' as tag`);
      expect(row!.n).toBe(i + 1);
    }
    expect((await ours(d)).length).toBe(1);
    // Inside a transaction too.
    await d.db.transaction(async (tx) => {
      await query(tx, sql`select ${7}::int as n, 'pg_prep_probe tx' as tag`);
    });
    expect((await ours(d)).map((r) => r.statement).filter((s) => s.includes('probe tx'))).toHaveLength(1);
  });

  it('keeps at most the configured number per connection; later texts still answer, unnamed', async () => {
    const d = await connect(4);
    for (let i = 0; i < 30; i++) {
      // A new statement text each time (the literal differs).
      const [row] = await query<{ n: number }>(d.db, sql`select ${i}::int + ${sql.raw(String(i))} as n, ${sql.raw(`'pg_prep_probe ${i}'`)} as tag`);
      expect(row!.n).toBe(2 * i);
    }
    const [all] = await query<{ n: string }>(d.db, sql`select count(*)::text as n from pg_prepared_statements where ${1} = 1`);
    expect(Number(all!.n)).toBeLessThanOrEqual(4);
    expect((await ours(d)).length).toBeGreaterThan(0);
  });

  it('0 prepares nothing', async () => {
    const d = await connect(0);
    for (let i = 0; i < 3; i++) await query(d.db, sql`select ${i}::int as n, 'pg_prep_probe' as tag`);
    const [all] = await query<{ n: string }>(d.db, sql`select count(*)::text as n from pg_prepared_statements where ${1} = 1`);
    expect(all!.n).toBe('0');
  });
});
