import { AppError, ErrorCode } from '../../errors.js';
import type { DomainScope } from '../scope.js';
import { findLayout, upsertLayout } from './layout.repository.js';

/** Every panel of the explorer's profile page, in the default order (schema/layout.graphql's ProfilePanel). */
export const PANELS = ['CARD', 'INSIGHTS', 'TIMELINE', 'CONTACT_CHART', 'CASES', 'ORDERS', 'CALCULATED', 'SEGMENTS', 'IDENTITY', 'ADDRESSES', 'ATTRIBUTES'] as const;
export type Panel = (typeof PANELS)[number];

export interface ProfileLayout {
  panels: Panel[];
  /** null: the domain never saved one, `panels` is the default. */
  updatedAt: Date | null;
}

const known = new Set<string>(PANELS);

/** The domain's saved layout, or the default order. One statement. */
export async function profileLayout(scope: DomainScope): Promise<ProfileLayout> {
  const row = await findLayout(scope.database.db, scope.domain.id);
  // A panel a newer/older version does not know is left out rather than failing the page.
  return row ? { panels: row.panels.filter((p): p is Panel => known.has(p)), updatedAt: row.updatedAt } : { panels: [...PANELS], updatedAt: null };
}

const invalid = (reason: string, message: string, details: Record<string, unknown> = {}) =>
  new AppError(ErrorCode.BAD_USER_INPUT, message, { field: 'panels', reason, ...details });

/**
 * Saves the domain's layout: the panels to show, in order. Panels left out are hidden. CARD is
 * required (the page has nothing to show without it) and a panel may appear once. Layout is
 * configuration, like calculated-attribute definitions, so it appends no profile event.
 */
export async function putProfileLayout(scope: DomainScope, panels: readonly string[]): Promise<ProfileLayout> {
  if (panels.length > PANELS.length) throw invalid('TOO_MANY_PANELS', `At most ${PANELS.length} panels (each once) can be listed; got ${panels.length}.`);
  const unknown = panels.find((p) => !known.has(p));
  if (unknown !== undefined) throw invalid('UNKNOWN_PANEL', `"${unknown}" is not a panel. Use ${PANELS.join(', ')}.`, { panel: unknown });
  const seen = new Set<string>();
  for (const p of panels) {
    if (seen.has(p)) throw invalid('DUPLICATE_PANEL', `Panel ${p} is listed twice; list each panel once.`, { panel: p });
    seen.add(p);
  }
  if (!seen.has('CARD')) throw invalid('CARD_REQUIRED', 'The layout must include the CARD panel.');
  const row = await upsertLayout(scope.database.db, scope.domain.id, panels);
  return { panels: row.panels as Panel[], updatedAt: row.updatedAt };
}
