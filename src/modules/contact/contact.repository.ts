import { and, eq, or, sql, type SQL } from 'drizzle-orm';
import { countPerProfile, newestPerProfile } from '../../db/batched.js';
import type { Executor } from '../../db/database.js';
import type { NestedRelation } from '../../graphql/lookahead.js';
import type { NestedConnection } from '../../graphql/nested.js';
import { contacts } from './contact.table.js';

export type ContactConnectionParent = NestedConnection<ContactRow>;
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

function channelFilter(channel: string | null | undefined): SQL | undefined {
  return channel ? sql`t.channel = ${channel}` : undefined;
}

export function contactsPerProfile(db: Executor, domainId: string, profileIds: readonly string[], limit: number, after: { at: Date; id: string } | null, channel?: string | null) {
  return newestPerProfile<ContactRow>(db, contacts, { domainId, parentIds: profileIds, sortColumn: 'initiated_at', limit, after, filter: channelFilter(channel) });
}

/** Profile.contacts for the look-ahead planner (lookahead.ts). */
export const contactRelation: NestedRelation = {
  field: 'contacts',
  table: contacts,
  sortKey: 'initiatedAt',
  computed: { durationSeconds: ['initiatedAt', 'disconnectedAt'], attributes: ['attributes'], attribute: ['attributes'], profile: ['profileId'] },
  filter: (args) => channelFilter(args['channel'] as string | null | undefined),
};

export function countContactsPerProfile(db: Executor, domainId: string, profileIds: readonly string[], channel?: string | null) {
  return countPerProfile(db, contacts, domainId, profileIds, channelFilter(channel));
}
