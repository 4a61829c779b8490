import { sql } from 'drizzle-orm';
import { query, type Executor } from '../../db/database.js';
import { profileNameTokensSql, searchTokensSql } from '../profile/profile.table.js';

/** The name condition on `profiles p`: every searched word is one of the profile's name tokens (any order). */
export function nameMatchSql(text: string) {
  return sql`${profileNameTokensSql('first_name', 'middle_name', 'last_name', 'p')} @> ${searchTokensSql(text)}`;
}

/**
 * Profiles whose name holds every word of `text` (in the one name form of profile.table.ts), by id,
 * at most `limit`; and that form of the text. One statement, through the GIN index
 * `profiles_name_tokens_idx` (the condition repeats the index expression exactly).
 */
export async function profilesByName(db: Executor, domainId: string, text: string, limit: number): Promise<{ normalized: string; ids: string[] }> {
  const [row] = await query<{ normalized: string; ids: string[] | null }>(
    db,
    sql`select array_to_string(${searchTokensSql(text)}, ' ') as normalized,
          (select array_agg(id order by id) from (
            select p.id from profiles p
            where p.domain_id = ${domainId} and ${nameMatchSql(text)}
            order by p.id limit ${limit}
          ) hits) as ids`,
  );
  return { normalized: row!.normalized, ids: row!.ids ?? [] };
}

/** The plan Postgres picks for the name look-up (tests assert it uses the index). */
export async function explainProfilesByName(db: Executor, domainId: string, text: string, limit: number): Promise<string> {
  const rows = await query<Record<string, string>>(
    db,
    sql`explain select p.id from profiles p where p.domain_id = ${domainId} and ${nameMatchSql(text)} order by p.id limit ${limit}`,
  );
  return rows.map((r) => Object.values(r)[0]).join('\n');
}
