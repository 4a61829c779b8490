import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import type { Executor } from '../../db/database.js';
import { cases } from './case.table.js';

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
