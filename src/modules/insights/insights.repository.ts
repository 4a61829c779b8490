import { sql, type SQL } from 'drizzle-orm';
import { query, type Executor } from '../../db/database.js';
import { calculatedAttributes } from '../calculated/calculated.table.js';
import type { DefinitionSpec } from '../calculated/calculated.types.js';
import { cases } from '../case/case.table.js';
import { contacts } from '../contact/contact.table.js';
import { orders } from '../order/order.table.js';

/** Contacts read per profile for the contact rules: the newest this many (an index range, newest first). */
export const RECENT_CONTACTS = 100;
/** Case priorities that count as high. */
export const HIGH_PRIORITIES = ['HIGH', 'URGENT'] as const;
/** Case statuses that count as closed (as the default openCaseCount calculated attribute). */
export const CLOSED_STATUSES = ['RESOLVED', 'CLOSED'] as const;

/**
 * The raw facts the insight rules read, per profile, as JSON with short keys:
 * c: initiation times (ms) of the newest RECENT_CONTACTS contacts, newest first;
 * k: open high-priority cases, newest first (at most 5: caseId, title, priority, status, created ms);
 * kn: how many open high-priority cases;
 * o: order totals by currency (cancelled orders left out): currency, sum (numeric text), count;
 * fc: the spec of the domain's `frequentCaller` calculated attribute over contacts, if it has one.
 */
export interface InsightSource {
  c: number[];
  k: { id: string; t: string; p: string; s: string; at: number }[];
  kn: number;
  o: { cur: string | null; sum: string | null; n: number }[];
  fc?: Pick<DefinitionSpec, 'statistic' | 'window' | 'conditions' | 'threshold'> | null;
}

/** The calculated attribute whose rule FREQUENT_CALLER follows when the domain has it (a default one). */
export const FREQUENT_CALLER_ATTRIBUTE = 'frequentCaller';

const ms = (col: SQL) => sql`floor(extract(epoch from ${col}) * 1000)::int8`;

/**
 * A select-list expression: the {@link InsightSource} JSON text of the profile whose id is
 * `profileId`. Each part reads one per-profile index of its table: contacts_profile_recent_idx,
 * cases_profile_recent_idx, orders_profile_recent_idx.
 */
export function insightSourceSql(domainId: string, profileId: SQL): SQL {
  const c = contacts;
  const k = cases;
  const o = orders;
  const openHigh = sql`${k.domainId} = ${domainId} and ${k.profileId} = ${profileId}
    and ${k.priority} in (${sql.join(HIGH_PRIORITIES.map((p) => sql`${p}`), sql`, `)})
    and ${k.status} not in (${sql.join(CLOSED_STATUSES.map((s) => sql`${s}`), sql`, `)})`;
  return sql`json_build_object(
    'c', (select coalesce(json_agg(x.at order by x.at desc), '[]'::json) from (
            select ${ms(sql`${c.initiatedAt}`)} as at from ${c}
            where ${c.domainId} = ${domainId} and ${c.profileId} = ${profileId}
            order by ${c.initiatedAt} desc, ${c.id} desc limit ${RECENT_CONTACTS}) x),
    'k', (select coalesce(json_agg(json_build_object('id', x.case_id, 't', x.title, 'p', x.priority, 's', x.status, 'at', x.at) order by x.at desc, x.case_id), '[]'::json) from (
            select ${k.caseId} as case_id, ${k.title} as title, ${k.priority} as priority, ${k.status} as status, ${ms(sql`${k.createdAt}`)} as at from ${k}
            where ${openHigh} order by ${k.createdAt} desc, ${k.id} desc limit 5) x),
    'kn', (select count(*) from ${k} where ${openHigh}),
    'o', (select coalesce(json_agg(json_build_object('cur', x.cur, 'sum', trim_scale(x.total)::text, 'n', x.n) order by x.cur nulls first), '[]'::json) from (
            select ${o.currency} as cur, sum(${o.totalPrice}) as total, count(*) as n from ${o}
            where ${o.domainId} = ${domainId} and ${o.profileId} = ${profileId} and ${o.cancelledAt} is null
            group by ${o.currency}) x),
    'fc', (select ${calculatedAttributes.spec} from ${calculatedAttributes}
            where ${calculatedAttributes.domainId} = ${domainId} and ${calculatedAttributes.name} = ${FREQUENT_CALLER_ATTRIBUTE} and ${calculatedAttributes.objectType} = '_ctr')
  )::text`;
}

/** The same for many profiles in one statement (the DataLoader path). */
export async function insightSourcesByProfile(db: Executor, domainId: string, profileIds: readonly string[]): Promise<Map<string, string>> {
  const rows = await query<{ id: string; j: string }>(
    db,
    sql`select p.pid::text as id, ${insightSourceSql(domainId, sql`p.pid`)} as j from unnest(${sql.param([...profileIds])}::uuid[]) as p(pid)`,
  );
  return new Map(rows.map((r) => [r.id, r.j]));
}
