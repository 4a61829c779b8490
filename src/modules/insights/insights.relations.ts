/**
 * `Profile.insights` in the read registry (src/read/registry.ts): a subquery field, so a page of
 * profiles with their insights stays ONE statement (planned), or one statement per page level
 * (DataLoader path). The rules run in Node on those facts at the scope's clock; the duplicate
 * hints (when a provider is wired) are one call per level.
 */
import DataLoader from 'dataloader';
import { fieldsOf, type ReadModule, type ReadRequest } from '../../read/registry.js';
import { profiles } from '../profile/profile.table.js';
import { scopeNow } from '../scope.js';
import { insightSourceSql, insightSourcesByProfile, type InsightSource } from './insights.repository.js';
import { insightSettings, insightsOf, type DuplicateHint, type DuplicateHintProvider, type Insight } from './insights.service.js';

export interface InsightArgs {
  noContactDays?: number | null;
  vipOrderTotal?: number | null;
}

function parse(raw: unknown): InsightSource {
  if (raw === null || raw === undefined) return { c: [], k: [], kn: 0, o: [] };
  return (typeof raw === 'string' ? JSON.parse(raw) : raw) as InsightSource;
}

function duplicatesOf(request: ReadRequest, provider: DuplicateHintProvider, profileId: string): Promise<readonly DuplicateHint[]> {
  const loader = request.memo('duplicateHintsByProfile', () => {
    const scope = request.scope;
    return new DataLoader<string, readonly DuplicateHint[]>(async (ids) => {
      const m = await provider(scope, ids);
      return ids.map((id) => m.get(id) ?? []);
    });
  });
  return loader.load(profileId);
}

/** The registry declarations; `duplicateHints` comes from the composition root (null: no PROBABLE_DUPLICATE). */
export function insightReads(options: { duplicateHints?: DuplicateHintProvider | null } = {}): ReadModule {
  const provider = options.duplicateHints ?? null;
  const { subquery } = fieldsOf(profiles);
  return {
    extensions: [
      {
        type: 'Profile',
        fields: {
          insights: subquery<InsightArgs>({
            select: (domainId, parentId) => insightSourceSql(domainId, parentId),
            load: (scope, ids) => insightSourcesByProfile(scope.database.db, scope.domain.id, ids),
            resolve: (raw, args, request, profileId): Insight[] | Promise<Insight[]> => {
              const settings = insightSettings(args);
              const source = parse(raw);
              const now = scopeNow(request.scope);
              if (!provider) return insightsOf(source, now, settings);
              return duplicatesOf(request, provider, profileId).then((d) => insightsOf(source, now, settings, d));
            },
            // the duplicate hints: one provider call (one statement) per level of profiles
            ...(provider ? { statements: 1 } : {}),
          }),
        },
      },
    ],
  };
}
