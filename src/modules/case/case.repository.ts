import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import { countPerProfile, newestPerProfile } from '../../db/batched.js';
import type { Executor } from '../../db/database.js';
import type { NestedRelation } from '../../graphql/lookahead.js';
import type { NestedConnection } from '../../graphql/nested.js';
import { cases } from './case.table.js';

export type CaseConnectionParent = NestedConnection<CaseRow>;
export type CaseRow = typeof cases.$inferSelect;
export type CaseValues = Omit<typeof cases.$inferInsert, 'id' | 'domainId' | 'createdAt' | 'updatedAt' | 'version'>;

function byIdOrCaseId(domainId: string, id: string, isUuid: boolean): SQL | undefined {
  return and(eq(cases.domainId, domainId), isUuid ? or(eq(cases.id, id), eq(cases.caseId, id)) : eq(cases.caseId, id));
}

export async function findCase(db: Executor, domainId: string, id: string, isUuid: boolean): Promise<CaseRow | null> {
  const [row] = await db.select().from(cases).where(byIdOrCaseId(domainId, id, isUuid)).limit(1);
  return row ?? null;
}

export async function lockCase(db: Executor, domainId: string, id: string, isUuid: boolean): Promise<CaseRow | null> {
  const [row] = await db.select().from(cases).where(byIdOrCaseId(domainId, id, isUuid)).limit(1).for('update');
  return row ?? null;
}

export async function insertCase(db: Executor, domainId: string, values: CaseValues): Promise<CaseRow> {
  const [row] = await db
    .insert(cases)
    .values({ ...values, domainId })
    .returning();
  return row as CaseRow;
}

export async function updateCaseRow(db: Executor, domainId: string, id: string, patch: Partial<CaseValues>): Promise<CaseRow> {
  const [row] = await db
    .update(cases)
    .set({ ...patch, updatedAt: new Date(), version: sql`${cases.version} + 1` })
    .where(and(eq(cases.domainId, domainId), eq(cases.id, id)))
    .returning();
  return row as CaseRow;
}

function statusFilter(status: string | null | undefined): SQL | undefined {
  return status ? sql`t.status = ${status}` : undefined;
}

export function casesPerProfile(db: Executor, domainId: string, profileIds: readonly string[], limit: number, after: { at: Date; id: string } | null, status?: string | null) {
  return newestPerProfile<CaseRow>(db, cases, { domainId, parentIds: profileIds, sortColumn: 'created_at', limit, after, filter: statusFilter(status) });
}

/** Profile.cases for the look-ahead planner (lookahead.ts). */
export const caseRelation: NestedRelation = {
  field: 'cases',
  table: cases,
  sortKey: 'createdAt',
  computed: { attributes: ['attributes'], attribute: ['attributes'], profile: ['profileId'] },
  filter: (args) => statusFilter(args['status'] as string | null | undefined),
};

export function countCasesPerProfile(db: Executor, domainId: string, profileIds: readonly string[], status?: string | null) {
  return countPerProfile(db, cases, domainId, profileIds, statusFilter(status));
}
