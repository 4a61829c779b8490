import { sql, type SQL } from 'drizzle-orm';
import { selectColumns } from '../../db/batched.js';
import { query, Statement, type Executor } from '../../db/database.js';
import { profiles } from '../profile/profile.table.js';

export interface SearchTerm {
  /** Index of the key set the term belongs to (0 = the main key, 1.. = additionalKeys). */
  set: number;
  keyName: string;
  value: string;
}

type SingleKeyValues = Record<'domainId' | 'keyName' | 'value' | 'afterId' | 'limit', unknown>;

/**
 * One key value, the caller's usual look-up: a plain index range, which Postgres plans in a
 * fraction of the general form's time and, prepared, keeps as a generic plan. `v` holds the values,
 * or placeholders for a statement built once.
 */
function singleKeySql(columns: SQL, v: SingleKeyValues): SQL {
  return sql`with page as (
        select distinct k.profile_id from profile_keys k
        where k.domain_id = ${v.domainId} and k.key_name = ${v.keyName} and k.value = ${v.value}
          and (${v.afterId}::uuid is null or k.profile_id > ${v.afterId}::uuid)
        order by k.profile_id
        limit ${v.limit}
      )
      select array[${v.keyName}::text] as "__matchedKeys", ${columns}
      from page join profiles p on p.domain_id = ${v.domainId} and p.id = page.profile_id
      order by p.id`;
}

const singleKeyStatements = new Map<string, Statement>();

/** {@link singleKeySql} for a set of profile columns (no extra items), its text built once. */
function singleKeyStatement(keys: readonly string[]): Statement {
  const signature = keys.join(',');
  let statement = singleKeyStatements.get(signature);
  if (!statement) {
    if (singleKeyStatements.size >= 256) singleKeyStatements.clear();
    const p = (name: string) => sql.placeholder(name);
    const placeholders = { domainId: p('domainId'), keyName: p('keyName'), value: p('value'), afterId: p('afterId'), limit: p('limit') };
    statement = new Statement(() => singleKeySql(selectColumns(profiles, 'p', keys), placeholders));
    singleKeyStatements.set(signature, statement);
  }
  return statement;
}

/**
 * Profiles matching the key sets, ordered by id for stable cursors, in ONE statement: the page of
 * matches joined to the profile columns `keys` (plus `extra` select-list items computed for each
 * profile row as `p`, e.g. nested relations as JSON). With `all`, a profile must match every set
 * (AND); otherwise any (OR). `_profileId` terms match the profile's own id. Raw rows, each with
 * `__matchedKeys`.
 */
export async function searchProfileRows(
  db: Executor,
  domainId: string,
  terms: readonly SearchTerm[],
  setCount: number,
  all: boolean,
  limit: number,
  afterId: string | null,
  keys: readonly string[],
  extra: readonly SQL[] = [],
): Promise<Record<string, unknown>[]> {
  const columns = sql`${selectColumns(profiles, 'p', keys)}${extra.length ? sql`, ${sql.join([...extra], sql`, `)}` : sql``}`;
  const only = terms.length === 1 ? terms[0]! : undefined;
  if (only && only.keyName !== '_profileId') {
    const values = { domainId, keyName: only.keyName, value: only.value, afterId, limit: limit + 1 };
    // The hottest read (a caller looked up by phone): without extra items, its text is built once.
    if (extra.length === 0) return singleKeyStatement(keys).run<Record<string, unknown>>(db, values);
    return query<Record<string, unknown>>(db, singleKeySql(columns, values));
  }
  const keyTerms = terms.filter((t) => t.keyName !== '_profileId');
  const idTerms = terms.filter((t) => t.keyName === '_profileId');
  const hits =
    keyTerms.length > 0 && idTerms.length === 0
      ? sql`select k.profile_id, q.set, q.key_name
          from unnest(${sql.param(keyTerms.map((t) => t.set))}::int[], ${sql.param(keyTerms.map((t) => t.keyName))}::text[], ${sql.param(keyTerms.map((t) => t.value))}::text[]) as q(set, key_name, value)
          join profile_keys k on k.domain_id = ${domainId} and k.key_name = q.key_name and k.value = q.value`
      : sql`select k.profile_id, q.set, q.key_name
          from unnest(${sql.param(keyTerms.map((t) => t.set))}::int[], ${sql.param(keyTerms.map((t) => t.keyName))}::text[], ${sql.param(keyTerms.map((t) => t.value))}::text[]) as q(set, key_name, value)
          join profile_keys k on k.domain_id = ${domainId} and k.key_name = q.key_name and k.value = q.value
          union all
          select p.id, q.set, '_profileId'
          from unnest(${sql.param(idTerms.map((t) => t.set))}::int[], ${sql.param(idTerms.map((t) => t.value))}::uuid[]) as q(set, id)
          join profiles p on p.domain_id = ${domainId} and p.id = q.id`;
  return query<Record<string, unknown>>(
    db,
    sql`with hits as (${hits}),
        page as (
          select profile_id, array_agg(distinct key_name order by key_name) as matched_keys
          from hits
          where ${afterId}::uuid is null or profile_id > ${afterId}::uuid
          group by profile_id
          having ${all ? sql`count(distinct set) = ${setCount}` : sql`true`}
          order by profile_id
          limit ${limit + 1}
        )
        select page.matched_keys as "__matchedKeys", ${columns}
        from page join profiles p on p.domain_id = ${domainId} and p.id = page.profile_id
        order by p.id`,
  );
}
