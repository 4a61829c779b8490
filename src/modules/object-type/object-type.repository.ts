import { and, asc, count, eq } from 'drizzle-orm';
import type { Executor } from '../../db/database.js';
import { objectTypes } from './object-type.table.js';

export type ObjectTypeRow = typeof objectTypes.$inferSelect;
export type ObjectTypeValues = Omit<typeof objectTypes.$inferInsert, 'domainId' | 'createdAt' | 'updatedAt'>;

export async function findObjectType(db: Executor, domainId: string, name: string): Promise<ObjectTypeRow | null> {
  const [row] = await db
    .select()
    .from(objectTypes)
    .where(and(eq(objectTypes.domainId, domainId), eq(objectTypes.name, name)));
  return row ?? null;
}

export async function listObjectTypes(db: Executor, domainId: string): Promise<ObjectTypeRow[]> {
  return db.select().from(objectTypes).where(eq(objectTypes.domainId, domainId)).orderBy(asc(objectTypes.name));
}

export async function countObjectTypes(db: Executor, domainId: string): Promise<number> {
  const [row] = await db.select({ n: count() }).from(objectTypes).where(eq(objectTypes.domainId, domainId));
  return Number(row?.n ?? 0);
}

export async function upsertObjectType(db: Executor, domainId: string, values: ObjectTypeValues): Promise<ObjectTypeRow> {
  const [row] = await db
    .insert(objectTypes)
    .values({ ...values, domainId })
    .onConflictDoUpdate({ target: [objectTypes.domainId, objectTypes.name], set: { ...values, updatedAt: new Date() } })
    .returning();
  return row as ObjectTypeRow;
}

export async function deleteObjectTypeRow(db: Executor, domainId: string, name: string): Promise<boolean> {
  const rows = await db
    .delete(objectTypes)
    .where(and(eq(objectTypes.domainId, domainId), eq(objectTypes.name, name)))
    .returning({ name: objectTypes.name });
  return rows.length > 0;
}
