import { sql } from 'drizzle-orm';
import { query, type Executor } from '../../db/database.js';

export interface SearchTerm {
  /** Index of the key set the term belongs to (0 = the main key, 1.. = additionalKeys). */
  set: number;
  keyName: string;
  value: string;
}

/**
 * Profiles matching the key sets, ordered by id for stable cursors. With `all`, a profile must match
 * every set (AND); otherwise any (OR). `_profileId` terms match the profile's own id.
 */
export async function searchProfileIds(
  db: Executor,
  domainId: string,
  terms: readonly SearchTerm[],
  setCount: number,
  all: boolean,
  limit: number,
  afterId: string | null,
): Promise<{ profileId: string; matchedKeys: string[] }[]> {
  const keyTerms = terms.filter((t) => t.keyName !== '_profileId');
  const idTerms = terms.filter((t) => t.keyName === '_profileId');
  return query<{ profileId: string; matchedKeys: string[] }>(
    db,
    sql`with hits as (
          select k.profile_id, q.set, q.key_name
          from unnest(${sql.param(keyTerms.map((t) => t.set))}::int[], ${sql.param(keyTerms.map((t) => t.keyName))}::text[], ${sql.param(keyTerms.map((t) => t.value))}::text[]) as q(set, key_name, value)
          join profile_keys k on k.domain_id = ${domainId} and k.key_name = q.key_name and k.value = q.value
          union all
          select p.id, q.set, '_profileId'
          from unnest(${sql.param(idTerms.map((t) => t.set))}::int[], ${sql.param(idTerms.map((t) => t.value))}::uuid[]) as q(set, id)
          join profiles p on p.domain_id = ${domainId} and p.id = q.id
        )
        select profile_id as "profileId", array_agg(distinct key_name order by key_name) as "matchedKeys"
        from hits
        where ${afterId}::uuid is null or profile_id > ${afterId}::uuid
        group by profile_id
        having ${all ? sql`count(distinct set) = ${setCount}` : sql`true`}
        order by profile_id
        limit ${limit + 1}`,
  );
}
