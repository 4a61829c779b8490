import { and, eq, or } from 'drizzle-orm';
import type { Executor } from '../../db/database.js';
import { contacts } from './contact.table.js';

export type ContactRow = typeof contacts.$inferSelect;
export type ContactValues = Omit<typeof contacts.$inferInsert, 'id' | 'domainId' | 'createdAt' | 'updatedAt'>;

export async function findContact(db: Executor, domainId: string, idOrContactId: string, isUuid: boolean): Promise<ContactRow | null> {
  const [row] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.domainId, domainId), isUuid ? or(eq(contacts.id, idOrContactId), eq(contacts.contactId, idOrContactId)) : eq(contacts.contactId, idOrContactId)))
    .limit(1);
  return row ?? null;
}

export async function lockContactByContactId(db: Executor, domainId: string, contactId: string): Promise<ContactRow | null> {
  const [row] = await db
    .select()
    .from(contacts)
    .where(and(eq(contacts.domainId, domainId), eq(contacts.contactId, contactId)))
    .for('update');
  return row ?? null;
}

/** Inserts or replaces (by contactId) a contact record. */
export async function upsertContact(db: Executor, domainId: string, values: ContactValues): Promise<ContactRow> {
  const [row] = await db
    .insert(contacts)
    .values({ ...values, domainId })
    .onConflictDoUpdate({
      target: [contacts.domainId, contacts.contactId],
      set: { ...values, updatedAt: new Date() },
    })
    .returning();
  return row as ContactRow;
}
