import { eq, sql } from 'drizzle-orm';
import type { Executor } from '../../db/database.js';
import { profileLayouts } from './layout.table.js';

export interface LayoutRow {
  panels: string[];
  updatedAt: Date;
}

export async function findLayout(db: Executor, domainId: string): Promise<LayoutRow | null> {
  const [row] = await db
    .select({ panels: profileLayouts.panels, updatedAt: profileLayouts.updatedAt })
    .from(profileLayouts)
    .where(eq(profileLayouts.domainId, domainId));
  return row ?? null;
}

/** Inserts or replaces the domain's layout; returns what was stored. */
export async function upsertLayout(db: Executor, domainId: string, panels: readonly string[]): Promise<LayoutRow> {
  const [row] = await db
    .insert(profileLayouts)
    .values({ domainId, panels: [...panels] })
    .onConflictDoUpdate({ target: profileLayouts.domainId, set: { panels: [...panels], updatedAt: sql`date_trunc('milliseconds', now())` } })
    .returning({ panels: profileLayouts.panels, updatedAt: profileLayouts.updatedAt });
  return row!;
}
