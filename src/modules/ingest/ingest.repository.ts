import { createHash } from 'node:crypto';
import { and, desc, eq, like, lt, or, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.js';
import { profileKeys } from '../profile/profile.table.js';
import { deadLetterObject, storableText } from './dead-letter.js';
import { deadLetters, profileObjects } from './ingest.table.js';

export type ProfileObjectRow = typeof profileObjects.$inferSelect;
export type DeadLetterRow = typeof deadLetters.$inferSelect;

export { objectKeySource } from './object-keys.js';

export async function deleteObjectsOfType(db: Executor, domainId: string, type: string): Promise<void> {
  await db.delete(profileObjects).where(and(eq(profileObjects.domainId, domainId), eq(profileObjects.objectType, type)));
  await db.delete(profileKeys).where(and(eq(profileKeys.domainId, domainId), like(profileKeys.source, `obj:${type.replace(/[%_\\]/g, '\\$&')}:%`)));
}

export async function findObjectById(db: Executor, domainId: string, id: string): Promise<ProfileObjectRow | null> {
  const [row] = await db
    .select()
    .from(profileObjects)
    .where(and(eq(profileObjects.domainId, domainId), eq(profileObjects.id, id)));
  return row ?? null;
}

/**
 * Stores dead letters in one statement. The objects are stored jsonb-safe and bounded
 * ({@link deadLetterObject}) and reasons as storable text, so this never fails on their content.
 */
export async function insertDeadLetters(db: Executor, domainId: string, objectType: string, items: readonly { object: unknown; reason: string }[]): Promise<void> {
  if (items.length === 0) return;
  // The same object refused for the same reason is one dead letter seen again, not a new one: a
  // re-run import adds nothing. Duplicates within the batch are folded first (one row per
  // fingerprint per statement).
  const rows = new Map<string, { domainId: string; objectType: string; object: Record<string, unknown>; reason: string; fingerprint: string; occurrences: number }>();
  for (const d of items) {
    const object = deadLetterObject(d.object);
    const reason = storableText(d.reason);
    const fingerprint = createHash('sha256').update(objectType).update('\u0000').update(JSON.stringify(object)).update('\u0000').update(reason).digest('hex');
    const seen = rows.get(fingerprint);
    if (seen) seen.occurrences++;
    else rows.set(fingerprint, { domainId, objectType, object, reason, fingerprint, occurrences: 1 });
  }
  await db
    .insert(deadLetters)
    .values([...rows.values()])
    .onConflictDoUpdate({
      target: [deadLetters.domainId, deadLetters.fingerprint],
      set: { occurrences: sql`${deadLetters.occurrences} + excluded.occurrences`, lastSeenAt: sql`excluded.last_seen_at` },
    });
}

export async function listDeadLetters(
  db: Executor,
  domainId: string,
  type: string | null | undefined,
  limit: number,
  after: { at: Date; id: string } | null,
): Promise<DeadLetterRow[]> {
  return db
    .select()
    .from(deadLetters)
    .where(
      and(
        eq(deadLetters.domainId, domainId),
        type ? eq(deadLetters.objectType, type) : undefined,
        after ? or(lt(deadLetters.createdAt, after.at), and(eq(deadLetters.createdAt, after.at), lt(deadLetters.id, after.id))) : undefined,
      ),
    )
    .orderBy(desc(deadLetters.createdAt), desc(deadLetters.id))
    .limit(limit + 1);
}
