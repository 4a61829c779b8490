import type { Resolvers } from '../../generated/resolvers-types.js';
import { mapRow, relationColumns, tableMeta } from '../../db/batched.js';
import { domainScope, type Context } from '../../graphql/context.js';
import { attachPrefetched, planProfileTree, type NestedRelation, type ProfileTreePlan } from '../../graphql/lookahead.js';
import { byTime, cursorTime, decodeCursor, pageSize, toConnection, toPage } from '../../graphql/pagination.js';
import { attributeList } from '../attributes.js';
import { caseRelation } from '../case/case.repository.js';
import { contactRelation } from '../contact/contact.repository.js';
import { orderRelation } from '../order/order.repository.js';
import type { DomainScope } from '../scope.js';
import { listProfilesTree, type ProfileRow } from './profile.repository.js';
import { createProfile, deleteProfile, fullName, isId, profileLoader, updateProfile } from './profile.service.js';
import { profiles } from './profile.table.js';

const profileKey = byTime<ProfileRow>((p) => p.createdAt);

/** Profile fields that are not columns → the columns their resolvers read (look-ahead, lookahead.ts). */
export const PROFILE_COMPUTED: Record<string, readonly string[]> = {
  fullName: ['firstName', 'middleName', 'lastName'],
  attributes: ['attributes'],
  attribute: ['attributes'],
};
/** Profile's nested connections the look-ahead fetches in the profile page's own statement. */
export const PROFILE_RELATIONS: readonly NestedRelation[] = [contactRelation, caseRelation, orderRelation];

/**
 * Raw page rows (profile columns + relation JSON) → profile rows with their nested pages attached.
 * Whole rows (plan.all) are primed into the profile loader, as copies without the prefetched pages.
 */
export function profileRowsOf(ctx: Context, scope: DomainScope, plan: ProfileTreePlan, raw: Record<string, unknown>[]): ProfileRow[] {
  const rows = raw.map((r) => {
    const row = mapRow<ProfileRow>(profiles, r);
    attachPrefetched(plan, r, row);
    return row;
  });
  if (plan.all) {
    const loader = profileLoader(ctx, scope);
    const keys = tableMeta(profiles).keys;
    for (const r of rows) {
      const copy: Record<string, unknown> = {};
      for (const k of keys) copy[k] = (r as unknown as Record<string, unknown>)[k];
      loader.prime(r.id, copy as unknown as ProfileRow);
    }
  }
  return rows;
}

export const profileResolvers: Resolvers = {
  Query: {
    profile: (_p, { id }, ctx) => {
      const scope = domainScope(ctx);
      return isId(id) ? profileLoader(ctx, scope).load(id) : null;
    },
    profiles: async (_p, { first, after }, ctx, info) => {
      const scope = domainScope(ctx);
      const limit = pageSize(first);
      const cursor = decodeCursor(after);
      const position = cursor ? { at: cursorTime(cursor), id: cursor.id } : null;
      const plan = planProfileTree(info, profiles, PROFILE_COMPUTED, PROFILE_RELATIONS);
      const raw = await listProfilesTree(
        scope.database.db,
        scope.domain.id,
        limit,
        position,
        plan.keys,
        relationColumns(scope.domain.id, 'p', plan.relations.map((r) => r.sql)),
      );
      const rows = profileRowsOf(ctx, scope, plan, raw);
      return toConnection(toPage(rows, limit, cursor), profileKey);
    },
  },
  Mutation: {
    createProfile: (_p, { input }, ctx) => createProfile(domainScope(ctx), input),
    updateProfile: (_p, { id, input, expectedVersion }, ctx) => updateProfile(domainScope(ctx), id, input, expectedVersion),
    deleteProfile: (_p, { id, expectedVersion }, ctx) => deleteProfile(domainScope(ctx), id, expectedVersion),
  },
  Profile: {
    fullName: (p) => fullName(p),
    attributes: (p) => attributeList(p.attributes),
    attribute: (p, { key }) => p.attributes[key] ?? null,
  },
};
