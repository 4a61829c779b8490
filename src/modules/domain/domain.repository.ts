import { and, asc, eq, isNull } from 'drizzle-orm';
import type { Executor } from '../../db/database.js';
import { apiKeys, domains } from './domain.table.js';

export type DomainRow = typeof domains.$inferSelect;
export type ApiKeyRow = typeof apiKeys.$inferSelect;
export interface ApiKeyView {
  id: string;
  name: string;
  prefix: string;
  domain: string;
  createdAt: Date;
  revokedAt: Date | null;
}

export async function insertDomain(db: Executor, values: typeof domains.$inferInsert): Promise<DomainRow> {
  const [row] = await db.insert(domains).values(values).returning();
  return row as DomainRow;
}

export async function findDomainByName(db: Executor, name: string): Promise<DomainRow | null> {
  const [row] = await db.select().from(domains).where(eq(domains.name, name));
  return row ?? null;
}

export async function listDomains(db: Executor): Promise<DomainRow[]> {
  return db.select().from(domains).orderBy(asc(domains.name));
}

export async function updateDomainSettings(
  db: Executor,
  id: string,
  patch: Partial<Pick<DomainRow, 'defaultExpirationDays' | 'defaultPhoneRegion' | 'eventRetentionDays'>>,
): Promise<DomainRow> {
  const [row] = await db
    .update(domains)
    .set({ ...patch, updatedAt: new Date() })
    .where(eq(domains.id, id))
    .returning();
  return row as DomainRow;
}

/** Deletes a domain; every table references it with ON DELETE CASCADE, so all its rows go too. */
export async function deleteDomainById(db: Executor, id: string): Promise<boolean> {
  const rows = await db.delete(domains).where(eq(domains.id, id)).returning({ id: domains.id });
  return rows.length > 0;
}

export async function insertApiKey(
  db: Executor,
  values: { domainId: string; name: string; prefix: string; keyHash: string },
): Promise<ApiKeyRow> {
  const [row] = await db.insert(apiKeys).values(values).returning();
  return row as ApiKeyRow;
}

/** The live (not revoked) key with this hash, with its domain. */
export async function findActiveKeyByHash(db: Executor, keyHash: string): Promise<{ keyId: string; domain: DomainRow } | null> {
  const [row] = await db
    .select({ keyId: apiKeys.id, domain: domains })
    .from(apiKeys)
    .innerJoin(domains, eq(domains.id, apiKeys.domainId))
    .where(and(eq(apiKeys.keyHash, keyHash), isNull(apiKeys.revokedAt)));
  return row ?? null;
}

export async function listApiKeys(db: Executor, domainId: string): Promise<ApiKeyRow[]> {
  return db.select().from(apiKeys).where(eq(apiKeys.domainId, domainId)).orderBy(asc(apiKeys.createdAt));
}

export async function revokeApiKeyById(db: Executor, id: string): Promise<{ key: ApiKeyRow; domainName: string } | null> {
  const [row] = await db
    .update(apiKeys)
    .set({ revokedAt: new Date() })
    .where(and(eq(apiKeys.id, id), isNull(apiKeys.revokedAt)))
    .returning();
  if (!row) return null;
  const [d] = await db.select({ name: domains.name }).from(domains).where(eq(domains.id, row.domainId));
  return { key: row, domainName: d?.name ?? '' };
}

export async function findApiKeyById(db: Executor, id: string): Promise<ApiKeyRow | null> {
  const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, id));
  return row ?? null;
}
