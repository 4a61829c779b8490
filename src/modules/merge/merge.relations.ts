/**
 * Merges in the read registry (src/read/registry.ts): `Profile.merges` is a subquery Postgres
 * computes per profile (the merges it was the main profile of, newest first), so a page of
 * profiles with their merges stays one statement.
 */
import { fieldsOf, type ReadModule } from '../../read/registry.js';
import { profiles } from '../profile/profile.table.js';
import { mergesByProfile, mergesJsonSql, type ProfileMergeView } from './merge.repository.js';

interface MergeJson {
  id: string;
  mainProfileId: string;
  mergedProfileIds: string[];
  createdAt: number;
  origin: string;
  unmergedAt: number | null;
}

function toViews(raw: unknown): ProfileMergeView[] {
  if (raw === null || raw === undefined) return [];
  const list = (typeof raw === 'string' ? JSON.parse(raw) : raw) as MergeJson[];
  return list.map((m) => ({ ...m, createdAt: new Date(m.createdAt), unmergedAt: m.unmergedAt === null ? null : new Date(m.unmergedAt) }));
}

const { subquery } = fieldsOf(profiles);

export const mergeReads: ReadModule = {
  extensions: [
    {
      type: 'Profile',
      fields: {
        merges: subquery({
          select: (domainId, parentId) => mergesJsonSql(domainId, parentId),
          load: (scope, ids) => mergesByProfile(scope.database.db, scope.domain.id, ids),
          resolve: (raw) => toViews(raw),
        }),
      },
    },
  ],
};
